/**
 * LiteLLM's `max_parallel_requests` on keys and teams, and `rpm_limit` / `tpm_limit` on teams (keys have had them
 * since 0005): enforced by spend/budget-gate.ts. Null: unlimited.
 */
import type { Migration } from 'kysely';

export function addParallelAndTeamLimitsMigration(): Migration {
  return {
    async up(db) {
      await db.schema.alterTable('virtual_keys').addColumn('max_parallel_requests', 'bigint').execute();
      for (const column of ['rpm_limit', 'tpm_limit', 'max_parallel_requests']) {
        await db.schema.alterTable('teams').addColumn(column, 'bigint').execute();
      }
    },
    async down(db) {
      for (const column of ['max_parallel_requests', 'tpm_limit', 'rpm_limit']) {
        await db.schema.alterTable('teams').dropColumn(column).execute();
      }
      await db.schema.alterTable('virtual_keys').dropColumn('max_parallel_requests').execute();
    },
  };
}
