/**
 * `budget_duration` and the budget periods it defines, as LiteLLM resets budgets (docs.litellm.ai/docs/proxy/
 * budget_reset_and_tz, UTC): `1d` at midnight, `7d` / `1w` on Monday at midnight, `30d` / `1mo` on the 1st of the
 * month at midnight, other `<n>d` / `<n>w` every n days from the midnight of the day the entity was created, and
 * `<n>s` / `<n>m` / `<n>h` on multiples of n seconds, minutes or hours (of the epoch: of the day when n divides 24).
 * Periods are a pure function of the clock and `created_at`, so every replica agrees on when a budget resets
 * without a reset job.
 */
import { BUDGET_DURATION_PATTERN } from '../config/duration.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday of the epoch (1970-01-01 was a Thursday). */
const FIRST_MONDAY = 4 * DAY;

/** How a `budget_duration` cuts time into periods. */
export type BudgetPeriods =
  /** Period k is [offset + k·ms, offset + (k+1)·ms). */
  | { kind: 'aligned'; ms: number; offset: number }
  /** Period k starts k·ms after the UTC midnight of the entity's `created_at`. */
  | { kind: 'from-creation'; ms: number }
  /** Calendar months (UTC). */
  | { kind: 'month' };

const BUDGET_DURATION = new RegExp(BUDGET_DURATION_PATTERN);
const UNIT_MS = { s: SECOND, m: MINUTE, h: HOUR, d: DAY, w: WEEK } as const;

/** Parsed durations: the gate asks for every request of a budgeted key, and an admin uses a handful of values. */
const parsed = new Map<string, BudgetPeriods | null>();
const PARSED_MAX = 256;

/** The periods of a `budget_duration`, or null for a value outside LiteLLM's grammar (never stored: a 400). */
export function parseBudgetDuration(value: string): BudgetPeriods | null {
  let periods = parsed.get(value);
  if (periods === undefined) {
    periods = parsePeriods(value);
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(value, periods);
  }
  return periods;
}

function parsePeriods(value: string): BudgetPeriods | null {
  if (!BUDGET_DURATION.test(value)) return null;
  const match = /(\d+)\s*(mo|[smhdw])/.exec(value);
  if (match === null) return null;
  const count = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS | 'mo';
  if (unit === 'mo' || (unit === 'd' && count === 30)) return { kind: 'month' };
  const ms = count * UNIT_MS[unit];
  if (ms === DAY) return { kind: 'aligned', ms, offset: 0 };
  if (ms === WEEK) return { kind: 'aligned', ms, offset: FIRST_MONDAY };
  if (unit === 'd' || unit === 'w') return { kind: 'from-creation', ms };
  return { kind: 'aligned', ms, offset: 0 };
}

/** The index of the budget period `now` falls in: increases with time; 0 when the budget never resets. */
export function budgetPeriod(periods: BudgetPeriods | null, createdAt: number, now: number): number {
  if (periods === null) return 0;
  switch (periods.kind) {
    case 'aligned':
      return Math.floor((now - periods.offset) / periods.ms);
    case 'from-creation':
      return Math.max(0, Math.floor((now - utcMidnight(createdAt)) / periods.ms));
    case 'month': {
      const date = new Date(now);
      return date.getUTCFullYear() * 12 + date.getUTCMonth();
    }
  }
}

/** When the period `now` falls in ends (epoch ms), or null when the budget never resets. */
export function budgetPeriodEnd(periods: BudgetPeriods | null, createdAt: number, now: number): number | null {
  if (periods === null) return null;
  const index = budgetPeriod(periods, createdAt, now);
  switch (periods.kind) {
    case 'aligned':
      return periods.offset + (index + 1) * periods.ms;
    case 'from-creation':
      return utcMidnight(createdAt) + (index + 1) * periods.ms;
    case 'month':
      return Date.UTC(Math.floor((index + 1) / 12), (index + 1) % 12, 1);
  }
}

/** LiteLLM's `budget_reset_at` for an entity: when its budget next resets (epoch ms), or null when it never does. */
export function budgetResetAt(budgetDuration: string | null | undefined, createdAt: number, now: number): number | null {
  return budgetDuration ? budgetPeriodEnd(parseBudgetDuration(budgetDuration), createdAt, now) : null;
}

/** What a key, team or organisation record says about its budget period (store/: `spend`, `budget_reset_at`). */
export interface StoredBudget {
  spend: number;
  created_at: number;
  budget_duration?: string | null;
  /** The end of the period the stored `spend` was counted in; null or absent: `spend` is not per period. */
  budget_reset_at?: number | null;
}

/**
 * The entity's spend in the current period and when that period ends: stored spend counted in a period that has
 * ended is 0 now (as LiteLLM's reset job sets it), whether or not anything was spent since.
 */
export function currentBudget(entity: StoredBudget, now: number): { spend: number; budget_reset_at: number | null } {
  const stored = entity.budget_reset_at ?? null;
  const resetAt = budgetResetAt(entity.budget_duration, entity.created_at, now);
  return { spend: stored !== null && stored <= now ? 0 : entity.spend, budget_reset_at: resetAt };
}

/**
 * The `budget_reset_at` to store when `/…/update` sets `budget_duration` (undefined: leave it). The spend so far
 * stays in the new period, as LiteLLM keeps it; a period that has already ended stays ended, so its spend still
 * reads as 0 and the next write starts afresh.
 */
export function resetAtForNewDuration(entity: StoredBudget, budgetDuration: string | null, now: number): number | null | undefined {
  if (budgetDuration === (entity.budget_duration ?? null)) return undefined;
  const stored = entity.budget_reset_at ?? null;
  if (stored !== null && stored <= now) return undefined;
  return budgetResetAt(budgetDuration, entity.created_at, now);
}

function utcMidnight(epochMs: number): number {
  return Math.floor(epochMs / DAY) * DAY;
}
