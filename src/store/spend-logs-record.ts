/** A spend-log row as the store keeps it (LiteLLM's column names where it has them) and the repository's contract. */
import type { SpendLogsTable } from './schema.js';

/** A spend-log row is exactly its table's row (columns documented in schema.ts). */
export type SpendLogRow = SpendLogsTable;

export interface SpendLogQuery {
  api_key?: string;
  request_id?: string;
  team_id?: string;
  /** Epoch milliseconds, inclusive. */
  start_time_from?: number;
  /** Epoch milliseconds, exclusive. */
  start_time_before?: number;
  /** Most recent first; at most this many. */
  limit: number;
}

export interface SpendLogsRepository {
  /**
   * Inserts the rows and adds their spend to their keys', teams' and organisations' `spend` columns, in one
   * transaction: the totals always equal the logged rows.
   */
  insertBatch(rows: readonly SpendLogRow[]): Promise<void>;
  list(query: SpendLogQuery): Promise<SpendLogRow[]>;
}
