import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/http/errors.js';
import { defaultSqlitePath, describeStoreLocation, resolveStoreLocation } from '../../../src/store/store-location.js';

const sqlitePath = '/srv/app/.gatehouse/gatehouse.db';

describe('resolveStoreLocation', () => {
  it('uses the SQLite path when no database_url is set', () => {
    expect(resolveStoreLocation({ sqlitePath })).toEqual({ kind: 'sqlite', path: sqlitePath });
  });

  it('picks PostgreSQL for postgresql:// and postgres:// URLs', () => {
    for (const url of ['postgresql://u:p@db:5432/gh', 'postgres://db/gh', 'POSTGRES://db/gh']) {
      expect(resolveStoreLocation({ databaseUrl: url, sqlitePath })).toEqual({ kind: 'postgres', url });
    }
  });

  it('reads sqlite:<path>, sqlite:///<absolute path> and sqlite::memory:', () => {
    expect(resolveStoreLocation({ databaseUrl: 'sqlite:./data/g.db', sqlitePath })).toEqual({ kind: 'sqlite', path: './data/g.db' });
    expect(resolveStoreLocation({ databaseUrl: 'sqlite:///var/lib/g.db', sqlitePath })).toEqual({ kind: 'sqlite', path: '/var/lib/g.db' });
    expect(resolveStoreLocation({ databaseUrl: 'sqlite::memory:', sqlitePath })).toEqual({ kind: 'sqlite', path: ':memory:' });
  });

  it('rejects other schemes and empty values, naming the setting but never echoing the URL', () => {
    const attempt = (databaseUrl: string) => () => resolveStoreLocation({ databaseUrl, sqlitePath });
    expect(attempt('mysql://root:hunter2@db/gh')).toThrow(InternalError);
    expect(attempt('mysql://root:hunter2@db/gh')).toThrow(/general_settings\.database_url: unsupported scheme 'mysql'/);
    expect(attempt('mysql://root:hunter2@db/gh')).not.toThrow(/hunter2/);
    expect(attempt('')).toThrow(/general_settings\.database_url: not a URL/);
    expect(attempt('sqlite:')).toThrow(/needs a file path/);
  });
});

describe('defaultSqlitePath', () => {
  it('is .gatehouse/gatehouse.db beside the config file', () => {
    expect(defaultSqlitePath(join('/etc', 'gatehouse', 'config.yaml'))).toBe(join('/etc', 'gatehouse', '.gatehouse', 'gatehouse.db'));
  });
});

describe('describeStoreLocation', () => {
  it('keeps host and database of a PostgreSQL URL, never the credentials', () => {
    const text = describeStoreLocation({ kind: 'postgres', url: 'postgresql://admin:s3cret@db.internal:5432/gatehouse' });
    expect(text).toBe('postgres://db.internal:5432/gatehouse');
  });
});
