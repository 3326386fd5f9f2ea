/**
 * Issue #4 (stored responses) and #6 (same store suite on both databases): PostgreSQL, in a throwaway database.
 * Skipped, with the reason in the suite title, when no PostgreSQL answers at GATEHOUSE_TEST_POSTGRES_URL
 * (default postgres://postgres@127.0.0.1:5432/test); GATEHOUSE_REQUIRE_POSTGRES=1 (or CI=true) turns that skip into a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type StoreSettings } from '../../../src/store/index.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './postgres-databases.js';
import { defineResponsesStoreTests } from './responses-store-suite.js';

const probe = await probePostgres(POSTGRES_ADMIN_URL);
// CI machines run PostgreSQL, so there a missing server is a failure, not a skip.
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';
const skip = !probe.reachable && !required;
const title = probe.reachable
  ? 'responses store on PostgreSQL'
  : `responses store on PostgreSQL — ${skip ? 'SKIPPED' : 'REQUIRED but'}: no PostgreSQL at ${redact(POSTGRES_ADMIN_URL)} (${probe.reason})`;

const databases = throwawayDatabases(POSTGRES_ADMIN_URL);
let suiteUrl: string | undefined;
/** The SQLite path is never used: a postgres URL always wins. */
const postgresSettings = (databaseUrl: string): StoreSettings => ({ databaseUrl, sqlitePath: '/nonexistent/unused.db' });

describe.skipIf(skip)(title, () => {
  beforeAll(async () => {
    if (!probe.reachable) throw new Error(`GATEHOUSE_REQUIRE_POSTGRES=1 but PostgreSQL is unreachable: ${probe.reason}`);
    suiteUrl = await databases.create();
  });
  afterAll(async () => {
    await databases.dropAll();
  });

  defineResponsesStoreTests({
    settings: () => {
      if (suiteUrl === undefined) throw new Error('the suite database was not created');
      return postgresSettings(suiteUrl);
    },
    freshSettings: async () => postgresSettings(await databases.create()),
  });

  it('reads bigint columns (epoch-millisecond timestamps) as numbers, not strings', async () => {
    const store = await openStore(postgresSettings(suiteUrl ?? ''));
    try {
      expect(store.dialect).toBe('postgres');
      const bigint = await store.db
        .selectNoFrom((eb) => eb.cast<number>(eb.val('1700000000123'), 'bigint').as('n'))
        .executeTakeFirstOrThrow();
      expect(bigint.n).toBe(1_700_000_000_123);
    } finally {
      await store.close();
    }
  });
});

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return 'GATEHOUSE_TEST_POSTGRES_URL';
  }
}
