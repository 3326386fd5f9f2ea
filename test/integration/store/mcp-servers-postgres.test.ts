/**
 * Issue #6: the MCP servers repository suite on PostgreSQL, in throwaway databases. Skipped (saying so in the
 * title) when no PostgreSQL answers; GATEHOUSE_REQUIRE_POSTGRES=1 or CI=true makes that a failure.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { StoreSettings } from '../../../src/store/index.js';
import { defineMcpServersStoreTests } from './mcp-servers-store-suite.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './postgres-databases.js';

const probe = await probePostgres(POSTGRES_ADMIN_URL);
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';
const skip = !probe.reachable && !required;
const title = probe.reachable
  ? 'mcp servers store on PostgreSQL'
  : `mcp servers store on PostgreSQL — ${skip ? 'SKIPPED' : 'REQUIRED but'}: no PostgreSQL (${probe.reason})`;

const databases = throwawayDatabases(POSTGRES_ADMIN_URL);
let suiteUrl: string | undefined;
const postgresSettings = (databaseUrl: string): StoreSettings => ({ databaseUrl, sqlitePath: '/nonexistent/unused.db' });

describe.skipIf(skip)(title, () => {
  beforeAll(async () => {
    if (!probe.reachable) throw new Error(`PostgreSQL is required but unreachable: ${probe.reason}`);
    suiteUrl = await databases.create();
  });
  afterAll(async () => {
    await databases.dropAll();
  });

  defineMcpServersStoreTests({
    settings: () => {
      if (suiteUrl === undefined) throw new Error('the suite database was not created');
      return postgresSettings(suiteUrl);
    },
    freshSettings: async () => postgresSettings(await databases.create()),
  });
});
