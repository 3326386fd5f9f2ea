/**
 * MCP servers created through `/v1/mcp/server` (issue #6), and `store_changes`: one version counter per topic
 * (`mcp_servers`, and `keys` / `teams` for issue #6 part 1) that every write bumps in its own transaction, so a
 * replica polling for changes reads one small row instead of scanning tables.
 */
import type { Migration } from 'kysely';
import { jsonColumnType, type StoreDialect } from '../dialect.js';

export function createMcpServersMigration(dialect: StoreDialect): Migration {
  const json = jsonColumnType(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('mcp_servers')
        .addColumn('server_id', 'text', (column) => column.primaryKey())
        .addColumn('server_name', 'text', (column) => column.notNull())
        // Lower-cased prefix (alias, else name): two servers may never share one, whichever replica writes.
        .addColumn('name_key', 'text', (column) => column.notNull().unique())
        .addColumn('alias', 'text')
        .addColumn('description', 'text')
        .addColumn('url', 'text')
        .addColumn('transport', 'text', (column) => column.notNull())
        .addColumn('spec_version', 'text')
        .addColumn('auth_type', 'text')
        // Sealed JSON {credentials, env, static_headers} (store/secret-box.ts); null when all are empty.
        .addColumn('secrets', 'text')
        .addColumn('mcp_access_groups', json, (column) => column.notNull())
        .addColumn('command', 'text')
        .addColumn('args', json, (column) => column.notNull())
        .addColumn('mcp_info', json)
        .addColumn('extra_headers', json, (column) => column.notNull())
        .addColumn('allowed_tools', json)
        .addColumn('disallowed_tools', json)
        .addColumn('spec_path', 'text')
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('created_by', 'text')
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_by', 'text')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('last_health_check', 'bigint')
        .addColumn('health_check_error', 'text')
        .execute();
      await db.schema
        .createTable('store_changes')
        .addColumn('topic', 'text', (column) => column.primaryKey())
        .addColumn('version', 'bigint', (column) => column.notNull())
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('store_changes').execute();
      await db.schema.dropTable('mcp_servers').execute();
    },
  };
}
