/**
 * The OpenAPI servers' specs, loaded once per server (not per pooled client) and shared by every in-process
 * MCP server built on them. Loading starts at start-up; a failure is logged naming the server and kept as that
 * server's status (tried again on use, at most every OPENAPI_SPEC_RETRY_MS). URL specs with
 * `spec_refresh_interval` are reloaded on an unref'd timer, and `reload()` is there for the admin API; a reload
 * that changes the tool set tells the subscribed in-process servers, which send `tools/list_changed`.
 */
import type { FastifyBaseLogger } from 'fastify';
import { OPENAPI_MAX_RESPONSE_BYTES, OPENAPI_SPEC_MAX_BYTES, OPENAPI_SPEC_RETRY_MS, OPENAPI_SPEC_TIMEOUT_MS } from '../config/defaults.js';
import { GatehouseError, McpServerNotFoundError, OpenApiSpecError } from '../http/errors.js';
import type { McpServerDefinition, OpenApiSettings } from '../mcp/server-definition.js';
import type { McpServerRegistry, RegistryChange } from '../mcp/server-registry.js';
import { buildToolSet, type OpenApiToolSet } from './build-tools.js';
import { loadSpec } from './load-spec.js';
import { RestClient } from './rest-client.js';

/** What the health route reports per OpenAPI server. */
export interface OpenApiSpecStatus {
  server: string;
  state: 'loading' | 'ok' | 'error';
  /** Set when state is `error`: why the spec is unusable (names the server and the cause). */
  error?: string;
  /** ISO time of the last successful load. */
  loadedAt?: string;
  toolCount: number;
}

interface Entry {
  server: McpServerDefinition;
  settings: OpenApiSettings;
  toolSet?: OpenApiToolSet;
  error?: OpenApiSpecError;
  loadedAt?: number;
  lastAttempt: number;
  loading?: Promise<void>;
  timer?: NodeJS.Timeout;
  listeners: Set<() => void>;
}

export interface OpenApiSpecsOptions {
  logger: FastifyBaseLogger;
  maxResponseBytes?: number;
}

export class OpenApiSpecs {
  readonly rest = new RestClient();
  readonly maxResponseBytes: number;
  private readonly entries = new Map<string, Entry>();
  private readonly aborter = new AbortController();
  private readonly unsubscribe: () => void;
  private started = false;
  private closed = false;

  /** Follows the registry: servers added or changed through the admin API get their spec (re)loaded. */
  constructor(
    registry: McpServerRegistry,
    private readonly options: OpenApiSpecsOptions,
  ) {
    this.maxResponseBytes = options.maxResponseBytes ?? OPENAPI_MAX_RESPONSE_BYTES;
    for (const server of registry.all()) this.add(server);
    this.unsubscribe = registry.onChange((change) => this.apply(change));
  }

  /** Starts every load and refresh timer; returns at once (`whenLoaded` waits). */
  start(): void {
    this.started = true;
    for (const entry of this.entries.values()) this.begin(entry);
  }

  /** Resolves when every load in flight has settled (tests and start-up logging). */
  async whenLoaded(): Promise<void> {
    await Promise.all([...this.entries.values()].map((entry) => entry.loading));
  }

  /** The server's current tools; waits for a load in flight, and throws OpenApiSpecError when it has none. */
  async toolSet(serverId: string): Promise<OpenApiToolSet> {
    const entry = this.entry(serverId);
    if (entry.loading) await entry.loading;
    else if (!entry.toolSet && Date.now() - entry.lastAttempt >= OPENAPI_SPEC_RETRY_MS) await this.load(entry);
    if (entry.toolSet) return entry.toolSet;
    throw entry.error ?? new OpenApiSpecError(`OpenAPI spec of MCP server "${entry.server.name}" is not loaded.`);
  }

  /** Per-server spec status, by server name (for `/v1/mcp/server/health`). */
  status(serverName: string): OpenApiSpecStatus | undefined {
    const entry = [...this.entries.values()].find((candidate) => candidate.server.name === serverName);
    return entry ? this.describe(entry) : undefined;
  }

  statuses(): OpenApiSpecStatus[] {
    return [...this.entries.values()].map((entry) => this.describe(entry));
  }

  /** Loads the spec again now (the admin API's refresh); the status afterwards. */
  async reload(serverName: string): Promise<OpenApiSpecStatus> {
    const entry = [...this.entries.values()].find((candidate) => candidate.server.name === serverName);
    if (!entry) throw new McpServerNotFoundError(`No OpenAPI MCP server is named "${serverName}".`);
    await entry.loading;
    await this.load(entry);
    return this.describe(entry);
  }

  /** Calls `listener` whenever a reload changes the server's tools; returns the unsubscribe function. */
  onToolsChanged(serverId: string, listener: () => void): () => void {
    const entry = this.entry(serverId);
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.aborter.abort();
    for (const entry of this.entries.values()) clearInterval(entry.timer);
    await Promise.allSettled([...this.entries.values()].map((entry) => entry.loading));
    await this.rest.close();
  }

  private add(server: McpServerDefinition): Entry | undefined {
    if (!server.openapi) return undefined;
    const entry: Entry = { server, settings: server.openapi, lastAttempt: 0, listeners: new Set() };
    this.entries.set(server.id, entry);
    return entry;
  }

  private begin(entry: Entry): void {
    void this.load(entry);
    const seconds = entry.settings.refreshIntervalS;
    if (seconds !== undefined && /^https?:\/\//i.test(entry.settings.specPath)) {
      entry.timer = setInterval(() => void this.load(entry), seconds * 1000);
      entry.timer.unref();
    }
  }

  private apply(change: RegistryChange): void {
    for (const server of [...change.changed, ...change.removed]) {
      const old = this.entries.get(server.id);
      if (old) clearInterval(old.timer);
      this.entries.delete(server.id);
    }
    for (const server of [...change.added, ...change.changed]) {
      const entry = this.add(server);
      if (entry && this.started && !this.closed) this.begin(entry);
    }
  }

  private entry(serverId: string): Entry {
    const entry = this.entries.get(serverId);
    if (!entry) throw new McpServerNotFoundError(`MCP server "${serverId}" has no OpenAPI spec.`);
    return entry;
  }

  private load(entry: Entry): Promise<void> {
    if (this.closed) return Promise.resolve();
    entry.loading ??= this.loadNow(entry).finally(() => {
      entry.loading = undefined;
    });
    return entry.loading;
  }

  private async loadNow(entry: Entry): Promise<void> {
    const { server, settings } = entry;
    entry.lastAttempt = Date.now();
    const before = entry.toolSet?.fingerprint;
    try {
      const spec = await loadSpec(settings.specPath, {
        server: server.name,
        baseDir: settings.baseDir,
        timeoutMs: OPENAPI_SPEC_TIMEOUT_MS,
        maxBytes: OPENAPI_SPEC_MAX_BYTES,
        signal: this.aborter.signal,
      });
      const toolSet = buildToolSet(spec.document, spec.specUrl, {
        server: server.name,
        baseUrl: server.url,
        allowedTags: settings.allowedTags,
        displayNames: settings.displayNames,
        descriptions: settings.descriptions,
      });
      if (this.closed) return;
      entry.toolSet = toolSet;
      entry.error = undefined;
      entry.loadedAt = Date.now();
      this.options.logger.info({ mcp_server: server.name, tools: toolSet.tools.length }, 'OpenAPI spec loaded');
    } catch (error) {
      if (this.closed) return;
      const failure =
        error instanceof OpenApiSpecError
          ? error
          : new OpenApiSpecError(`OpenAPI spec of MCP server "${server.name}" could not be turned into tools: ${messageOf(error)}`, { cause: error });
      entry.error = failure;
      // A failed refresh keeps serving the last good tools; the status still reports the failure.
      this.options.logger.error({ mcp_server: server.name, err: { message: failure.message } }, 'OpenAPI spec failed to load');
    }
    if (entry.toolSet !== undefined && before !== undefined && entry.toolSet.fingerprint !== before) {
      for (const listener of entry.listeners) listener();
    }
  }

  private describe(entry: Entry): OpenApiSpecStatus {
    const state = entry.error ? 'error' : entry.toolSet ? 'ok' : 'loading';
    return {
      server: entry.server.name,
      state,
      ...(entry.error ? { error: entry.error.message } : {}),
      ...(entry.loadedAt !== undefined ? { loadedAt: new Date(entry.loadedAt).toISOString() } : {}),
      toolCount: entry.toolSet?.tools.length ?? 0,
    };
  }
}

function messageOf(error: unknown): string {
  if (error instanceof GatehouseError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
