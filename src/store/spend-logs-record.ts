/** A spend-log row as the store keeps it (LiteLLM's column names where it has them) and the repository's contract. */
import type { SpendLogsTable } from './schema.js';

/** A spend-log row is exactly its table's row (columns documented in schema.ts). */
export type SpendLogRow = SpendLogsTable;

/** Which rows: every filter that is set must match. */
export interface SpendLogFilter {
  api_key?: string;
  request_id?: string;
  team_id?: string;
  /** Epoch milliseconds, inclusive. */
  start_time_from?: number;
  /** Epoch milliseconds, exclusive. */
  start_time_before?: number;
}

export interface SpendLogQuery extends SpendLogFilter {
  /** Most recent first; at most this many. */
  limit: number;
}

/** The spend of one key on one model on one UTC day (the day of the rows' `start_time`). */
export interface SpendDayGroup {
  /** UTC days since 1970-01-01. */
  day: number;
  api_key: string;
  model: string;
  /** USD, the sum of the rows' `spend`. */
  spend: number;
}

/** Which budget period a spend is written in (spend/budget-duration.ts; the store does not compute periods). */
export interface BudgetClock {
  /** Epoch ms the batch is written at. */
  now: number;
  /** The end of the budget period `now` falls in, for an entity's `budget_duration` and `created_at`; null: never resets. */
  resetAt(budgetDuration: string | null, createdAt: number): number | null;
}

export interface SpendLogsRepository {
  /**
   * Inserts the rows and adds their spend to their keys', teams' and organisations' `spend` columns, in one
   * transaction. `spend` is per budget period (LiteLLM's): an entity whose `budget_reset_at` has passed starts
   * again from the batch's spend, and `budget_reset_at` moves to the end of the current period.
   */
  insertBatch(rows: readonly SpendLogRow[], clock: BudgetClock): Promise<void>;
  list(query: SpendLogQuery): Promise<SpendLogRow[]>;
  /** Every matching row's spend, summed in SQL per (day, key, model); ordered by day, then key, then model. */
  sumByDay(filter: SpendLogFilter): Promise<SpendDayGroup[]>;
}
