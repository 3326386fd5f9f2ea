/**
 * `budget_duration` (LiteLLM's format: `"30s"`, `"30m"`, `"1h"`, `"30d"`) and the budget period it defines: periods
 * are counted from the entity's `created_at`, so every replica agrees on when a budget resets without a reset job.
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds, or null for a value that is not `<n><s|m|h|d>` with n ≥ 1. */
export function parseBudgetDuration(value: string): number | null {
  const match = /^\s*([1-9]\d*)\s*([smhd])\s*$/.exec(value);
  return match === null ? null : Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
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
