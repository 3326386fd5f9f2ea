/** Opening a store that cannot open fails at once, naming the location (never its credentials) and the cause. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/http/errors.js';
import { openStore } from '../../../src/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'gatehouse-store-errors-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('openStore failures', () => {
  it('rejects an unreachable PostgreSQL with the host and the driver error, without the password', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const opening = openStore({ databaseUrl: 'postgresql://gatehouse:s3cret@127.0.0.1:1/gatehouse', sqlitePath: join(root, 'unused.db') });
    await expect(opening).rejects.toThrow(InternalError);
    await expect(opening).rejects.toThrow(/cannot open postgres:\/\/127\.0\.0\.1:1\/gatehouse: migrations could not start: .*ECONNREFUSED/);
    await expect(opening).rejects.not.toThrow(/s3cret/);
  });

  it('rejects a SQLite path under a regular file with the path and the cause', async () => {
    const file = join(root, 'not-a-directory');
    writeFileSync(file, '');
    await expect(openStore({ sqlitePath: join(file, 'gatehouse.db') })).rejects.toThrow(/cannot open sqlite:.*not-a-directory.*: EEXIST/);
  });

  it('rejects a chain length limit that is not a positive integer', async () => {
    await expect(openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: '', maxChainLength: 0 })).rejects.toThrow(InternalError);
  });

  it('rejects a cache size that is not a positive integer', async () => {
    await expect(openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: '', responsesCacheSize: 0 })).rejects.toThrow(/maxEntries/);
  });
});
