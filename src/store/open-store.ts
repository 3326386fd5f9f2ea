/**
 * The store: one Kysely instance (SQLite by default, PostgreSQL when a `postgres(ql)://` URL is set), migrated
 * at open, and the repositories over it. Built once per app and closed on shutdown.
 */
import type { Kysely } from 'kysely';
import { InternalError } from '../http/errors.js';
import { connectDatabase, type ConnectedDatabase } from './connect-database.js';
import type { StoreDialect } from './dialect.js';
import type { KeysRepository } from './keys-record.js';
import { createKeysRepository } from './keys-repository.js';
import type { OrganizationsRepository } from './organizations-record.js';
import { createOrganizationsRepository } from './organizations-repository.js';
import { cacheResponses } from './responses-cache.js';
import type { OpenAIResponsePayloads, ResponsePayloads, ResponsesRepository } from './responses-record.js';
import { createResponsesRepository } from './responses-repository.js';
import { runMigrations } from './run-migrations.js';
import type { SpendLogsRepository } from './spend-logs-record.js';
import { createSpendLogsRepository } from './spend-logs-repository.js';
import type { StoreDatabase } from './schema.js';
import { describeStoreLocation, resolveStoreLocation } from './store-location.js';
import type { StoreLogger } from './store-logger.js';
import type { TeamsRepository } from './teams-record.js';
import { createTeamsRepository } from './teams-repository.js';

export interface StoreSettings {
  /** `general_settings.database_url`: `postgresql://…`, `postgres://…`, `sqlite:<path>` or `sqlite::memory:`. */
  databaseUrl?: string;
  /** The SQLite file when `databaseUrl` is not set; see `defaultSqlitePath`. Its folder is created. */
  sqlitePath: string;
  /** Responses kept in the in-process cache (default 1000). */
  responsesCacheSize?: number;
  /** Longest `previous_response_id` chain followed (default 256 responses). */
  maxChainLength?: number;
}

export interface Store<P extends ResponsePayloads = OpenAIResponsePayloads> {
  readonly dialect: StoreDialect;
  /** For repositories added later; routes use the repositories. */
  readonly db: Kysely<StoreDatabase>;
  /** Cached in process; see responses-cache.ts for what another replica's writes mean for it. */
  readonly responses: ResponsesRepository<P>;
  /** Virtual keys, teams and organisations (issue #6); uncached here, auth/ caches resolved keys. */
  readonly keys: KeysRepository;
  readonly teams: TeamsRepository;
  readonly organizations: OrganizationsRepository;
  /** Spend logs and the spend totals of keys, teams and organisations (issue #7). */
  readonly spendLogs: SpendLogsRepository;
  close(): Promise<void>;
}

export const DEFAULT_RESPONSES_CACHE_SIZE = 1000;
export const DEFAULT_MAX_CHAIN_LENGTH = 256;

/** Connects, applies pending migrations and builds the repositories; closes the connection again if that fails. */
export async function openStore<P extends ResponsePayloads = OpenAIResponsePayloads>(
  settings: StoreSettings,
  logger?: StoreLogger,
): Promise<Store<P>> {
  const maxChainLength = settings.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  if (!Number.isInteger(maxChainLength) || maxChainLength < 1) {
    throw new InternalError(`store: maxChainLength must be a positive integer, got ${String(maxChainLength)}`);
  }
  const location = resolveStoreLocation(settings);
  const cannotOpen = (error: unknown) =>
    new InternalError(`store: cannot open ${describeStoreLocation(location)}: ${messageOf(error)}`, { cause: error });
  let connected: ConnectedDatabase<StoreDatabase>;
  try {
    connected = connectDatabase<StoreDatabase>(location, logger);
  } catch (error) {
    throw cannotOpen(error);
  }
  const { dialect, db } = connected;
  let responses: ResponsesRepository<P>;
  try {
    await connected.migrateExclusively(() => runMigrations(db, dialect, logger));
    responses = cacheResponses(createResponsesRepository<P>(db, dialect, { maxChainLength }), {
      maxEntries: settings.responsesCacheSize ?? DEFAULT_RESPONSES_CACHE_SIZE,
      maxChainLength,
    });
  } catch (error) {
    await db.destroy();
    throw cannotOpen(error);
  }
  logger?.info({ store: describeStoreLocation(location) }, 'store open');
  return {
    dialect,
    db,
    responses,
    keys: createKeysRepository(db, dialect),
    teams: createTeamsRepository(db, dialect),
    organizations: createOrganizationsRepository(db, dialect),
    spendLogs: createSpendLogsRepository(db, connected.sqlite),
    close: () => db.destroy(),
  };
}

/** The error's message and its causes' (the migration error wraps the driver's). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message}: ${messageOf(error.cause)}`;
}
