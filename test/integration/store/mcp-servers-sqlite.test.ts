/** Issue #6: the MCP servers repository suite on SQLite, in temporary files. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { defineMcpServersStoreTests } from './mcp-servers-store-suite.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-mcp-servers-'));
let freshCount = 0;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('mcp servers store on SQLite', () => {
  defineMcpServersStoreTests({
    settings: () => ({ sqlitePath: join(root, 'suite', 'store.db') }),
    freshSettings: async () => ({ sqlitePath: join(root, `fresh-${++freshCount}`, 'store.db') }),
  });
});
