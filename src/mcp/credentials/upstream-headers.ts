/**
 * What credentials an upstream MCP server receives for one request: HTTP headers for http/sse servers, the
 * environment for stdio servers, and a fingerprint of either that keys the upstream pool without holding values.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import { LruCache } from '../../store/lru-cache.js';
import type { McpServerDefinition, UpstreamAuthType } from '../server-definition.js';
import { McpOAuthRequiredError } from '../../http/errors.js';
import { isInteractiveOAuth, userAuthorization } from './oauth2-flow.js';
import type { OAuth2TokenCache } from './oauth2-token-cache.js';

/** `${X-Some-Header}`: the whole env value names one request header (LiteLLM's pattern). */
const ENV_HEADER_REFERENCE = /^\$\{(X-[^}]+)\}$/i;

/**
 * Keyed per process so a fingerprint that reaches a log line cannot be brute-forced back to a short secret.
 * Fingerprints are only compared inside this process (pool keys), so they need not survive a restart.
 */
const FINGERPRINT_KEY = randomBytes(32);

/**
 * Headers for one request to `server`, later steps winning: client headers on the `extra_headers` allow-list,
 * then `static_headers`, then the credential by precedence per-request `x-mcp-{server}-*` > `x-mcp-auth` >
 * oauth2 token (the proxy's client-credentials token, or on the interactive flow the user's `Authorization`) >
 * static `auth.value`. An interactive-OAuth server without any user credential is refused (McpOAuthRequiredError).
 */
export async function resolveUpstreamHeaders(
  server: McpServerDefinition,
  client: McpClientHeaders,
  tokens: OAuth2TokenCache,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const headers = new HeaderSet();

  for (const name of server.extraHeaders) {
    // A client-credentials server authenticates as the proxy; the caller's Authorization is never its business.
    // An interactive one gets the user's Authorization below, by the credential precedence.
    if (server.auth.type === 'oauth2' && name.toLowerCase() === 'authorization') continue;
    const value = client.forwardable[name.toLowerCase()];
    if (value !== undefined) headers.set(name, value);
  }
  for (const [name, value] of Object.entries(server.staticHeaders)) headers.set(name, value);

  const perRequest = client.perServer.get(server.id);
  if (perRequest !== undefined && Object.keys(perRequest).length > 0) {
    for (const [name, value] of Object.entries(perRequest)) headers.set(name, value);
  } else if (client.clientAuth !== undefined) {
    headers.setAuth(server.auth.type, client.clientAuth);
  } else if (isInteractiveOAuth(server)) {
    const user = userAuthorization(client);
    if (user === undefined) {
      throw new McpOAuthRequiredError(
        `MCP server "${server.name}" needs the user's OAuth authorization: connect to its own endpoint /${server.name}/mcp to sign in, or send x-mcp-${server.name}-authorization.`,
      );
    }
    headers.set('Authorization', user);
  } else if (server.auth.type === 'oauth2') {
    headers.set('Authorization', `Bearer ${await tokens.getToken(server, signal)}`);
  } else if (server.auth.value !== undefined && server.auth.value !== '') {
    headers.setAuth(server.auth.type, server.auth.value);
  }
  return headers.toRecord();
}

/**
 * The stdio child's environment: `${X-Header}` values are filled from the request (this server's
 * `x-mcp-{server}-*` values first, then forwardable headers) and the variable is left out when the header is absent.
 */
export function resolveStdioEnv(server: McpServerDefinition, client: McpClientHeaders): Record<string, string> {
  const env: Record<string, string> = {};
  const perRequest = client.perServer.get(server.id);
  for (const [variable, value] of Object.entries(server.env)) {
    const reference = ENV_HEADER_REFERENCE.exec(value);
    if (reference === null) {
      env[variable] = value;
      continue;
    }
    const header = reference[1].toLowerCase();
    const perRequestValue = perRequest !== undefined ? findIgnoringCase(perRequest, header) : undefined;
    const resolved = perRequestValue ?? client.forwardable[header];
    if (resolved !== undefined) env[variable] = resolved;
  }
  return env;
}

/**
 * A short stable hash of resolved headers/env, used as the pool key's credential fingerprint (never the values
 * themselves). 22 base64url characters: 132 bits, so two credentials never share a pooled upstream by collision.
 */
export function credentialFingerprint(parts: Record<string, string>): string {
  const canonical = JSON.stringify(Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const cacheable = canonical.length <= MAX_REMEMBERED_CHARS;
  let fingerprint = cacheable ? recentFingerprints.get(canonical) : undefined;
  if (fingerprint === undefined) {
    fingerprint = createHmac('sha256', FINGERPRINT_KEY).update(canonical).digest('base64url').slice(0, 22);
    if (cacheable) recentFingerprints.set(canonical, fingerprint);
  }
  return fingerprint;
}

/**
 * Every upstream call asks for a fingerprint, nearly always of credentials it asked for before: the HMAC was 2% of
 * the agent loop's CPU (docs/benchmarks.md). The keys hold credential values, as the pooled clients themselves do;
 * they never leave the process.
 */
const recentFingerprints = new LruCache<string, string>(1024);
/**
 * Credentials longer than this are hashed every time, not remembered: a remote server's headers come from the
 * request body, so without a bound the cache could hold 1024 large caller-chosen strings.
 */
const MAX_REMEMBERED_CHARS = 4096;

/**
 * The credential header for a value under an auth type (LiteLLM's `MCPClient._get_auth_headers`). `none` sends
 * nothing, also for an `x-mcp-auth` value: a server configured without auth is not handed the caller's token.
 */
function authHeader(type: UpstreamAuthType, value: string): { name: string; value: string } | null {
  switch (type) {
    case 'none':
      return null;
    case 'api_key':
      return { name: 'X-API-Key', value };
    case 'bearer_token':
    case 'oauth2':
      return { name: 'Authorization', value: `Bearer ${value}` };
    case 'basic':
      return { name: 'Authorization', value: `Basic ${basicCredentials(value)}` };
    case 'authorization':
      return { name: 'Authorization', value };
    case 'token':
      return { name: 'Authorization', value: `token ${value}` };
  }
}

/** Stands in for the credential when `authCredential` asks `authHeader` where the value goes. */
const CREDENTIAL_PROBE = '\u0000';

/**
 * The credential carried by resolved headers under an auth type, read back the way `authHeader` wrote it (the
 * header it names, its scheme word such as `Bearer` taken off when present, in any case), so the two cannot
 * drift. Undefined for `none`, for `basic` (its value is encoded, not carried) and when the header is absent.
 * `find` looks a header up by lower-cased name.
 */
export function authCredential(
  type: UpstreamAuthType,
  find: (lowerName: string) => string | undefined,
): { header: string; value: string } | undefined {
  const form = authHeader(type, CREDENTIAL_PROBE);
  const at = form?.value.indexOf(CREDENTIAL_PROBE) ?? -1;
  if (form === null || at < 0) return undefined;
  const value = find(form.name.toLowerCase());
  if (value === undefined) return undefined;
  const scheme = form.value.slice(0, at).trim().toLowerCase();
  const parts = /^(\S+)\s+(.*)$/s.exec(value);
  const carried = scheme !== '' && parts !== null && parts[1].toLowerCase() === scheme ? parts[2] : value;
  return { header: form.name, value: carried };
}

/**
 * `user:pass` is encoded; a value that is already base64 of `user:pass` (LiteLLM's docs show `dXNlcjpwYXNz`) is
 * sent as is. Anything else is encoded, as LiteLLM does.
 */
function basicCredentials(value: string): string {
  if (!value.includes(':') && isBase64OfCredentials(value)) return value;
  return Buffer.from(value, 'utf8').toString('base64');
}

function isBase64OfCredentials(value: string): boolean {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const bytes = Buffer.from(value, 'base64');
  // Canonical only: the round trip must give back the same text, so arbitrary tokens are not mistaken for base64.
  if (bytes.toString('base64') !== value) return false;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  return decoded.includes(':') && !/[\u0000-\u001f\u007f]/.test(decoded);
}

function findIgnoringCase(record: Readonly<Record<string, string>>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(record)) {
    if (name.toLowerCase() === lowerName) return value;
  }
  return undefined;
}

/** Header names compare case-insensitively: setting `authorization` replaces an earlier `Authorization`. */
class HeaderSet {
  private readonly entries = new Map<string, { name: string; value: string }>();

  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), { name, value });
  }

  setAuth(type: UpstreamAuthType, value: string): void {
    const header = authHeader(type, value);
    if (header !== null) this.set(header.name, header.value);
  }

  toRecord(): Record<string, string> {
    const record: Record<string, string> = {};
    for (const { name, value } of this.entries.values()) record[name] = value;
    return record;
  }
}
