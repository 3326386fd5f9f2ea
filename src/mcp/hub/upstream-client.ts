/**
 * One long-lived MCP client session to one upstream for one credential variant. Connects on first use,
 * initialises once, and is reused for every list and call. A session the upstream expired (HTTP 404) is
 * re-initialised transparently once; a crashed child is restarted with backoff on the next use.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ErrorCode,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type LoggingMessageNotification,
  type Request,
  type Result,
  type ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import type { ZodType } from 'zod';
import { McpUpstreamError, McpUpstreamTimeoutError } from '../../http/errors.js';
import type { McpServerDefinition } from '../server-definition.js';
import { GATEHOUSE_VERSION } from '../../version.js';
import { StdioProcessExitedError } from '../upstream/stdio-transport.js';
import { StreamAttribution } from '../upstream/stream-attribution.js';
import { TRANSPORT_FAILURE } from '../upstream/streamable-http-client.js';
import { UPSTREAM_TRANSPORTS } from '../upstream/upstream.js';
import { CatalogCache, type CatalogKind } from './catalog-cache.js';
import type { DownstreamCall } from './downstream-call.js';

export interface UpstreamEvents {
  listChanged(client: UpstreamClient, kind: CatalogKind): void;
  resourceUpdated(client: UpstreamClient, uri: string): void;
  /** A log line; `call` is the downstream request it belongs to when that can be told. */
  log(client: UpstreamClient, params: LoggingMessageNotification['params'], call: DownstreamCall | undefined): void;
}

export interface UpstreamCallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
  /** Called with upstream progress; the caller maps it to its own progress token. */
  onprogress?: (progress: { progress: number; total?: number; message?: string }) => void;
  /** The downstream request this call serves, for server-to-client relays. */
  call?: DownstreamCall;
}

/**
 * After the n-th consecutive failure (a crash or a failed connect), no new connection is tried for this
 * long; requests in that window fail at once instead of waiting. The first restart is immediate.
 */
const RESTART_BACKOFF_MS = [0, 250, 500, 1_000, 2_000, 5_000, 10_000, 30_000];

/** A connection that stayed up this long resets the crash count. */
const STABLE_AFTER_MS = 60_000;

export class UpstreamClient {
  readonly catalog: CatalogCache;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private readonly inflight = new Set<DownstreamCall>();
  private readonly attribution = new StreamAttribution();
  /** Requests may carry the call marker: this server's transport takes it out again (upstream/upstream.ts). */
  private readonly marksCalls: boolean;
  private pendingRequests = 0;
  private crashes = 0;
  private retryAt = 0;
  private connectedAt = 0;
  private lastExit: string | undefined;
  private closing = false;
  lastUsed = Date.now();

  constructor(
    readonly server: McpServerDefinition,
    readonly poolKey: string,
    private readonly makeTransport: (attribution: StreamAttribution) => Transport,
    private readonly events: UpstreamEvents,
    catalogTtlMs: number,
  ) {
    this.catalog = new CatalogCache(this, catalogTtlMs);
    this.marksCalls = UPSTREAM_TRANSPORTS[server.transport].stripsCallMarker;
  }

  /** Capabilities and instructions the upstream declared in `initialize` (connects if needed). */
  async describe(options: UpstreamCallOptions): Promise<{ capabilities: ServerCapabilities; instructions?: string }> {
    const client = await this.connected(options);
    return { capabilities: client.getServerCapabilities() ?? {}, instructions: client.getInstructions() };
  }

  /** Sends one request; retried once on a fresh session when the upstream expired the old one. */
  async request<T extends ZodType>(request: Request, schema: T, options: UpstreamCallOptions): Promise<ReturnType<T['parse']>> {
    this.lastUsed = Date.now();
    if (options.call) this.inflight.add(options.call);
    this.pendingRequests++;
    try {
      try {
        return await this.send(request, schema, options);
      } catch (error) {
        if (!isSessionExpired(error) || options.signal?.aborted) throw error;
        await this.reset();
        return await this.send(request, schema, options);
      }
    } catch (error) {
      // No HTTP answer at all: the next list must ask again (and so report a dead server) instead of showing
      // its cached catalog. The session itself stays; other calls in flight on it are not cut off.
      if (isUnreachable(error)) this.catalog.invalidateAll();
      throw this.describeFailure(error);
    } finally {
      this.pendingRequests--;
      this.lastUsed = Date.now();
      if (options.call) this.inflight.delete(options.call);
    }
  }

  get connectedNow(): boolean {
    return this.client !== undefined;
  }

  /** A request is in flight (the reaper must not close it). */
  get busy(): boolean {
    return this.inflight.size > 0 || this.pendingRequests > 0;
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.reset();
  }

  private async send<T extends ZodType>(request: Request, schema: T, options: UpstreamCallOptions): Promise<ReturnType<T['parse']>> {
    const client = await this.connected(options);
    const marked = options.call && this.marksCalls ? this.attribution.mark(request, options.call) : undefined;
    try {
      return (await client.request(marked?.request ?? request, schema, {
        signal: options.signal,
        timeout: options.timeoutMs,
        onprogress: options.onprogress,
        resetTimeoutOnProgress: options.onprogress !== undefined,
        maxTotalTimeout: options.onprogress ? options.timeoutMs * 10 : undefined,
      })) as ReturnType<T['parse']>;
    } finally {
      if (marked) this.attribution.release(marked.token);
    }
  }

  private connected(options: UpstreamCallOptions): Promise<Client> {
    if (this.client) return Promise.resolve(this.client);
    // Shared by every waiter, so one caller's abort must not cancel it: only the timeout bounds it.
    this.connecting ??= this.connect(options.timeoutMs).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(timeoutMs: number): Promise<Client> {
    if (this.closing) throw new McpUpstreamError(`MCP server "${this.server.name}" is shutting down.`);
    const wait = this.retryAt - Date.now();
    if (wait > 0) {
      throw new McpUpstreamError(`MCP server "${this.server.name}" is unavailable; reconnecting in ${Math.ceil(wait / 1000)} s.`);
    }
    const client = new Client(
      { name: 'gatehouse', version: GATEHOUSE_VERSION },
      { capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true } } },
    );
    this.installHandlers(client);
    const transport = this.makeTransport(this.attribution);
    transport.onerror = (error) => {
      if (error instanceof StdioProcessExitedError) this.lastExit = error.message;
    };
    try {
      await client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      this.failed();
      await client.close().catch(() => undefined);
      throw new McpUpstreamError(`Cannot connect to MCP server "${this.server.name}": ${shortReason(error)}`, { cause: error });
    }
    client.onclose = () => {
      if (this.client !== client) return;
      this.client = undefined;
      this.catalog.invalidateAll();
      if (this.closing) return;
      if (Date.now() - this.connectedAt > STABLE_AFTER_MS) this.crashes = 0;
      this.failed();
    };
    this.connectedAt = Date.now();
    this.client = client;
    this.retryAt = 0;
    return client;
  }

  private failed(): void {
    this.retryAt = Date.now() + RESTART_BACKOFF_MS[Math.min(this.crashes, RESTART_BACKOFF_MS.length - 1)];
    this.crashes++;
  }

  private async reset(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.catalog.invalidateAll();
    await client?.close().catch(() => undefined);
  }

  private installHandlers(client: Client): void {
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => this.changed('tools'));
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => this.changed('prompts'));
    client.setNotificationHandler(ResourceListChangedNotificationSchema, () => {
      this.changed('resources');
      this.changed('resourceTemplates');
    });
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (notification) => {
      this.events.resourceUpdated(this, notification.params.uri);
    });
    client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      this.events.log(this, notification.params, this.attribution.takeLog() ?? this.latestCall());
    });
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) => this.relay(request, CreateMessageResultSchema, extra));
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => this.relay(request, ElicitResultSchema, extra));
    client.setRequestHandler(ListRootsRequestSchema, (request, extra) => this.relay(request, ListRootsResultSchema, extra));
  }

  private changed(kind: CatalogKind): void {
    this.catalog.invalidate(kind);
    this.events.listChanged(this, kind);
  }

  /**
   * Streamable HTTP upstreams tell which call a server-to-client request belongs to (stream-attribution.ts);
   * over SSE and stdio they cannot, so it goes to the latest downstream call in flight on this session that
   * can answer it (the only one, in the common case).
   */
  private async relay<T extends ZodType>(request: Request, schema: T, extra: { requestId: string | number; signal: AbortSignal }): Promise<Result> {
    const signal = extra.signal;
    const call = this.attribution.takeRequest(extra.requestId) ?? this.latestCall(request.method);
    if (!call) {
      throw new McpError(ErrorCode.InvalidRequest, `No downstream request in flight to answer ${request.method}.`);
    }
    if (!call.supports(request.method)) {
      throw new McpError(ErrorCode.MethodNotFound, `The downstream client does not support ${request.method}.`);
    }
    return schema.parse(await call.sendRequest(request, signal)) as Result;
  }

  private latestCall(method?: string): DownstreamCall | undefined {
    const calls = [...this.inflight].reverse();
    return (method ? calls.find((call) => call.supports(method)) : undefined) ?? calls[0];
  }

  private describeFailure(error: unknown): unknown {
    if (error instanceof McpUpstreamError || error instanceof McpUpstreamTimeoutError) return error;
    if (error instanceof McpError) {
      const transportFailure = (error.data as Record<string, unknown> | undefined)?.[TRANSPORT_FAILURE];
      if (typeof transportFailure === 'string') {
        return new McpUpstreamError(`MCP server "${this.server.name}" failed: ${transportFailure}`, { cause: error });
      }
      if (error.code === ErrorCode.RequestTimeout) {
        return new McpUpstreamTimeoutError(`MCP server "${this.server.name}" did not answer in time.`, { cause: error });
      }
      if (error.code === ErrorCode.ConnectionClosed) {
        const exit = this.lastExit ? ` (${this.lastExit})` : '';
        return new McpUpstreamError(`MCP server "${this.server.name}" closed the connection during the request${exit}.`, {
          cause: error,
        });
      }
      return error; // the upstream's own JSON-RPC error, passed on as it is
    }
    if (error instanceof Error && error.name === 'AbortError') return error;
    return new McpUpstreamError(`MCP server "${this.server.name}" failed: ${shortReason(error)}`, { cause: error });
  }
}

/** fetch rejects with a TypeError on a network error (Fetch standard), e.g. connection refused or reset. */
function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError;
}

function isSessionExpired(error: unknown): boolean {
  return error instanceof StreamableHTTPError && error.code === 404;
}

/** A reason without URLs or header values (a URL may carry a token). */
function shortReason(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    if (current instanceof StreamableHTTPError && current.code !== undefined) return `HTTP ${current.code}`;
    if (!current.cause) break;
    current = current.cause;
  }
  const message = current instanceof Error ? current.message : String(current);
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 200);
}
