/**
 * LiteLLM's `available_on_public_internet` on stored MCP servers: false means only internal callers
 * (`general_settings.mcp_internal_ip_ranges`) may use the server. 0 or 1; existing servers stay public (1).
 */
import { sql, type Migration } from 'kysely';

export function addMcpPublicInternetMigration(): Migration {
  return {
    async up(db) {
      await db.schema
        .alterTable('mcp_servers')
        .addColumn('available_on_public_internet', 'integer', (column) => column.notNull().defaultTo(sql`1`))
        .execute();
    },
    async down(db) {
      await db.schema.alterTable('mcp_servers').dropColumn('available_on_public_internet').execute();
    },
  };
}
