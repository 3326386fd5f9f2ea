/**
 * Opens the Kysely instance for a store location: better-sqlite3 (WAL, busy timeout, foreign keys) or a `pg` pool.
 * Kysely's SQLite driver runs better-sqlite3's synchronous calls one at a time behind a mutex; that is its design.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { InternalError } from '../http/errors.js';
import type { StoreDialect } from './dialect.js';
import type { StoreLogger } from './store-logger.js';
import { isMemoryPath, STATE_DIRECTORY_NAME, type StoreLocation } from './store-location.js';

/** How long a SQLite writer waits for another process's lock before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** How long opening waits for another process (or store) to finish migrating the same SQLite file. */
const SQLITE_MIGRATION_LOCK_WAIT_MS = 60_000;
const SQLITE_LOCK_RETRY_MS = 20;
/** A PostgreSQL that does not answer fails the start-up instead of hanging it. */
const POSTGRES_CONNECT_TIMEOUT_MS = 10_000;
const INT8_OID = 20;

export interface ConnectedDatabase<DB> {
  dialect: StoreDialect;
  db: Kysely<DB>;
  /** The SQLite handle under `db`, for prepared statements on hot writes (use it only inside `db.connection()`). */
  sqlite?: Database.Database;
  /**
   * Runs the migrations so that two processes opening one database at once apply them once. PostgreSQL: Kysely's
   * Migrator takes an advisory lock itself. SQLite: Kysely's lock is a no-op (it assumes one connection), so the
   * migrations run inside `BEGIN IMMEDIATE`, which holds the file's write lock (and rolls back DDL on failure).
   */
  migrateExclusively<T>(migrate: () => Promise<T>): Promise<T>;
}

export function connectDatabase<DB>(location: StoreLocation, logger?: StoreLogger): ConnectedDatabase<DB> {
  if (location.kind === 'postgres') {
    return { dialect: 'postgres', db: connectPostgres<DB>(location.url, logger), migrateExclusively: (migrate) => migrate() };
  }
  const database = openSqlite(location.path);
  return {
    dialect: 'sqlite',
    db: new Kysely<DB>({ dialect: new SqliteDialect({ database }) }),
    sqlite: database,
    migrateExclusively: (migrate) => holdingWriteLock(database, migrate),
  };
}

function openSqlite(path: string): Database.Database {
  if (!isMemoryPath(path)) prepareDirectory(dirname(path));
  const database = new Database(path);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma('foreign_keys = ON');
    // With WAL, NORMAL loses at most the last transactions on power loss, never consistency.
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

async function holdingWriteLock<T>(database: Database.Database, work: () => Promise<T>): Promise<T> {
  await beginImmediate(database);
  try {
    const result = await work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

/** Creates the SQLite file's folder; a `.gatehouse` state folder also gets a `.gitignore` that ignores it whole. */
function prepareDirectory(directory: string): void {
  mkdirSync(directory, { recursive: true });
  const gitignore = join(directory, '.gitignore');
  if (basename(directory) === STATE_DIRECTORY_NAME && !existsSync(gitignore)) {
    writeFileSync(gitignore, '# Gatehouse local state (SQLite store); never commit it.\n*\n');
  }
}

/**
 * `BEGIN IMMEDIATE`, retried without blocking: with SQLite's own busy wait (synchronous) a second store opening
 * the same file in this process would stall the event loop that the first one needs to finish and let go.
 */
async function beginImmediate(database: Database.Database): Promise<void> {
  const deadline = Date.now() + SQLITE_MIGRATION_LOCK_WAIT_MS;
  database.pragma('busy_timeout = 0');
  try {
    for (;;) {
      try {
        database.exec('BEGIN IMMEDIATE');
        return;
      } catch (error) {
        const busy = error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY';
        if (!busy || Date.now() >= deadline) throw error;
        await delay(SQLITE_LOCK_RETRY_MS);
      }
    }
  } finally {
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  }
}

function connectPostgres<DB>(url: string, logger?: StoreLogger): Kysely<DB> {
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    // Per pool, not pg's global parser table: int8 columns (epoch-ms timestamps, counts) come back as numbers.
    types: { getTypeParser: (oid, format) => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format)) },
  });
  // An idle client that loses its connection emits 'error' on the pool; unhandled, that would end the process.
  // The pool drops the client and the next query connects afresh.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new InternalError(`store: integer ${text} is outside JavaScript's safe range`);
  return value;
}
