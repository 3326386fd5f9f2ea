/**
 * LiteLLM's top-level oauth2 fields on stored MCP servers (`NewMCPServerRequest`): `authorization_url`, `token_url`,
 * `registration_url` and `oauth2_flow`, in clear (URLs and a grant name, not secrets). `token_url` used to be kept
 * in the sealed `credentials`, which SQL cannot open: mcp-servers-repository.ts reads such a row's sealed
 * `token_url` as the column's until the server's next write stores it here.
 */
import type { Migration } from 'kysely';

const COLUMNS = ['authorization_url', 'token_url', 'registration_url', 'oauth2_flow'] as const;

export function addMcpOAuthEndpointsMigration(): Migration {
  return {
    async up(db) {
      // One statement per column: SQLite's ALTER TABLE adds one column at a time.
      for (const column of COLUMNS) await db.schema.alterTable('mcp_servers').addColumn(column, 'text').execute();
    },
    async down(db) {
      for (const column of COLUMNS) await db.schema.alterTable('mcp_servers').dropColumn(column).execute();
    },
  };
}
