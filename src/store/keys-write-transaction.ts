/**
 * The write path the keys, teams and organisations repositories share: one transaction, and a unique-constraint
 * violation (PostgreSQL 23505, SQLite's UNIQUE/PRIMARYKEY codes) answered as the repository's "taken" result.
 */
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './schema.js';

export async function writeOrTaken<R>(db: Kysely<StoreDatabase>, taken: R, work: (trx: Kysely<StoreDatabase>) => Promise<R>): Promise<R> {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
}

/** A unique or primary-key violation, on either database (PostgreSQL 23505, SQLite's constraint codes). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
