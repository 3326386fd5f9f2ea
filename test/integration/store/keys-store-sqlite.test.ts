/** Issue #6 (same store suite on both databases): keys, teams and organizations on SQLite, in a temporary file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { defineKeysStoreTests } from './keys-store-suite.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-keys-store-'));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('keys, teams and organizations store on SQLite', () => {
  defineKeysStoreTests(() => ({ sqlitePath: join(root, 'store.db') }));
});
