/**
 * Remote MCP servers named by a `type: "mcp"` tool's own `server_url` (not `litellm_proxy`): one pooled
 * `UpstreamClient` per (server_label, URL, headers) — initialised once, catalog cached, closed when idle — reached
 * through the egress-checked HTTP client, over Streamable HTTP (our undici transport) with the legacy SSE fallback
 * (the SDK's, over fetch). Errors name the server_label and the host, never the URL's path or query or a header value.
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { interceptors, type Agent, type Dispatcher } from 'undici';
import { MCP_CATALOG_TTL_MS, MCP_LIST_TIMEOUT_MS, MCP_MAX_MESSAGE_BYTES, MCP_UPSTREAM_IDLE_MS } from '../../config/defaults.js';
import { McpEgressDeniedError, McpHostUnresolvedError, McpUpstreamError, McpUpstreamTimeoutError } from '../../http/errors.js';
import { credentialFingerprint } from '../credentials/upstream-headers.js';
import { UpstreamClient, type UpstreamEvents } from '../hub/upstream-client.js';
import type { McpServerDefinition } from '../server-definition.js';
import { limitResponseSize } from '../upstream/response-size-limit.js';
import { createEgressDispatcher, egressFetch } from './egress-dispatcher.js';
import { egressSubject, type EgressCheckOptions, type EgressPolicy } from './egress-policy.js';
import { FallbackTransport, type HttpTransportKind } from '../upstream/fallback-transport.js';
import { buildRemoteHeaders, field } from './remote-headers.js';
import { startIdleReaper } from '../idle-reaper.js';

/** The remote-server fields of an OpenAI `type: "mcp"` tool (wire-formats §1.1). */
export interface RemoteMcpServerSpec {
  serverLabel: string;
  serverUrl: string;
  headers?: Record<string, string> | null;
  /** An OAuth access token: sent as `Authorization: Bearer <value>` unless `headers` set Authorization. */
  authorization?: string | null;
  /** The tool's request path for 400s, e.g. `tools[1]` (errors then name `tools[1].server_url`). */
  param?: string;
}

export interface RemoteMcpSourcesOptions {
  egress: EgressPolicy;
  /** Sessions unused this long are closed (default MCP_UPSTREAM_IDLE_MS). */
  idleMs?: number;
  catalogTtlMs?: number;
  /** Bounds `listTools` (default MCP_LIST_TIMEOUT_MS). */
  listTimeoutMs?: number;
}

export interface RemoteCallOptions {
  signal?: AbortSignal;
  timeoutMs: number;
}

/** fetch's redirect limit (Fetch standard): the SDK transport followed redirects through fetch, so ours does too. */
const MAX_REDIRECTIONS = 20;

/** Notifications of a remote server concern only its own cached catalog, which UpstreamClient refreshes itself. */
const NO_EVENTS: UpstreamEvents = { listChanged: () => undefined, resourceUpdated: () => undefined, log: () => undefined };

export class RemoteMcpSources {
  private readonly sessions = new Map<string, UpstreamClient>();
  private readonly dispatcher: Agent;
  /** The Agent, following redirects: each hop opens its connections through the Agent, so each is checked. */
  private readonly streamDispatcher: Dispatcher;
  private readonly fetch: FetchLike;
  private readonly reaper: NodeJS.Timeout;
  private readonly idleMs: number;

  constructor(private readonly options: RemoteMcpSourcesOptions) {
    this.dispatcher = createEgressDispatcher(options.egress);
    this.streamDispatcher = this.dispatcher.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS }));
    this.fetch = limitResponseSize(egressFetch(this.dispatcher), MCP_MAX_MESSAGE_BYTES);
    this.idleMs = options.idleMs ?? MCP_UPSTREAM_IDLE_MS;
    this.reaper = startIdleReaper(this.idleMs, () => this.reapIdle());
  }

  /**
   * The pooled session for this server and these headers. The URL is checked against the egress policy before
   * the session first connects (and again before any reconnect), so a refused URL costs no connection.
   */
  async open(spec: RemoteMcpServerSpec, signal?: AbortSignal): Promise<RemoteMcpSource> {
    const checkOptions = { param: field(spec.param, 'server_url'), serverLabel: spec.serverLabel };
    const target = this.options.egress.parse(spec.serverUrl, checkOptions);
    const headers = buildRemoteHeaders(spec);
    const headerParts = Object.entries(headers).map(([name, value]) => [`h:${name.toLowerCase()}`, value]);
    const key = credentialFingerprint({ label: spec.serverLabel, url: target.url.href, ...Object.fromEntries(headerParts) });
    if (!this.sessions.get(key)?.connectedNow) await abortable(this.options.egress.check(spec.serverUrl, checkOptions), signal);
    let client = this.sessions.get(key);
    if (!client) {
      client = this.create(key, spec.serverLabel, target.url, headers);
      this.sessions.set(key, client);
    }
    return new RemoteMcpSource(client, checkOptions, target.hostname, this.options.listTimeoutMs ?? MCP_LIST_TIMEOUT_MS, (client) =>
      this.drop(client),
    );
  }

  /** Sessions currently pooled (for tests and health). */
  get size(): number {
    return this.sessions.size;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((client) => client.close()));
    await this.dispatcher.destroy();
  }

  private create(key: string, label: string, url: URL, headers: Record<string, string>): UpstreamClient {
    const server: McpServerDefinition = {
      id: `remote:${label}`,
      name: label,
      prefix: label,
      transport: 'http',
      url: url.href,
      args: [],
      env: {},
      auth: { type: 'none' },
      staticHeaders: headers,
      extraHeaders: [],
      accessGroups: [],
    };
    // Where the next session of this client starts: legacy SSE once one fell back (a reconnect need not probe again).
    let kind: HttpTransportKind = 'streamable-http';
    return new UpstreamClient(
      server,
      key,
      (attribution) =>
        new FallbackTransport({
          url,
          headers,
          dispatcher: this.streamDispatcher,
          maxMessageBytes: MCP_MAX_MESSAGE_BYTES,
          attribution,
          fetch: attribution.wrapFetch(this.fetch),
          initial: kind,
          onFallback: () => (kind = 'sse'),
        }),
      NO_EVENTS,
      this.options.catalogTtlMs ?? MCP_CATALOG_TTL_MS,
    );
  }

  private async drop(client: UpstreamClient): Promise<void> {
    if (this.sessions.get(client.poolKey) === client) this.sessions.delete(client.poolKey);
    await client.close();
  }

  private async reapIdle(): Promise<void> {
    const cutoff = Date.now() - this.idleMs;
    for (const client of [...this.sessions.values()]) {
      if (client.lastUsed < cutoff && !client.busy) await this.drop(client);
    }
  }
}

/** One remote server as the tool loop uses it. */
export class RemoteMcpSource {
  readonly serverLabel: string;

  constructor(
    private readonly client: UpstreamClient,
    private readonly checkOptions: Required<EgressCheckOptions>,
    /** The URL's host (what errors may name). */
    readonly host: string,
    private readonly listTimeoutMs: number,
    private readonly dropSession: (client: UpstreamClient) => Promise<void>,
  ) {
    this.serverLabel = checkOptions.serverLabel;
  }

  /** Every tool the server lists (all pages; cached per session until `list_changed` or the TTL). */
  async listTools(signal?: AbortSignal): Promise<Tool[]> {
    const tools = await this.guard(signal, () => abortable(this.client.catalog.list('tools', { signal, timeoutMs: this.listTimeoutMs }), signal));
    return [...tools];
  }

  /**
   * Calls a tool. An egress refusal throws; a failure of the server itself (unreachable, crashed, timed out)
   * comes back as an `isError` result naming the server_label, so a model can react to it (as the hub does).
   */
  async callTool(name: string, args: Record<string, unknown> | undefined, options: RemoteCallOptions): Promise<CallToolResult> {
    try {
      return (await this.guard(options.signal, () =>
        this.client.request({ method: 'tools/call', params: { name, arguments: args ?? {} } }, CallToolResultSchema, {
          signal: options.signal,
          timeoutMs: options.timeoutMs,
        }),
      )) as CallToolResult;
    } catch (error) {
      if (error instanceof McpUpstreamError || error instanceof McpUpstreamTimeoutError) {
        return { content: [{ type: 'text', text: error.message }], isError: true };
      }
      throw error;
    }
  }

  /**
   * A refusal at connect time (egress policy, DNS) surfaces as itself rather than as "cannot connect"; a session
   * that failed to connect leaves the pool, so the next request checks the URL afresh instead of waiting out a
   * reconnect backoff meant for configured servers. (Not on the caller's abort: the connect may still be under way
   * for other callers.)
   */
  private async guard<T>(signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!this.client.connectedNow && !signal?.aborted) await this.dropSession(this.client);
      const refusal = policyRefusal(error);
      throw refusal ? namedRefusal(refusal, this.checkOptions) : error;
    }
  }
}

function policyRefusal(error: unknown): McpEgressDeniedError | McpHostUnresolvedError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++, current = current.cause) {
    if (current instanceof McpEgressDeniedError || current instanceof McpHostUnresolvedError) return current;
  }
  return undefined;
}

/**
 * The refusal, naming the server_label: one made at connect time comes from the shared dispatcher
 * (egress-dispatcher.ts), which knows only the host.
 */
function namedRefusal(
  refusal: McpEgressDeniedError | McpHostUnresolvedError,
  options: Required<EgressCheckOptions>,
): McpEgressDeniedError | McpHostUnresolvedError {
  const subject = egressSubject(options);
  if (refusal.message.startsWith(subject)) return refusal;
  const Refusal = refusal instanceof McpEgressDeniedError ? McpEgressDeniedError : McpHostUnresolvedError;
  return new Refusal(`${subject}${refusal.message}`, { param: refusal.param ?? options.param, cause: refusal });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
