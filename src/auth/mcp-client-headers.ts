/**
 * The MCP-relevant part of an inbound request's headers, parsed once per request: per-server upstream headers
 * (`x-mcp-{server}-{header}`), the legacy client-side token (`x-mcp-auth`), and the headers that may be copied
 * upstream. The proxy's own key never reaches `forwardable`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { withoutBearer } from './bearer.js';

export interface McpClientHeaders {
  /**
   * x-mcp-{server}-{header} values keyed by server id; header names re-cased (authorization → Authorization,
   * x-api-key → X-Api-Key style title case).
   */
  perServer: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** The legacy client-side token (header `x-mcp-auth`, or the configured name). */
  clientAuth?: string;
  /**
   * Inbound headers that may be copied upstream through a server's `extra_headers` allow-list or used for stdio
   * `${X-Header}` env: lower-cased names; never the proxy's own key.
   */
  forwardable: Readonly<Record<string, string>>;
}

export interface McpHeaderServer {
  id: string;
  name: string;
  alias?: string;
}

export interface ParseMcpClientHeadersOptions {
  /** Lower-case; default in config is `x-mcp-auth`. */
  clientAuthHeaderName: string;
  /** Where the caller presented the proxy key, so that header is never forwarded. */
  proxyKeyPresentedIn: 'authorization' | 'x-litellm-api-key' | null;
}

const MCP_HEADER_PREFIX = 'x-mcp-';

/** Gateway control headers: they select servers, they are not upstream headers. */
const MCP_CONTROL_HEADERS: ReadonlySet<string> = new Set(['x-mcp-servers', 'x-mcp-access-groups']);

/** Hop-by-hop (RFC 9110 §7.6.1), body framing, cookies, the downstream MCP session and the proxy key. */
const NEVER_FORWARDED: ReadonlySet<string> = new Set([
  'host',
  'connection',
  'proxy-connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'transfer-encoding',
  'proxy-authorization',
  'content-length',
  'content-type',
  'accept',
  'accept-encoding',
  'cookie',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
  'x-litellm-api-key',
]);

interface ServerKey {
  /** Lower-cased name or alias as written in a header (spaces → `_`). */
  key: string;
  id: string;
}

/** Parses the inbound headers once; everything downstream reads the result. */
export function parseMcpClientHeaders(
  headers: IncomingHttpHeaders,
  servers: readonly McpHeaderServer[],
  options: ParseMcpClientHeadersOptions,
): McpClientHeaders {
  const perServer = new Map<string, Record<string, string>>();
  const forwardable: Record<string, string> = {};
  let clientAuth: string | undefined;
  let serverKeys: readonly ServerKey[] | null = null;
  const connectionListed = connectionTokens(headers.connection);
  const clientAuthName = options.clientAuthHeaderName.toLowerCase();

  for (const [rawName, rawValue] of Object.entries(headers)) {
    const value = headerValue(rawValue);
    if (value === undefined) continue;
    const name = rawName.toLowerCase();

    if (name === clientAuthName) {
      const token = value.trim();
      if (token !== '') clientAuth = token;
      continue;
    }
    if (name.startsWith(MCP_HEADER_PREFIX)) {
      // Every x-mcp-* header is for the gateway itself; none is forwardable.
      if (MCP_CONTROL_HEADERS.has(name)) continue;
      serverKeys ??= buildServerKeys(servers);
      const match = matchServer(name.slice(MCP_HEADER_PREFIX.length), serverKeys);
      if (match === null) continue;
      const entries = perServer.get(match.id) ?? {};
      entries[titleCase(match.header)] = value;
      perServer.set(match.id, entries);
      continue;
    }
    if (NEVER_FORWARDED.has(name) || connectionListed.has(name)) continue;
    if (name === 'authorization' && carriesProxyKey(value, headers, options.proxyKeyPresentedIn)) continue;
    forwardable[name] = value;
  }

  const result: McpClientHeaders = { perServer, forwardable };
  if (clientAuth !== undefined) result.clientAuth = clientAuth;
  return result;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * Authorization carries the proxy key when the key was presented there, or when it repeats the key presented in
 * `x-litellm-api-key` (clients such as the OpenAI SDK always send `Authorization: Bearer <key>`).
 */
function carriesProxyKey(
  authorization: string,
  headers: IncomingHttpHeaders,
  presentedIn: ParseMcpClientHeadersOptions['proxyKeyPresentedIn'],
): boolean {
  if (presentedIn === 'authorization') return true;
  if (presentedIn !== 'x-litellm-api-key') return false;
  const key = headerValue(headers['x-litellm-api-key']);
  return key !== undefined && withoutBearer(authorization) === withoutBearer(key);
}

/** Headers named in `Connection` are hop-by-hop for this message (RFC 9110 §7.6.1). */
function connectionTokens(value: string | undefined): ReadonlySet<string> {
  if (value === undefined) return new Set();
  return new Set(
    value
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter((token) => token !== ''),
  );
}

/**
 * Aliases before names, then longest first: the first key that prefixes the header wins, so `git-hub` beats
 * `git` and, at equal length, an alias beats another server's name (LiteLLM matches alias, then name).
 */
function buildServerKeys(servers: readonly McpHeaderServer[]): ServerKey[] {
  const keys: ServerKey[] = [];
  for (const server of servers) {
    if (server.alias !== undefined && server.alias !== '') keys.push({ key: headerForm(server.alias), id: server.id });
  }
  for (const server of servers) keys.push({ key: headerForm(server.name), id: server.id });
  // Array.prototype.sort is stable, so equal lengths keep the alias-first order.
  return keys.sort((a, b) => b.key.length - a.key.length);
}

function headerForm(serverName: string): string {
  return serverName.toLowerCase().replace(/ /g, '_');
}

function matchServer(rest: string, keys: readonly ServerKey[]): { id: string; header: string } | null {
  for (const { key, id } of keys) {
    if (rest.length > key.length + 1 && rest.startsWith(key) && rest[key.length] === '-') {
      return { id, header: rest.slice(key.length + 1) };
    }
  }
  return null;
}

/** `authorization` → `Authorization`, `x-api-key` → `X-Api-Key`. */
function titleCase(header: string): string {
  return header
    .split('-')
    .map((part) => (part === '' ? part : part[0].toUpperCase() + part.slice(1)))
    .join('-');
}
