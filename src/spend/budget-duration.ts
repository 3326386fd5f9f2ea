/**
 * `budget_duration` (LiteLLM's format: `"30s"`, `"30m"`, `"1h"`, `"30d"`) and the budget period it defines: periods
 * are counted from the entity's `created_at`, so every replica agrees on when a budget resets without a reset job.
 */
import { parseDurationMs } from '../config/duration.js';

/** Milliseconds, or null for a value that is not `<n><s|m|h|d>` with n ≥ 1 (a zero-length period never ends). */
export function parseBudgetDuration(value: string): number | null {
  const ms = parseDurationMs(value);
  return ms === null || ms === 0 ? null : ms;
}

/** The index of the budget period `now` falls in (0 when the budget never resets). */
export function budgetPeriod(createdAt: number, durationMs: number | null, now: number): number {
  if (durationMs === null) return 0;
  return Math.max(0, Math.floor((now - createdAt) / durationMs));
}

/** When the period `now` falls in ends (epoch ms), or null when the budget never resets. */
export function budgetPeriodEnd(createdAt: number, durationMs: number | null, now: number): number | null {
  if (durationMs === null) return null;
  return createdAt + (budgetPeriod(createdAt, durationMs, now) + 1) * durationMs;
}
