/**
 * budget_duration periods as LiteLLM resets budgets (docs.litellm.ai/docs/proxy/budget_reset_and_tz, UTC): 1d at
 * midnight, 7d / 1w on Monday, 30d / 1mo on the 1st of the month, other days from the creation day's midnight,
 * sub-day units on their multiples; and what a stored spend means once its period has ended.
 */
import { describe, expect, it } from 'vitest';
import { budgetPeriod, budgetPeriodEnd, budgetResetAt, currentBudget, parseBudgetDuration } from '../../../src/spend/budget-duration.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const iso = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());
/** Created on a Wednesday afternoon. */
const CREATED = at('2025-01-15T15:20:00Z');

describe('budget_duration periods', () => {
  it('1d resets at the next UTC midnight, not 24 hours after creation', () => {
    expect(iso(budgetResetAt('1d', CREATED, CREATED))).toBe('2025-01-16T00:00:00.000Z');
    expect(iso(budgetResetAt('24h', CREATED, at('2025-01-16T23:59:59Z')))).toBe('2025-01-17T00:00:00.000Z');
  });

  it('7d and 1w reset on Monday at midnight', () => {
    expect(iso(budgetResetAt('7d', CREATED, CREATED))).toBe('2025-01-20T00:00:00.000Z');
    expect(iso(budgetResetAt('1w', CREATED, at('2025-01-20T00:00:00Z')))).toBe('2025-01-27T00:00:00.000Z');
  });

  it('30d and 1mo reset on the 1st of the month, across the year end', () => {
    expect(iso(budgetResetAt('30d', CREATED, CREATED))).toBe('2025-02-01T00:00:00.000Z');
    expect(iso(budgetResetAt('1mo', CREATED, at('2025-12-31T23:00:00Z')))).toBe('2026-01-01T00:00:00.000Z');
    const month = parseBudgetDuration('1mo');
    expect(budgetPeriod(month, CREATED, at('2025-01-31T23:59:59Z'))).toBeLessThan(budgetPeriod(month, CREATED, at('2025-02-01T00:00:00Z')));
  });

  it('other day counts run from the midnight of the creation day', () => {
    expect(iso(budgetResetAt('3d', CREATED, CREATED))).toBe('2025-01-18T00:00:00.000Z');
    expect(iso(budgetResetAt('3d', CREATED, at('2025-01-18T00:00:00Z')))).toBe('2025-01-21T00:00:00.000Z');
    expect(iso(budgetResetAt('2w', CREATED, CREATED))).toBe('2025-01-29T00:00:00.000Z');
  });

  it('seconds, minutes and hours reset on their multiples', () => {
    expect(iso(budgetResetAt('1h', CREATED, CREATED))).toBe('2025-01-15T16:00:00.000Z');
    expect(iso(budgetResetAt('6h', CREATED, CREATED))).toBe('2025-01-15T18:00:00.000Z');
    expect(iso(budgetResetAt('30m', CREATED, CREATED + 11 * 60_000))).toBe('2025-01-15T16:00:00.000Z');
    expect(iso(budgetResetAt('30s', CREATED, CREATED + 45_000))).toBe('2025-01-15T15:21:00.000Z');
  });

  it('no duration is one endless period; values outside the grammar are refused', () => {
    expect(budgetPeriod(null, CREATED, CREATED + 400 * DAY)).toBe(0);
    expect(budgetPeriodEnd(null, CREATED, CREATED)).toBeNull();
    expect(budgetResetAt(null, CREATED, CREATED)).toBeNull();
    for (const bad of ['0d', '2mo', 'monthly', '1.5h']) expect(parseBudgetDuration(bad)).toBeNull();
  });
});

describe('currentBudget', () => {
  it("shows the stored spend in its own period and 0 once that period has ended (LiteLLM's reset)", () => {
    const key = { spend: 4.5, created_at: CREATED, budget_duration: '1d', budget_reset_at: at('2025-01-16T00:00:00Z') };
    expect(currentBudget(key, at('2025-01-15T23:00:00Z'))).toEqual({ spend: 4.5, budget_reset_at: at('2025-01-16T00:00:00Z') });
    expect(currentBudget(key, at('2025-01-17T09:00:00Z'))).toEqual({ spend: 0, budget_reset_at: at('2025-01-18T00:00:00Z') });
  });

  it('keeps a spend that is not per period (no budget_duration, or none recorded yet)', () => {
    expect(currentBudget({ spend: 2, created_at: CREATED }, CREATED + 90 * DAY)).toEqual({ spend: 2, budget_reset_at: null });
    expect(currentBudget({ spend: 2, created_at: CREATED, budget_duration: '1d', budget_reset_at: null }, CREATED)).toEqual({
      spend: 2,
      budget_reset_at: at('2025-01-16T00:00:00Z'),
    });
  });
});
