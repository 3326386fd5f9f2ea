/**
 * The `spend` totals a spend-log batch updates (keys, teams, organisations), per budget period as LiteLLM keeps
 * them: within the entity's period the batch's spend is added; once `budget_reset_at` has passed, `spend` starts
 * again from the batch's spend. `budget_reset_at` then moves to the end of the current period (computed by the
 * caller's BudgetClock from the entity's `budget_duration`), or to null when it has none. Decided per row inside
 * the UPDATE, so replicas writing the same entity at a period's turn never lose each other's spend.
 */
import type { SpendLogRow } from './spend-logs-record.js';

export interface PeriodTotalTarget {
  table: 'virtual_keys' | 'teams' | 'organizations';
  id: 'token' | 'team_id' | 'organization_id';
  totals: keyof SpendTotals;
}

export const PERIOD_TOTALS: readonly PeriodTotalTarget[] = [
  { table: 'virtual_keys', id: 'token', totals: 'keys' },
  { table: 'teams', id: 'team_id', totals: 'teams' },
  { table: 'organizations', id: 'organization_id', totals: 'organizations' },
];

/** SQLite's form, positional parameters: now, spend, spend, now, reset at (or null), id. */
export function periodTotalUpdateSql(target: PeriodTotalTarget): string {
  return (
    `UPDATE ${target.table} SET ` +
    'spend = CASE WHEN budget_reset_at IS NOT NULL AND budget_reset_at <= ? THEN ? ELSE spend + ? END, ' +
    'budget_reset_at = CASE WHEN budget_reset_at IS NOT NULL AND budget_reset_at > ? THEN budget_reset_at ELSE ? END ' +
    `WHERE ${target.id} = ?`
  );
}

export interface SpendTotals {
  keys: Map<string, number>;
  teams: Map<string, number>;
  organizations: Map<string, number>;
}

/** The spend each key, team and organisation gets from a batch (rows of 0 add nothing). */
export function spendTotals(rows: readonly SpendLogRow[]): SpendTotals {
  const totals: SpendTotals = { keys: new Map(), teams: new Map(), organizations: new Map() };
  const add = (into: Map<string, number>, id: string | null, spend: number) => {
    if (id !== null && id !== '') into.set(id, (into.get(id) ?? 0) + spend);
  };
  for (const row of rows) {
    if (row.spend === 0) continue;
    add(totals.keys, row.api_key, row.spend);
    add(totals.teams, row.team_id, row.spend);
    add(totals.organizations, row.organization_id, row.spend);
  }
  return totals;
}
