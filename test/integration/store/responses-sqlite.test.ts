/** Issue #4 (stored responses) and #6 (same store suite on both databases): SQLite, in a temporary file. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultSqlitePath, openStore } from '../../../src/store/index.js';
import { defineResponsesStoreTests } from './responses-store-suite.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-store-'));
let freshCount = 0;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('responses store on SQLite', () => {
  defineResponsesStoreTests({
    // The default layout: .gatehouse/gatehouse.db beside a config file.
    settings: () => ({ sqlitePath: defaultSqlitePath(join(root, 'config.yaml')) }),
    freshSettings: async () => ({ sqlitePath: join(root, `fresh-${++freshCount}`, 'store.db') }),
  });

  it('creates the default .gatehouse folder with a .gitignore that ignores it, and uses WAL', async () => {
    const configPath = join(root, 'project', 'config.yaml');
    const store = await openStore({ sqlitePath: defaultSqlitePath(configPath) });
    try {
      expect(existsSync(join(root, 'project', '.gatehouse', 'gatehouse.db'))).toBe(true);
      expect(readFileSync(join(root, 'project', '.gatehouse', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
      expect(rows[0]?.journal_mode).toBe('wal');
    } finally {
      await store.close();
    }
  });

  it('sqlite::memory: opens a migrated in-memory store', async () => {
    const store = await openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: join(root, 'unused.db') });
    try {
      expect(store.dialect).toBe('sqlite');
      expect(await store.responses.get('resp_none')).toBeNull();
      expect(existsSync(join(root, 'unused.db'))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
