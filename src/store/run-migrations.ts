/** Brings the schema up to date at open. Kysely's lock table makes concurrent replicas on one PostgreSQL safe. */
import { Migrator, type Kysely } from 'kysely';
import { InternalError } from '../http/errors.js';
import type { StoreDialect } from './dialect.js';
import { storeMigrations } from './migrations/migration-list.js';
import type { StoreLogger } from './store-logger.js';

export const MIGRATION_TABLE = 'gatehouse_migration';
export const MIGRATION_LOCK_TABLE = 'gatehouse_migration_lock';

/** Applies every pending migration; returns the names applied by this call (empty when already current). */
export async function runMigrations<DB>(db: Kysely<DB>, dialect: StoreDialect, logger?: StoreLogger): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => storeMigrations(dialect) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  const failed = results.find((result) => result.status === 'Error');
  if (error !== undefined || failed !== undefined) {
    const step = failed === undefined ? 'migrations could not start' : `migration ${failed.migrationName} failed`;
    throw new InternalError(step, { cause: error });
  }
  const applied = results.map((result) => result.migrationName);
  if (applied.length > 0) logger?.info({ dialect, migrations: applied }, 'store schema migrated');
  return applied;
}
