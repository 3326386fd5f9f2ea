/** The database as Kysely sees it: one interface per table, column names as in SQL. */
import type { JsonColumn, NullableJsonColumn } from './dialect.js';

/** Stored OpenAI Responses (`store: true`), for `previous_response_id`, GET, DELETE and input_items. */
export interface ResponsesTable {
  /** `resp_…` */
  id: string;
  /** Epoch milliseconds when the row was saved. */
  created_at: number;
  model: string;
  status: string;
  previous_response_id: string | null;
  /** `Response['instructions']`: not carried over to the next response, kept for GET. */
  instructions: NullableJsonColumn;
  /** `ResponseItem[]`: this request's input, with item ids. */
  input_items: JsonColumn;
  /** `ResponseOutputItem[]` */
  output_items: JsonColumn;
  /** The full `Response` object as returned to the client. */
  response: JsonColumn;
  /** The key (or user) that created it, for ownership checks; null when the proxy runs without keys. */
  owner_id: string | null;
  /** The request's `store` flag, 0 or 1. */
  store: number;
}

export interface StoreDatabase {
  responses: ResponsesTable;
}
