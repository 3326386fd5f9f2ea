/**
 * The responses-store tests, run unchanged against every database (responses-sqlite.test.ts,
 * responses-postgres.test.ts). Each test uses fresh ids, so tests in one file share one database.
 */
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/http/errors.js';
import { openStore, type Store, type StoreSettings } from '../../../src/store/index.js';
import { storeMigrations } from '../../../src/store/migrations/migration-list.js';
import { MIGRATION_TABLE, runMigrations } from '../../../src/store/run-migrations.js';
import { responseRecord, uniqueId, userMessage } from './response-fixtures.js';

export interface SuiteDatabase {
  /** Settings for this file's database; every call names the same database. */
  settings(): StoreSettings;
  /** Settings for a database no store has opened yet. */
  freshSettings(): Promise<StoreSettings>;
}

export function defineResponsesStoreTests(database: SuiteDatabase): void {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const open = async (overrides: Partial<StoreSettings> = {}): Promise<Store> => {
    const store = await openStore({ ...database.settings(), ...overrides });
    opened.push(store);
    return store;
  };
  const migrationNames = async (store: Store): Promise<string[]> => {
    const result = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(store.db);
    return result.rows.map((row) => row.name);
  };
  /** Three linked responses, saved oldest first through `store`. */
  const saveChainOfThree = async (store: Store) => {
    const first = responseRecord({ inputText: ['one a', 'one b'], outputText: ['one out'], instructions: 'be brief' });
    const second = responseRecord({ previousResponseId: first.id, inputText: ['two'], outputText: ['two out'] });
    const third = responseRecord({ previousResponseId: second.id, inputText: ['three'], outputText: ['three out a', 'three out b'] });
    for (const record of [first, second, third]) await store.responses.save(record);
    return [first, second, third] as const;
  };

  it('migrates a new database at open, and opening it again (also twice at once) applies nothing', async () => {
    const settings = await database.freshSettings();
    const [a, b] = await Promise.all([openStore(settings), openStore(settings)]);
    opened.push(a, b);
    const expected = Object.keys(storeMigrations(a.dialect)).sort();
    expect(await migrationNames(a)).toEqual(expected);
    expect(await runMigrations(a.db, a.dialect)).toEqual([]);
    const c = await openStore(settings);
    opened.push(c);
    expect(await migrationNames(c)).toEqual(expected);
  });

  it('saves, gets and deletes a response; delete reports whether it existed', async () => {
    const store = await open();
    const record = responseRecord({ ownerId: 'key_123', store: false, instructions: [userMessage('system-ish')] });
    await store.responses.save(record);
    expect(await store.responses.get(record.id)).toEqual(record);
    expect(await (await open()).responses.get(record.id)).toEqual(record);
    expect(await store.responses.delete(record.id)).toBe(true);
    expect(await store.responses.get(record.id)).toBeNull();
    expect(await (await open()).responses.get(record.id)).toBeNull();
    expect(await store.responses.delete(record.id)).toBe(false);
    expect(await store.responses.get(uniqueId('resp'))).toBeNull();
  });

  it('save replaces a response with the same id (status change)', async () => {
    const store = await open();
    const pending = responseRecord({ status: 'in_progress' });
    await store.responses.save(pending);
    const done = { ...pending, status: 'completed' as const, response: { ...pending.response, status: 'completed' as const } };
    await store.responses.save(done);
    expect(await store.responses.get(pending.id)).toEqual(done);
    expect(await (await open()).responses.get(pending.id)).toEqual(done);
  });

  it('keeps JSON payloads exact, including U+0000, astral characters and instructions as items', async () => {
    const store = await open();
    const record = responseRecord({
      inputText: ['nul \u0000 inside', 'emoji 🦊 and "quotes" \\ backslash', ''],
      instructions: [userMessage('line one\nline two')],
    });
    await store.responses.save(record);
    expect(await (await open()).responses.get(record.id)).toEqual(record);
  });

  it('chain returns the conversation of three linked responses oldest first, cold, warm and half-cached', async () => {
    const writer = await open();
    const [first, second, third] = await saveChainOfThree(writer);
    const expectedItems = [
      ...first.inputItems,
      ...first.outputItems,
      ...second.inputItems,
      ...second.outputItems,
      ...third.inputItems,
      ...third.outputItems,
    ];
    const warm = await writer.responses.chain(third.id);
    const cold = await (await open()).responses.chain(third.id);
    const halfCachedStore = await open();
    await halfCachedStore.responses.get(third.id);
    const halfCached = await halfCachedStore.responses.chain(third.id);
    for (const chain of [warm, cold, halfCached]) {
      if (chain.kind !== 'found') throw new Error(`expected a chain, got ${chain.kind}`);
      expect(chain.responses.map((record) => record.id)).toEqual([first.id, second.id, third.id]);
      expect(chain.items).toEqual(expectedItems);
    }
    const partial = await (await open()).responses.chain(second.id);
    expect(partial.kind === 'found' && partial.responses.map((record) => record.id)).toEqual([first.id, second.id]);
  });

  it('chain reports the missing id: an unknown response, or a deleted link', async () => {
    const store = await open();
    const unknown = uniqueId('resp');
    expect(await store.responses.chain(unknown)).toEqual({ kind: 'missing', missingId: unknown });
    const [first, , third] = await saveChainOfThree(store);
    expect(await store.responses.delete(first.id)).toBe(true);
    expect(await store.responses.chain(third.id)).toEqual({ kind: 'missing', missingId: first.id });
    expect(await (await open()).responses.chain(third.id)).toEqual({ kind: 'missing', missingId: first.id });
  });

  it('chain stops at the length limit instead of following a chain without end', async () => {
    const writer = await open({ maxChainLength: 2 });
    const [, second, third] = await saveChainOfThree(writer);
    const cold = await open({ maxChainLength: 2 });
    for (const store of [writer, cold]) {
      expect(await store.responses.chain(third.id)).toEqual({ kind: 'too_long', maxLength: 2 });
      expect((await store.responses.chain(second.id)).kind).toBe('found');
      expect((await store.responses.chain(third.id, { maxLength: 3 })).kind).toBe('found');
    }
  });

  it('pages input items as GET /v1/responses/{id}/input_items lists them: desc or asc, after an item id, has_more', async () => {
    const store = await open();
    const record = responseRecord({ inputText: ['i1', 'i2', 'i3', 'i4', 'i5'] });
    await store.responses.save(record);
    const ids = record.inputItems.map((item) => item.id);
    for (const reader of [store, await open()]) {
      const page = async (query: { after?: string; limit: number; order: 'asc' | 'desc' }) => {
        const result = await reader.responses.inputItems(record.id, query);
        return result && { ids: result.items.map((item) => item.id), hasMore: result.hasMore };
      };
      expect(await page({ limit: 2, order: 'desc' })).toEqual({ ids: [ids[4], ids[3]], hasMore: true });
      expect(await page({ after: ids[3], limit: 2, order: 'desc' })).toEqual({ ids: [ids[2], ids[1]], hasMore: true });
      expect(await page({ after: ids[1], limit: 2, order: 'desc' })).toEqual({ ids: [ids[0]], hasMore: false });
      expect(await page({ limit: 3, order: 'asc' })).toEqual({ ids: ids.slice(0, 3), hasMore: true });
      expect(await page({ after: ids[2], limit: 2, order: 'asc' })).toEqual({ ids: ids.slice(3), hasMore: false });
      expect(await page({ limit: 100, order: 'asc' })).toEqual({ ids, hasMore: false });
      await expect(page({ after: 'msg_unknown', limit: 2, order: 'asc' })).rejects.toMatchObject({ param: 'after' });
      await expect(page({ limit: 0, order: 'asc' })).rejects.toBeInstanceOf(InvalidRequestError);
      expect(await reader.responses.inputItems(uniqueId('resp'), { limit: 2, order: 'desc' })).toBeNull();
    }
  });

  it('serves repeated reads from the cache: the same frozen record a fresh read returns', async () => {
    const store = await open();
    const record = responseRecord();
    await store.responses.save(record);
    const first = await store.responses.get(record.id);
    const second = await store.responses.get(record.id);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first?.inputItems[0])).toBe(true);
    expect(first).toEqual(await (await open()).responses.get(record.id));
  });

  it('invalidates the cache on delete (a row removed behind its back is still cached until then)', async () => {
    const store = await open();
    const record = responseRecord();
    await store.responses.save(record);
    await store.db.deleteFrom('responses').where('id', '=', record.id).execute();
    expect(await store.responses.get(record.id)).toEqual(record);
    await store.responses.save(record);
    expect(await store.responses.delete(record.id)).toBe(true);
    expect(await store.responses.get(record.id)).toBeNull();
    expect(await store.responses.chain(record.id)).toEqual({ kind: 'missing', missingId: record.id });
    expect(await store.responses.inputItems(record.id, { limit: 1, order: 'asc' })).toBeNull();
  });

  it('keeps stored responses and chains across a close and reopen (across restarts)', async () => {
    const before = await openStore(database.settings());
    const [first, second, third] = await saveChainOfThree(before);
    await before.close();
    const after = await open();
    expect(await after.responses.get(second.id)).toEqual(second);
    const chain = await after.responses.chain(third.id);
    expect(chain.kind === 'found' && chain.responses).toEqual([first, second, third]);
  });
}
