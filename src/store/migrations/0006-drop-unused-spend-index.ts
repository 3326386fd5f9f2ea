/**
 * `spend_logs_parent_request_id` (0004) serves no query: `/spend/logs` filters by key, team, request id and time.
 * Every spend-log row paid for it on insert, on the request path's event loop with SQLite (docs/benchmarks.md).
 */
import type { Migration } from 'kysely';

export function dropUnusedSpendIndexMigration(): Migration {
  return {
    async up(db) {
      await db.schema.dropIndex('spend_logs_parent_request_id').ifExists().execute();
    },
    async down(db) {
      await db.schema.createIndex('spend_logs_parent_request_id').on('spend_logs').column('parent_request_id').execute();
    },
  };
}
