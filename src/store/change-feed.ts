/**
 * The store's change counters: every write to a shared table bumps its topic's version inside the write's own
 * transaction, so another replica learns "something changed" by reading `store_changes` (one tiny table), with
 * or without Redis. Topics: `mcp_servers`, `keys`, `teams`, `organizations`.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreDatabase } from './schema.js';

export type ChangeTopic = 'mcp_servers' | 'keys' | 'teams' | 'organizations';

/** Call inside the transaction that writes `topic`'s rows (a Kysely `Transaction` is a `Kysely`). */
export async function bumpChange(db: Kysely<StoreDatabase>, topic: ChangeTopic): Promise<void> {
  await db
    .insertInto('store_changes')
    .values({ topic, version: 1 })
    .onConflict((conflict) => conflict.column('topic').doUpdateSet({ version: sql<number>`store_changes.version + 1` }))
    .execute();
}

/** Every topic's current version (topics never written are absent). */
export async function readChangeVersions(db: Kysely<StoreDatabase>): Promise<Map<string, number>> {
  const rows = await db.selectFrom('store_changes').select(['topic', 'version']).execute();
  return new Map(rows.map((row) => [row.topic, Number(row.version)]));
}
