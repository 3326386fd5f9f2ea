/**
 * The MCP servers repository over SQL (SQLite or PostgreSQL). Every configuration write runs in one transaction
 * with its `store_changes` bump; an update reads its row `FOR UPDATE` (PostgreSQL) so concurrent partial updates
 * of one server never lose each other's fields. Secrets are sealed by a SecretBox before they reach a row.
 */
import Database from 'better-sqlite3';
import type { Insertable, Kysely, Selectable } from 'kysely';
import { InternalError, McpServerExistsError, SecretKeyMissingError } from '../http/errors.js';
import { bumpChange } from './change-feed.js';
import { decodeFlag, decodeJson, encodeFlag, encodeJson, type StoreDialect } from './dialect.js';
import type { McpServerHealthStatus, McpServersRepository, StoredMcpCredentials, StoredMcpInfo, StoredMcpServer } from './mcp-servers-record.js';
import type { McpServersTable, StoreDatabase } from './schema.js';
import type { SecretBox } from './secret-box.js';
import { isUniqueViolation } from './keys-write-transaction.js';

const TOPIC = 'mcp_servers';
const STATUSES: ReadonlySet<string> = new Set<McpServerHealthStatus>(['healthy', 'unhealthy', 'unknown']);

export interface McpServersRepositoryOptions {
  /** Null when neither LITELLM_SALT_KEY nor a master key is set: servers without secrets can still be stored. */
  secrets: SecretBox | null;
  /** The unique name key of a server (its lower-cased tool prefix); the admin layer owns the naming rule. */
  nameKey: (server: StoredMcpServer) => string;
}

interface Secrets {
  credentials: StoredMcpCredentials | null;
  env: Record<string, string>;
  static_headers: Record<string, string>;
}

export function createMcpServersRepository(db: Kysely<StoreDatabase>, dialect: StoreDialect, options: McpServersRepositoryOptions): McpServersRepository {
  const encode = (server: StoredMcpServer) => encodeRow(server, options);
  const decode = (row: Selectable<McpServersTable>) => decodeRow(dialect, row, options.secrets);

  return {
    async list() {
      const rows = await db.selectFrom('mcp_servers').selectAll().orderBy('created_at').orderBy('server_id').execute();
      return rows.map(decode);
    },

    async get(serverId) {
      const row = await db.selectFrom('mcp_servers').selectAll().where('server_id', '=', serverId).executeTakeFirst();
      return row === undefined ? null : decode(row);
    },

    async create(server) {
      const row = encode(server);
      try {
        await db.transaction().execute(async (trx) => {
          await trx.insertInto('mcp_servers').values(row).execute();
          await bumpChange(trx, TOPIC);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicate(server, error);
        throw error;
      }
    },

    async update(serverId, change) {
      try {
        return await db.transaction().execute(async (trx) => {
          const select = trx.selectFrom('mcp_servers').selectAll().where('server_id', '=', serverId);
          const row = await (dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
          if (row === undefined) return null;
          const current = decode(row);
          const next = change(current);
          if (next === null) return current;
          const { server_id: _id, ...values } = encode({ ...next, server_id: serverId });
          await trx.updateTable('mcp_servers').set(values).where('server_id', '=', serverId).execute();
          await bumpChange(trx, TOPIC);
          return { ...next, server_id: serverId };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new McpServerExistsError('Another MCP server already uses this server_name or alias.', { cause: error });
        throw error;
      }
    },

    async delete(serverId) {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('mcp_servers').where('server_id', '=', serverId).executeTakeFirst();
        const existed = result.numDeletedRows > 0n;
        if (existed) await bumpChange(trx, TOPIC);
        return existed;
      });
    },

    async recordHealth(serverId, health) {
      await db
        .updateTable('mcp_servers')
        .set({ status: health.status, last_health_check: health.checkedAt, health_check_error: health.error })
        .where('server_id', '=', serverId)
        .execute();
    },
  };
}

function encodeRow(server: StoredMcpServer, options: McpServersRepositoryOptions): Insertable<McpServersTable> & { server_id: string } {
  const secrets: Secrets = { credentials: server.credentials, env: server.env, static_headers: server.static_headers };
  return {
    server_id: server.server_id,
    server_name: server.server_name,
    name_key: options.nameKey(server),
    alias: server.alias,
    description: server.description,
    url: server.url,
    transport: server.transport,
    spec_version: server.spec_version,
    auth_type: server.auth_type,
    secrets: sealSecrets(secrets, options.secrets),
    mcp_access_groups: encodeJson(server.mcp_access_groups),
    command: server.command,
    args: encodeJson(server.args),
    mcp_info: server.mcp_info === null ? null : encodeJson(server.mcp_info),
    extra_headers: encodeJson(server.extra_headers),
    allowed_tools: server.allowed_tools === null ? null : encodeJson(server.allowed_tools),
    disallowed_tools: server.disallowed_tools === null ? null : encodeJson(server.disallowed_tools),
    spec_path: server.spec_path,
    allow_all_keys: encodeFlag(server.allow_all_keys),
    available_on_public_internet: encodeFlag(server.available_on_public_internet),
    authorization_url: server.authorization_url,
    token_url: server.token_url,
    registration_url: server.registration_url,
    oauth2_flow: server.oauth2_flow,
    created_at: server.created_at,
    created_by: server.created_by,
    updated_at: server.updated_at,
    updated_by: server.updated_by,
    status: server.status,
    last_health_check: server.last_health_check,
    health_check_error: server.health_check_error,
  };
}

function sealSecrets(secrets: Secrets, box: SecretBox | null): string | null {
  const empty = !hasCredentials(secrets.credentials) && Object.keys(secrets.env).length === 0 && Object.keys(secrets.static_headers).length === 0;
  if (empty) return null;
  if (box === null) {
    throw new SecretKeyMissingError(
      'credentials, env and static_headers are encrypted at rest, and neither LITELLM_SALT_KEY nor general_settings.master_key is set: ' +
        'set one of them to store this server.',
    );
  }
  return box.seal(encodeJson(secrets));
}

function hasCredentials(credentials: StoredMcpCredentials | null): boolean {
  return credentials !== null && Object.values(credentials).some((value) => value !== undefined && value !== null && value !== '');
}

function decodeRow(dialect: StoreDialect, row: Selectable<McpServersTable>, box: SecretBox | null): StoredMcpServer {
  const where = `mcp_servers[${row.server_id}]`;
  const list = (value: unknown, column: string): string[] => {
    const decoded = decodeJson(dialect, value, `${where}.${column}`);
    if (!Array.isArray(decoded) || !decoded.every((item) => typeof item === 'string')) throw new InternalError(`store: ${where}.${column} is not a list of strings`);
    return decoded;
  };
  const optionalList = (value: unknown, column: string): string[] | null => (value === null ? null : list(value, column));
  if (!STATUSES.has(row.status)) throw new InternalError(`store: ${where} has unknown status '${row.status}'`);
  const opened = openSecrets(row.secrets, box, `${where}.secrets`);
  const server: StoredMcpServer = {
    server_id: row.server_id,
    server_name: row.server_name,
    alias: row.alias,
    description: row.description,
    url: row.url,
    transport: row.transport,
    spec_version: row.spec_version,
    auth_type: row.auth_type,
    credentials: opened.secrets.credentials,
    mcp_access_groups: list(row.mcp_access_groups, 'mcp_access_groups'),
    command: row.command,
    args: list(row.args, 'args'),
    env: opened.secrets.env,
    mcp_info: decodeJson(dialect, row.mcp_info, `${where}.mcp_info`) as StoredMcpInfo | null,
    static_headers: opened.secrets.static_headers,
    extra_headers: list(row.extra_headers, 'extra_headers'),
    allowed_tools: optionalList(row.allowed_tools, 'allowed_tools'),
    disallowed_tools: optionalList(row.disallowed_tools, 'disallowed_tools'),
    spec_path: row.spec_path,
    allow_all_keys: decodeFlag(Number(row.allow_all_keys)),
    available_on_public_internet: decodeFlag(Number(row.available_on_public_internet)),
    authorization_url: row.authorization_url,
    token_url: row.token_url ?? opened.legacyTokenUrl ?? null,
    registration_url: row.registration_url,
    oauth2_flow: row.oauth2_flow,
    created_at: Number(row.created_at),
    created_by: row.created_by,
    updated_at: Number(row.updated_at),
    updated_by: row.updated_by,
    status: row.status as McpServerHealthStatus,
    last_health_check: row.last_health_check === null ? null : Number(row.last_health_check),
    health_check_error: row.health_check_error,
  };
  if (opened.error !== undefined) server.secrets_error = opened.error;
  return server;
}

/** `legacyTokenUrl`: a row written before migrations/0011 kept `token_url` in its sealed credentials. */
function openSecrets(sealed: string | null, box: SecretBox | null, what: string): { secrets: Secrets; legacyTokenUrl?: string; error?: string } {
  const none: Secrets = { credentials: null, env: {}, static_headers: {} };
  if (sealed === null) return { secrets: none };
  if (box === null) return { secrets: none, error: 'stored secrets cannot be opened: neither LITELLM_SALT_KEY nor a master key is set' };
  try {
    const parsed = JSON.parse(box.open(sealed, what)) as Partial<Secrets> & { credentials?: { token_url?: string } | null };
    const { token_url: legacyTokenUrl, ...credentials } = parsed.credentials ?? {};
    return {
      secrets: { credentials: parsed.credentials ? credentials : null, env: parsed.env ?? {}, static_headers: parsed.static_headers ?? {} },
      ...(legacyTokenUrl ? { legacyTokenUrl } : {}),
    };
  } catch (error) {
    return { secrets: none, error: error instanceof Error ? error.message : 'stored secrets cannot be opened' };
  }
}

function duplicate(server: StoredMcpServer, cause: unknown): McpServerExistsError {
  const detail = String((cause as { constraint?: unknown; message?: unknown }).constraint ?? (cause as { message?: unknown }).message ?? '');
  if (/server_id|pkey|PRIMARYKEY/i.test(detail) || (cause instanceof Database.SqliteError && cause.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')) {
    return new McpServerExistsError(`An MCP server with server_id "${server.server_id}" already exists.`, { param: 'server_id', cause });
  }
  return new McpServerExistsError(`Another MCP server already uses the name or alias "${server.alias ?? server.server_name}".`, { param: 'server_name', cause });
}
