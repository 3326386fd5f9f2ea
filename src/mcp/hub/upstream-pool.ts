/**
 * The pool of upstream sessions, keyed by (server, credential fingerprint) as undici keys pools by origin:
 * a client is created on first use, shared by every downstream session with the same credentials, and
 * closed when idle. Credentials are resolved per request (they may come from request headers).
 */
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import { McpCredentialMissingError } from '../../http/errors.js';
import type { OAuth2TokenCache } from '../credentials/oauth2-token-cache.js';
import { credentialFingerprint, resolveStdioEnv, resolveUpstreamHeaders } from '../credentials/upstream-headers.js';
import type { McpServerDefinition } from '../server-definition.js';
import { limitResponseSize } from '../upstream/response-size-limit.js';
import { UPSTREAM_TRANSPORTS, type TransportDeps } from '../upstream/upstream.js';
import { UpstreamClient, type UpstreamEvents } from './upstream-client.js';
import { startIdleReaper } from '../idle-reaper.js';

export interface UpstreamPoolOptions {
  tokens: OAuth2TokenCache;
  transports: TransportDeps;
  events: UpstreamEvents;
  catalogTtlMs: number;
  /** Sessions unused this long are closed (stdio children reaped). */
  idleMs: number;
}

export class UpstreamPool {
  private readonly clients = new Map<string, UpstreamClient>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly options: UpstreamPoolOptions) {
    this.reaper = startIdleReaper(options.idleMs, () => this.reapIdle());
  }

  /** The shared session for this server and these request credentials. */
  async clientFor(server: McpServerDefinition, headers: McpClientHeaders, signal?: AbortSignal): Promise<UpstreamClient> {
    if (server.missingCredential !== undefined) {
      throw new McpCredentialMissingError(
        `MCP server "${server.name}" has no credential: environment variable ${server.missingCredential} is not set on the proxy.`,
      );
    }
    const credentials =
      server.transport === 'stdio'
        ? { headers: {}, env: resolveStdioEnv(server, headers) }
        : { headers: await resolveUpstreamHeaders(server, headers, this.options.tokens, signal), env: {} };
    const key = `${server.id}#${credentialFingerprint({ ...prefixed('h:', credentials.headers), ...prefixed('e:', credentials.env) })}`;
    let client = this.clients.get(key);
    if (!client) {
      client = new UpstreamClient(
        server,
        key,
        (attribution) =>
          UPSTREAM_TRANSPORTS[server.transport].create(server, credentials, this.options.transports, {
            fetch: attribution.wrapFetch(limitResponseSize(fetch, this.options.transports.maxMessageBytes)),
            attribution,
          }),
        this.options.events,
        this.options.catalogTtlMs,
      );
      this.clients.set(key, client);
    }
    return client;
  }

  async drop(client: UpstreamClient): Promise<void> {
    this.clients.delete(client.poolKey);
    await client.close();
  }

  /** Closes every session of this server (its definition changed or it was deleted); the next use reconnects. */
  async dropServer(serverId: string): Promise<void> {
    const dropping = [...this.clients.values()].filter((client) => client.server.id === serverId);
    await Promise.all(dropping.map((client) => this.drop(client)));
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(all.map((client) => client.close()));
  }

  private async reapIdle(): Promise<void> {
    const cutoff = Date.now() - this.options.idleMs;
    for (const client of [...this.clients.values()]) {
      if (client.lastUsed < cutoff && !client.busy) await this.drop(client);
    }
  }
}

function prefixed(prefix: string, record: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) out[prefix + key] = value;
  return out;
}
