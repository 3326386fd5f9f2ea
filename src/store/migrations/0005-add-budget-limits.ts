/**
 * Budgets and limits (issue #7): `budget_duration` (LiteLLM's `"30s"`, `"1h"`, `"30d"`) on keys, teams and
 * organisations, and `rpm_limit` / `tpm_limit` on keys. `max_budget` and `spend` exist since 0002.
 */
import type { Migration } from 'kysely';

export function addBudgetLimitsMigration(): Migration {
  return {
    async up(db) {
      for (const table of ['virtual_keys', 'teams', 'organizations']) {
        await db.schema.alterTable(table).addColumn('budget_duration', 'text').execute();
      }
      await db.schema.alterTable('virtual_keys').addColumn('rpm_limit', 'bigint').execute();
      await db.schema.alterTable('virtual_keys').addColumn('tpm_limit', 'bigint').execute();
    },
    async down(db) {
      await db.schema.alterTable('virtual_keys').dropColumn('tpm_limit').execute();
      await db.schema.alterTable('virtual_keys').dropColumn('rpm_limit').execute();
      for (const table of ['organizations', 'teams', 'virtual_keys']) {
        await db.schema.alterTable(table).dropColumn('budget_duration').execute();
      }
    },
  };
}
