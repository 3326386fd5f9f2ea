/**
 * Spend logs (issue #7): one row per LLM request and per MCP tool call, written in batches by
 * spend/spend-log-writer.ts. Times are epoch milliseconds; `api_key` is the key's sha256 hex ('' when the caller
 * used the master key or an open proxy), as LiteLLM stores the hashed token.
 */
import type { Migration } from 'kysely';

export function createSpendLogsMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .createTable('spend_logs')
        .addColumn('request_id', 'text', (column) => column.primaryKey())
        .addColumn('call_type', 'text', (column) => column.notNull())
        .addColumn('api_key', 'text', (column) => column.notNull())
        .addColumn('team_id', 'text')
        .addColumn('organization_id', 'text')
        .addColumn('model', 'text', (column) => column.notNull())
        .addColumn('prompt_tokens', 'bigint', (column) => column.notNull())
        .addColumn('completion_tokens', 'bigint', (column) => column.notNull())
        .addColumn('total_tokens', 'bigint', (column) => column.notNull())
        .addColumn('spend', 'double precision', (column) => column.notNull())
        .addColumn('start_time', 'bigint', (column) => column.notNull())
        .addColumn('end_time', 'bigint', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('parent_request_id', 'text')
        .execute();
      await db.schema.createIndex('spend_logs_start_time').on('spend_logs').column('start_time').execute();
      await db.schema.createIndex('spend_logs_api_key').on('spend_logs').columns(['api_key', 'start_time']).execute();
      await db.schema.createIndex('spend_logs_team_id').on('spend_logs').columns(['team_id', 'start_time']).execute();
      await db.schema.createIndex('spend_logs_parent_request_id').on('spend_logs').column('parent_request_id').execute();
    },
    async down(db) {
      await db.schema.dropTable('spend_logs').execute();
    },
  };
}
