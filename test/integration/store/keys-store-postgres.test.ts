/**
 * Issue #6 (same store suite on both databases): keys, teams and organizations on PostgreSQL, in a throwaway
 * database. Skipped, with the reason in the suite title, when no PostgreSQL answers at GATEHOUSE_TEST_POSTGRES_URL
 * (default postgres://postgres@127.0.0.1:5432/test); GATEHOUSE_REQUIRE_POSTGRES=1 (or CI=true) makes that a failure.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { defineKeysStoreTests } from './keys-store-suite.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './postgres-databases.js';

const probe = await probePostgres(POSTGRES_ADMIN_URL);
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';
const skip = !probe.reachable && !required;
const where = (() => {
  try {
    const parsed = new URL(POSTGRES_ADMIN_URL);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'GATEHOUSE_TEST_POSTGRES_URL';
  }
})();
const title = probe.reachable
  ? 'keys, teams and organizations store on PostgreSQL'
  : `keys, teams and organizations store on PostgreSQL — ${skip ? 'SKIPPED' : 'REQUIRED but'}: no PostgreSQL at ${where} (${probe.reason})`;

const databases = throwawayDatabases(POSTGRES_ADMIN_URL);
let url: string | undefined;

describe.skipIf(skip)(title, () => {
  beforeAll(async () => {
    if (!probe.reachable) throw new Error(`PostgreSQL is required here but unreachable: ${probe.reason}`);
    url = await databases.create();
  });
  afterAll(async () => {
    await databases.dropAll();
  });

  defineKeysStoreTests(() => {
    if (url === undefined) throw new Error('the suite database was not created');
    return { databaseUrl: url, sqlitePath: '/nonexistent/unused.db' };
  });
});
