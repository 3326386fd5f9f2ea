/**
 * Issue #6 part 1: the in-process key cache over a real (in-memory SQLite) store — one read per key per TTL,
 * shared by concurrent lookups, dropped by invalidate(), one SQL query per miss (key, team and organisation
 * joined), and a key whose team or organisation is gone resolves to nothing.
 */
import type { KyselyPlugin } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyCache, type KeySources } from '../../../src/auth/key-cache.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { createKeysRepository } from '../../../src/store/keys-repository.js';
import { createKeyInTeamInOrganization, keyRecord, teamRecord } from '../../integration/store/keys-store-suite.js';

let store: Store;
let queries: number;
let sources: KeySources;
let clock: number;

beforeEach(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: '/nonexistent/unused.db' });
  queries = 0;
  clock = 1_000;
  // The real repository on the real connection, with every SQL statement it sends counted.
  const counting: KyselyPlugin = {
    transformQuery: (args) => ((queries += 1), args.node),
    transformResult: async (args) => args.result,
  };
  sources = { keys: createKeysRepository(store.db.withPlugin(counting), 'sqlite') };
});

afterEach(async () => {
  await store.close();
});

const cache = () => new KeyCache(sources, { ttlMs: 1_000, maxEntries: 100, now: () => clock });

describe('KeyCache', () => {
  it('reads a key once per TTL, and concurrent lookups share the read', async () => {
    const key = keyRecord();
    await store.keys.create(key);
    const keys = cache();
    const [a, b] = await Promise.all([keys.lookup(key.token), keys.lookup(key.token)]);
    expect(a).toEqual({ key, team: null, organization: null });
    expect(b).toBe(a);
    await keys.lookup(key.token);
    expect(queries).toBe(1);
    clock += 1_001;
    await keys.lookup(key.token);
    expect(queries).toBe(2);
  });

  it('caches an unknown token too, and invalidate() makes the next lookup read again', async () => {
    const keys = cache();
    const key = keyRecord();
    expect(await keys.lookup(key.token)).toBeNull();
    await store.keys.create(key);
    expect(await keys.lookup(key.token)).toBeNull();
    keys.invalidate();
    expect((await keys.lookup(key.token))?.key.token).toBe(key.token);
    expect(queries).toBe(2);
  });

  it('resolves a key, its team and the team organization in one SQL query on a miss', async () => {
    const resolved = await createKeyInTeamInOrganization(store);
    expect(await cache().lookup(resolved.key.token)).toEqual(resolved);
    expect(queries).toBe(1);
  });

  it('resolves a key in a team without an organization', async () => {
    const team = teamRecord();
    await store.teams.create(team);
    const key = keyRecord({ team_id: team.team_id });
    await store.keys.create(key);
    expect(await cache().lookup(key.token)).toEqual({ key, team, organization: null });
  });

  it('resolves nothing once the team is gone', async () => {
    const team = teamRecord();
    await store.teams.create(team);
    const key = keyRecord({ team_id: team.team_id });
    await store.keys.create(key);
    const keys = cache();
    expect((await keys.lookup(key.token))?.team).toEqual(team);
    // Behind the repositories' back (they never leave a key without its team): the read must not drop team limits.
    await store.db.deleteFrom('teams').where('team_id', '=', team.team_id).execute();
    keys.invalidate();
    expect(await keys.lookup(key.token)).toBeNull();
  });

  it("resolves nothing once the team's organization is gone", async () => {
    const { key, organization } = await createKeyInTeamInOrganization(store);
    const keys = cache();
    expect((await keys.lookup(key.token))?.organization).toEqual(organization);
    await store.db.deleteFrom('organizations').where('organization_id', '=', organization.organization_id).execute();
    keys.invalidate();
    expect(await keys.lookup(key.token)).toBeNull();
  });
});
