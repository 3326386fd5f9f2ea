/**
 * `/v1/mcp/server` behind the routes: validates, writes the store, then reloads the live registry from the store
 * before answering, so the change is served on the very next request; other replicas hear of it through the
 * replica sync. Reloads are coalesced: one runs at a time, and a write always waits for one that started after it.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { InvalidRequestError, McpServerNotFoundError } from '../http/errors.js';
import type { McpServerRegistry } from '../mcp/server-registry.js';
import type { McpServersRepository, StoredMcpServer } from '../store/mcp-servers-record.js';
import { definedFields } from './defined-fields.js';
import { definitionOf } from './mcp-server-definition.js';
import type { McpServerInput } from './mcp-server-input.js';
import { validateMcpServer } from './mcp-server-validation.js';

/** The Terraform resource's documented default. */
const DEFAULT_SPEC_VERSION = '2024-11-05';
/** LiteLLM's `NewMCPServerRequest` default. */
const DEFAULT_TRANSPORT = 'sse';

export interface McpServerServiceOptions {
  repository: McpServersRepository;
  registry: McpServerRegistry;
  /** Tells other replicas (Redis) after a write; polling replicas see the store's change counter anyway. */
  announce: () => Promise<void>;
  logger: FastifyBaseLogger;
  now?: () => number;
}

export class McpServerService {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: McpServerServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get registry(): McpServerRegistry {
    return this.options.registry;
  }

  list(): Promise<StoredMcpServer[]> {
    return this.options.repository.list();
  }

  get(serverId: string): Promise<StoredMcpServer | null> {
    return this.options.repository.get(serverId);
  }

  async create(input: McpServerInput, actor: string): Promise<StoredMcpServer> {
    if (input.server_name === undefined) throw new InvalidRequestError("Missing required parameter: 'server_name'.", { param: 'server_name' });
    const now = this.now();
    const server = applyInput(
      {
        server_id: input.server_id ?? randomUUID(),
        server_name: input.server_name,
        alias: null,
        description: null,
        url: null,
        transport: DEFAULT_TRANSPORT,
        spec_version: DEFAULT_SPEC_VERSION,
        auth_type: 'none',
        credentials: null,
        mcp_access_groups: [],
        command: null,
        args: [],
        env: {},
        mcp_info: null,
        static_headers: {},
        extra_headers: [],
        allowed_tools: null,
        disallowed_tools: null,
        spec_path: null,
        allow_all_keys: false,
        available_on_public_internet: true,
        authorization_url: null,
        token_url: null,
        registration_url: null,
        oauth2_flow: null,
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
        status: 'unknown',
        last_health_check: null,
        health_check_error: null,
      },
      input,
    );
    validateMcpServer(server, this.registry, 'create');
    await this.options.repository.create(server);
    await this.changed();
    return server;
  }

  async update(input: McpServerInput, actor: string): Promise<StoredMcpServer> {
    const serverId = input.server_id;
    if (serverId === undefined) throw new InvalidRequestError("Missing required parameter: 'server_id'.", { param: 'server_id' });
    this.refuseConfigServer(serverId);
    const updated = await this.options.repository.update(serverId, (current) => {
      const { secrets_error: _unreadable, ...rest } = current;
      const next = applyInput({ ...rest, updated_at: Math.max(this.now(), current.updated_at), updated_by: actor }, input);
      validateMcpServer(next, this.registry, 'update');
      return next;
    });
    if (updated === null) throw notFound(serverId);
    await this.changed();
    return updated;
  }

  async delete(serverId: string): Promise<void> {
    this.refuseConfigServer(serverId);
    if (!(await this.options.repository.delete(serverId))) throw notFound(serverId);
    await this.changed();
  }

  /** Re-reads the stored servers into the live registry (coalesced). */
  reload(): Promise<void> {
    if (this.queued) return this.queued;
    const start = (): Promise<void> => {
      const run = this.reloadNow().finally(() => {
        if (this.running === run) this.running = undefined;
      });
      this.running = run;
      return run;
    };
    if (!this.running) return start();
    this.queued = this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return start();
      });
    return this.queued;
  }

  private async changed(): Promise<void> {
    await this.reload();
    await this.options.announce().catch((error: unknown) => this.options.logger.warn({ err: error }, 'announcing an MCP server change failed'));
  }

  private async reloadNow(): Promise<void> {
    const stored = await this.options.repository.list();
    const usable = stored.filter((server) => {
      if (server.secrets_error === undefined) return true;
      this.options.logger.warn({ mcp_server: server.server_id }, `stored MCP server not served: ${server.secrets_error}`);
      return false;
    });
    const change = this.registry.replaceStored(usable.map(definitionOf));
    for (const skipped of change.skipped) this.options.logger.warn({ mcp_server: skipped.id }, `stored MCP server not served: ${skipped.reason}`);
    if (change.added.length + change.changed.length + change.removed.length > 0) {
      this.options.logger.info(
        { added: ids(change.added), changed: ids(change.changed), removed: ids(change.removed) },
        'mcp servers reloaded',
      );
    }
  }

  private refuseConfigServer(serverId: string): void {
    if (this.registry.isConfigServer(serverId)) {
      throw new InvalidRequestError(`MCP server "${serverId}" comes from config.yaml and is read-only here; change it in the config file.`, {
        param: 'server_id',
      });
    }
  }
}

/** The fields present in `input` replace the server's; `null` clears a field. */
function applyInput(server: StoredMcpServer, input: McpServerInput): StoredMcpServer {
  const next: StoredMcpServer = {
    ...server,
    ...definedFields(input, [
      'server_name',
      'alias',
      'description',
      'url',
      'spec_version',
      'auth_type',
      'credentials',
      'command',
      'mcp_info',
      'allowed_tools',
      'disallowed_tools',
      'spec_path',
      'authorization_url',
      'token_url',
      'registration_url',
      'oauth2_flow',
    ]),
  };
  // These are stored non-null (an empty list or map), and `streamable_http` is stored as LiteLLM's `http`.
  if (input.transport !== undefined) next.transport = input.transport === 'streamable_http' ? 'http' : input.transport;
  if (input.mcp_access_groups !== undefined) next.mcp_access_groups = input.mcp_access_groups ?? [];
  if (input.args !== undefined) next.args = input.args ?? [];
  if (input.env !== undefined) next.env = input.env ?? {};
  if (input.static_headers !== undefined) next.static_headers = input.static_headers ?? {};
  if (input.extra_headers !== undefined) next.extra_headers = input.extra_headers ?? [];
  if (input.allow_all_keys !== undefined) next.allow_all_keys = input.allow_all_keys ?? false;
  if (input.available_on_public_internet !== undefined) next.available_on_public_internet = input.available_on_public_internet ?? true;
  return next;
}

function notFound(serverId: string): McpServerNotFoundError {
  return new McpServerNotFoundError(`No MCP server with server_id "${serverId}".`, { param: 'server_id' });
}

function ids(servers: readonly { id: string }[]): string[] {
  return servers.map((server) => server.id);
}
