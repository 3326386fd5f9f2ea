/**
 * OAuth2 client-credentials tokens for upstream MCP servers (`auth_type: oauth2`), cached per server id until
 * shortly before they expire. Concurrent callers share one token request. Mirrors LiteLLM's `oauth2_token_cache.py`.
 */
import { McpUpstreamError } from '../../http/errors.js';
import type { McpServerDefinition } from '../server-definition.js';

/** LiteLLM's MCP_OAUTH2_TOKEN_EXPIRY_BUFFER_SECONDS: refresh this long before the token's own expiry. */
const EXPIRY_BUFFER_MS = 60_000;
/** LiteLLM's MCP_OAUTH2_TOKEN_CACHE_MIN_TTL: never cache for less, even for very short-lived tokens. */
const MIN_TTL_MS = 10_000;
/** Used when the token endpoint omits `expires_in` (RFC 6749 §5.1 makes it optional). */
const DEFAULT_EXPIRES_IN_SECONDS = 3600;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The token endpoint could not be reached or did not issue a token. A 502, not a 401: the proxy's own client
 * credentials are at fault, and a 401 on `/mcp` would send the MCP client into its own OAuth flow.
 */
export class OAuth2TokenError extends McpUpstreamError {
  readonly serverId: string;
  /** The token endpoint's HTTP status, or null when no answer came. */
  readonly tokenEndpointStatus: number | null;

  constructor(
    server: Pick<McpServerDefinition, 'id' | 'name'>,
    detail: string,
    status: number | null,
    cause?: unknown,
  ) {
    super(`OAuth2 token request for MCP server \`${server.name}\` failed: ${detail}`, { cause });
    this.serverId = server.id;
    this.tokenEndpointStatus = status;
  }
}

export interface OAuth2TokenCacheOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** How long one token request may take (default 10 s). */
  timeoutMs?: number;
}

interface Grant {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string | undefined;
  /** Identifies the grant's inputs, so an edited server definition does not reuse a token issued for the old one. */
  key: string;
}

interface CachedToken {
  token: string;
  expiresAt: number;
  grantKey: string;
}

interface TokenRequest {
  promise: Promise<string>;
  grantKey: string;
}

export class OAuth2TokenCache {
  private readonly fetchImpl: typeof fetch;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, TokenRequest>();

  constructor(options: OAuth2TokenCacheOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * A valid access token for `server`. The caller's `signal` only stops this caller waiting: the shared token
   * request runs on under its own timeout, so one client going away never fails the others.
   */
  async getToken(server: McpServerDefinition, signal?: AbortSignal): Promise<string> {
    signal?.throwIfAborted();
    const grant = grantFor(server);
    const cached = this.tokens.get(server.id);
    if (cached !== undefined && cached.grantKey === grant.key && this.now() < cached.expiresAt) return cached.token;

    let request = this.inFlight.get(server.id);
    if (request === undefined || request.grantKey !== grant.key) {
      request = this.startRequest(server, grant);
      this.inFlight.set(server.id, request);
    }
    return waitFor(request.promise, signal);
  }

  /** Drops the cached token (e.g. after the upstream answered 401), so the next call fetches a new one. */
  invalidate(serverId: string): void {
    this.tokens.delete(serverId);
    this.inFlight.delete(serverId);
  }

  private startRequest(server: McpServerDefinition, grant: Grant): TokenRequest {
    // Settle only if this request is still the current one: invalidate() or a changed grant supersedes it.
    const isCurrent = (): boolean => this.inFlight.get(server.id)?.promise === promise;
    const promise: Promise<string> = this.requestToken(server, grant).then(
      (issued) => {
        if (isCurrent()) {
          this.inFlight.delete(server.id);
          this.tokens.set(server.id, { token: issued.token, expiresAt: issued.expiresAt, grantKey: grant.key });
        }
        return issued.token;
      },
      (error: unknown) => {
        if (isCurrent()) this.inFlight.delete(server.id);
        throw error;
      },
    );
    // Every waiter may have gone away; the failure still reaches whoever awaits, and is never unhandled.
    promise.catch(() => undefined);
    return { promise, grantKey: grant.key };
  }

  private async requestToken(server: McpServerDefinition, grant: Grant): Promise<{ token: string; expiresAt: number }> {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: grant.clientId,
      client_secret: grant.clientSecret,
    });
    if (grant.scope !== undefined) body.set('scope', grant.scope);

    let response: Response;
    try {
      response = await this.fetchImpl(grant.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: body.toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const detail =
        error instanceof Error && error.name === 'TimeoutError'
          ? `the token endpoint did not answer within ${this.timeoutMs} ms`
          : 'the token endpoint could not be reached';
      throw new OAuth2TokenError(server, detail, null, error);
    }

    if (!response.ok) {
      // The body may echo the request (and so the secret): never read it into the message.
      await response.body?.cancel().catch(() => undefined);
      throw new OAuth2TokenError(server, `the token endpoint answered ${response.status}`, response.status);
    }

    let payload: unknown;
    try {
      payload = await response.json();
    } catch (error) {
      const detail = `the token endpoint answered ${response.status} with a body that is not JSON`;
      throw new OAuth2TokenError(server, detail, response.status, error);
    }
    const token = readAccessToken(payload);
    if (token === undefined) {
      const detail = `the token endpoint answered ${response.status} without an access_token`;
      throw new OAuth2TokenError(server, detail, response.status);
    }
    const ttlMs = Math.max(readExpiresIn(payload) * 1000 - EXPIRY_BUFFER_MS, MIN_TTL_MS);
    return { token, expiresAt: this.now() + ttlMs };
  }
}

function grantFor(server: McpServerDefinition): Grant {
  const { tokenUrl, clientId, clientSecret, scopes } = server.auth;
  if (server.auth.type !== 'oauth2' || !tokenUrl || !clientId || !clientSecret) {
    const detail = 'the server needs auth_type oauth2 with token_url, client_id and client_secret';
    throw new OAuth2TokenError(server, detail, null);
  }
  const scope = scopes !== undefined && scopes.length > 0 ? scopes.join(' ') : undefined;
  const key = JSON.stringify([tokenUrl, clientId, clientSecret, scope ?? null]);
  return { tokenUrl, clientId, clientSecret, scope, key };
}

function readAccessToken(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const token = (payload as { access_token?: unknown }).access_token;
  return typeof token === 'string' && token !== '' ? token : undefined;
}

/** Seconds; some servers send a numeric string. */
function readExpiresIn(payload: unknown): number {
  if (typeof payload !== 'object' || payload === null) return DEFAULT_EXPIRES_IN_SECONDS;
  const raw = (payload as { expires_in?: unknown }).expires_in;
  const seconds = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : DEFAULT_EXPIRES_IN_SECONDS;
}

/** Resolves with `promise`, or rejects with the signal's reason as soon as it aborts. */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
