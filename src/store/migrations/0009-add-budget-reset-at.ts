/**
 * LiteLLM's `budget_reset_at` on keys, teams and organisations: the end of the budget period their stored `spend`
 * was counted in (epoch ms), so a spend from an ended period reads as 0 and the next write starts the new period
 * from the request's cost. Null: `spend` is not per period (no `budget_duration`, or none recorded since this
 * column exists: the next write sets it, keeping the spend).
 */
import type { Migration } from 'kysely';

const TABLES = ['virtual_keys', 'teams', 'organizations'] as const;

export function addBudgetResetAtMigration(): Migration {
  return {
    async up(db) {
      for (const table of TABLES) await db.schema.alterTable(table).addColumn('budget_reset_at', 'bigint').execute();
    },
    async down(db) {
      for (const table of TABLES) await db.schema.alterTable(table).dropColumn('budget_reset_at').execute();
    },
  };
}
