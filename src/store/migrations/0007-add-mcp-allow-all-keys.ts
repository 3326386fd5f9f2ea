/**
 * LiteLLM's `allow_all_keys` on stored MCP servers: every virtual key may use the server, whatever its grants.
 * 0 or 1 (as `blocked` on keys); existing servers keep their behaviour (0).
 */
import { sql, type Migration } from 'kysely';

export function addMcpAllowAllKeysMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable('mcp_servers')
        .addColumn('allow_all_keys', 'integer', (column) => column.notNull().defaultTo(sql`0`))
        .execute();
    },
    async down(db) {
      await db.schema.alterTable('mcp_servers').dropColumn('allow_all_keys').execute();
    },
  };
}
