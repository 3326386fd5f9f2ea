/**
 * What the responses repository stores and answers, and the repository's contract. The SQL repository and the
 * cache in front of it both implement `ResponsesRepository`.
 *
 * The store reads only the `id` of input items (for paging) and treats every other payload as opaque JSON, so
 * the payload types are a parameter: openai's types by default, or the llm layer's own item types.
 */
import type { Response, ResponseInputItem, ResponseItem, ResponseOutputItem, ResponseStatus } from 'openai/resources/responses/responses';

export interface ResponsePayloads {
  /** The full response object. */
  response: object;
  /** An input item as `input_items` lists it: always with an `id`. */
  inputItem: { id: string };
  outputItem: object;
}

export interface OpenAIResponsePayloads extends ResponsePayloads {
  response: Response;
  inputItem: ResponseItem;
  outputItem: ResponseOutputItem;
}

/** One stored response. Records returned by a repository are shared and frozen: copy before changing one. */
export interface StoredResponse<P extends ResponsePayloads = OpenAIResponsePayloads> {
  /** `resp_…` */
  id: string;
  /** Epoch milliseconds when it was saved. */
  createdAt: number;
  model: string;
  status: ResponseStatus;
  previousResponseId: string | null;
  /** As the response object has it; the API does not carry instructions over to the next response. */
  instructions: string | ResponseInputItem[] | null;
  /** This request's input items, each with an `id`. */
  inputItems: P['inputItem'][];
  outputItems: P['outputItem'][];
  /** The full response object, as returned to the client. */
  response: P['response'];
  /** The key (or user) that created it; null when the proxy runs without keys. */
  ownerId: string | null;
  /** The request's `store` flag. */
  store: boolean;
}

/** An item of a conversation replayed from stored responses: an input item or an output item. */
export type ConversationItemOf<P extends ResponsePayloads> = P['inputItem'] | P['outputItem'];

export type ResponseChain<P extends ResponsePayloads = OpenAIResponsePayloads> =
  /** `responses` and `items` oldest first: each response's input items, then its output items. */
  | { kind: 'found'; responses: StoredResponse<P>[]; items: ConversationItemOf<P>[] }
  /** `missingId` is not stored: the requested id itself, or a `previous_response_id` deleted since. */
  | { kind: 'missing'; missingId: string }
  /** The chain has more than `maxLength` responses. */
  | { kind: 'too_long'; maxLength: number };

/** `GET /v1/responses/{id}/input_items` paging; the route applies the API's defaults (20, desc) and bounds. */
export interface InputItemsQuery {
  /** An item id: the page starts after it, in `order`. */
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
}

export interface InputItemsPage<P extends ResponsePayloads = OpenAIResponsePayloads> {
  items: P['inputItem'][];
  hasMore: boolean;
}

export interface ResponsesRepository<P extends ResponsePayloads = OpenAIResponsePayloads> {
  /** Inserts, or replaces the response with the same id (a status change, a completed background response). */
  save(record: StoredResponse<P>): Promise<void>;
  get(id: string): Promise<StoredResponse<P> | null>;
  /** Returns whether the response existed. */
  delete(id: string): Promise<boolean>;
  /** Null when the response is not stored; `InvalidRequestError` (param `after` / `limit`) for a bad query. */
  inputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage<P> | null>;
  /** The conversation ending at `id`, following `previous_response_id` (at most `maxLength` responses). */
  chain(id: string, options?: { maxLength?: number }): Promise<ResponseChain<P>>;
}
