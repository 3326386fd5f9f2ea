/**
 * Issue #6 part 1: the in-process key cache over a real (in-memory SQLite) store — one read per key per TTL,
 * shared by concurrent lookups, dropped by invalidate(), and a key whose team is gone resolves to nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyCache, type KeySources } from '../../../src/auth/key-cache.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { keyRecord, teamRecord } from '../../integration/store/keys-store-suite.js';

let store: Store;
let reads: number;
let sources: KeySources;
let clock: number;

beforeEach(async () => {
  store = await openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: '/nonexistent/unused.db' });
  reads = 0;
  clock = 1_000;
  // The real repository, counted: how often the cache goes to the database.
  sources = {
    keys: { ...store.keys, get: (token) => ((reads += 1), store.keys.get(token)) },
    teams: store.teams,
    organizations: store.organizations,
  };
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
    expect(a?.key).toEqual(key);
    expect(b).toBe(a);
    await keys.lookup(key.token);
    expect(reads).toBe(1);
    clock += 1_001;
    await keys.lookup(key.token);
    expect(reads).toBe(2);
  });

  it('caches an unknown token too, and invalidate() makes the next lookup read again', async () => {
    const keys = cache();
    const key = keyRecord();
    expect(await keys.lookup(key.token)).toBeNull();
    await store.keys.create(key);
    expect(await keys.lookup(key.token)).toBeNull();
    keys.invalidate();
    expect((await keys.lookup(key.token))?.key.token).toBe(key.token);
    expect(reads).toBe(2);
  });

  it('resolves the team and its organization, and nothing once the team is gone', async () => {
    const team = teamRecord();
    await store.teams.create(team);
    const key = keyRecord({ team_id: team.team_id });
    await store.keys.create(key);
    const keys = cache();
    expect((await keys.lookup(key.token))?.team).toEqual(team);
    await store.db.deleteFrom('teams').where('team_id', '=', team.team_id).execute();
    keys.invalidate();
    expect(await keys.lookup(key.token)).toBeNull();
  });
});
