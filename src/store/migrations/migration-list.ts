/**
 * Every migration, in order, in code: no directory scanning, so the same list runs from `src/` and `dist/`.
 * Names are permanent (they are recorded in `gatehouse_migration`); append, never rename or reorder.
 */
import type { Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { createResponsesMigration } from './0001-create-responses.js';
import { createKeysTeamsOrgsMigration } from './0002-create-keys-teams-orgs.js';
import { createMcpServersMigration } from './0003-create-mcp-servers.js';
import { createSpendLogsMigration } from './0004-create-spend-logs.js';
import { addBudgetLimitsMigration } from './0005-add-budget-limits.js';
import { dropUnusedSpendIndexMigration } from './0006-drop-unused-spend-index.js';
import { addMcpAllowAllKeysMigration } from './0007-add-mcp-allow-all-keys.js';
import { addMcpPublicInternetMigration } from './0008-add-mcp-public-internet.js';
import { addBudgetResetAtMigration } from './0009-add-budget-reset-at.js';
import { addParallelAndTeamLimitsMigration } from './0010-add-parallel-and-team-limits.js';
import { addMcpOAuthEndpointsMigration } from './0011-add-mcp-oauth-endpoints.js';

export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_create_responses': createResponsesMigration(dialect),
    '0002_create_keys_teams_orgs': createKeysTeamsOrgsMigration(dialect),
    '0003_create_mcp_servers': createMcpServersMigration(dialect),
    '0004_create_spend_logs': createSpendLogsMigration(),
    '0005_add_budget_limits': addBudgetLimitsMigration(),
    '0006_drop_unused_spend_index': dropUnusedSpendIndexMigration(),
    '0007_add_mcp_allow_all_keys': addMcpAllowAllKeysMigration(),
    '0008_add_mcp_public_internet': addMcpPublicInternetMigration(),
    '0009_add_budget_reset_at': addBudgetResetAtMigration(),
    '0010_add_parallel_and_team_limits': addParallelAndTeamLimitsMigration(),
    '0011_add_mcp_oauth_endpoints': addMcpOAuthEndpointsMigration(),
  };
}
