/**
 * Where the store lives: `general_settings.database_url` (or none) turned into a PostgreSQL URL or a SQLite
 * file path, and the default SQLite path beside the config file.
 */
import { dirname, join } from 'node:path';
import { InternalError } from '../http/errors.js';

export type StoreLocation =
  | { kind: 'postgres'; url: string }
  /** `path` is `:memory:` for an in-process database that disappears on close. */
  | { kind: 'sqlite'; path: string };

/** The folder beside the config file that holds Gatehouse's local state; it ignores itself in git. */
export const STATE_DIRECTORY_NAME = '.gatehouse';

const SQLITE_FILE_NAME = 'gatehouse.db';
const MEMORY_PATH = ':memory:';

/** `<config dir>/.gatehouse/gatehouse.db`: the SQLite file used when no `database_url` is set. */
export function defaultSqlitePath(configPath: string): string {
  return join(dirname(configPath), STATE_DIRECTORY_NAME, SQLITE_FILE_NAME);
}

/**
 * `postgresql://…` / `postgres://…` → PostgreSQL; `sqlite:<path>` (also `sqlite://<path>`, `sqlite::memory:`)
 * → that SQLite file; no URL → `sqlitePath`. Relative SQLite paths resolve against the working directory.
 * Messages never echo the URL: it may carry a password.
 */
export function resolveStoreLocation(settings: { databaseUrl?: string; sqlitePath: string }): StoreLocation {
  const url = settings.databaseUrl;
  if (url === undefined) return { kind: 'sqlite', path: settings.sqlitePath };
  const lower = url.toLowerCase();
  if (lower.startsWith('postgresql://') || lower.startsWith('postgres://')) return { kind: 'postgres', url };
  if (lower.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    // `sqlite:///abs/x.db` is the URL spelling of `/abs/x.db`.
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') throw new InternalError('general_settings.database_url: sqlite: needs a file path or :memory:');
    return { kind: 'sqlite', path };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  throw new InternalError(
    `general_settings.database_url: ${scheme === undefined ? 'not a URL' : `unsupported scheme '${scheme}'`}` +
      ' (expected postgresql://…, postgres://… or sqlite:<path>)',
  );
}

export function isMemoryPath(path: string): boolean {
  return path === MEMORY_PATH;
}

/** A loggable description of the location: host and database for PostgreSQL, never user or password. */
export function describeStoreLocation(location: StoreLocation): string {
  if (location.kind === 'sqlite') return `sqlite:${location.path}`;
  try {
    const parsed = new URL(location.url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres';
  }
}
