/**
 * `server_url: "litellm_proxy"` and `"litellm_proxy/mcp/<a>[,<b>]"`: the gateway's own servers as a ToolSource,
 * over the same hub, scope rules and client headers as /mcp (one code path, one permission check).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { InvalidRequestError, McpServerNotAllowedError, McpServerNotFoundError, McpUpstreamError } from '../../http/errors.js';
import type { McpClientHeaderParser } from '../../mcp/gateway/client-header-parser.js';
import { resolveScope } from '../../mcp/gateway/scope-resolution.js';
import type { McpHub } from '../../mcp/hub/hub.js';
import type { McpScope } from '../../mcp/hub/scope.js';
import type { RequestSpend } from '../../spend/spend-types.js';
import type { McpToolEntry } from './mcp-tool-spec.js';
import type { ToolSource } from './loop-types.js';

const PROXY_URL = 'litellm_proxy';
const SERVERS_PATH = `${PROXY_URL}/mcp/`;

/** `litellm_proxy`, or a path below it: this proxy's servers rather than a remote URL. */
export function isProxyServerUrl(url: string): boolean {
  return url === PROXY_URL || url.startsWith(`${PROXY_URL}/`);
}

/**
 * The hub scope a proxy `server_url` names: every server (prefixed names), or the listed servers, names or access
 * groups (one server: its own tool names), resolved as /mcp/<a>,<b> resolves them, for `caller`. Unknown names
 * are a 404; servers the caller may not use are a 403 (resolveScope), and so is "every server" when it may use none.
 */
export function proxyScope(hub: McpHub, url: string, param: string, caller: Caller): McpScope {
  const trimmed = url.replace(/\/+$/, '');
  if (trimmed === PROXY_URL || trimmed === `${PROXY_URL}/mcp`) {
    if (hub.registry.all().length === 0) {
      throw new McpServerNotFoundError(`${param}: no MCP servers are configured on this proxy (mcp_servers).`, { param });
    }
    const scope = resolveScope(hub.registry, { headers: {}, query: {} }, caller);
    if (scope.servers.length === 0) throw new McpServerNotAllowedError(`${param}: this API key is not allowed to use any MCP server.`, { param });
    return scope;
  }
  if (!trimmed.startsWith(SERVERS_PATH)) {
    throw new InvalidRequestError(
      `Invalid value for '${param}': "${url}" must be "litellm_proxy" or "litellm_proxy/mcp/<server>[,<server>…]".`,
      { param },
    );
  }
  const list = trimmed.slice(SERVERS_PATH.length);
  const names = decodeURIComponent(list)
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const { unknown } = hub.registry.select(names);
  if (names.length === 0 || unknown.length > 0) {
    const which = unknown.map((name) => `"${name}"`).join(', ');
    throw new McpServerNotFoundError(
      names.length === 0 ? `${param}: "${url}" names no MCP server.` : `${param}: unknown MCP server ${which} in "${url}".`,
      { param },
    );
  }
  return resolveScope(hub.registry, { pathServers: list, headers: {}, query: {} }, caller);
}

/**
 * The client headers one mcp tool's calls carry: the request's own (`x-mcp-{server}-*`, `x-mcp-auth`, …) plus the
 * tool's `headers` and `authorization`. A tool header not already addressed to a server (`x-mcp-…`) goes to each
 * server of its scope as `x-mcp-{server}-{header}` would, and `authorization` as that server's Bearer token.
 */
export function toolClientHeaders(
  parse: McpClientHeaderParser,
  requestHeaders: IncomingHttpHeaders,
  entry: McpToolEntry,
  scope: McpScope,
): McpClientHeaders {
  const { headers, authorization } = entry.spec;
  const extra: Record<string, string> = {};
  const perServer = (name: string, value: string) => {
    for (const server of scope.servers) extra[`x-mcp-${server.prefix.toLowerCase()}-${name}`] = value;
  };
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-mcp-')) extra[lower] = value;
    else perServer(lower, value);
  }
  if (authorization !== undefined) perServer('authorization', /^bearer\s/i.test(authorization) ? authorization : `Bearer ${authorization}`);
  return parse(Object.keys(extra).length === 0 ? requestHeaders : { ...requestHeaders, ...extra });
}

/** `spend`: the LLM request whose tool loop calls these tools (its tool costs add up into the request's). */
export function hubToolSource(hub: McpHub, scope: McpScope, headers: McpClientHeaders, spend?: RequestSpend): ToolSource {
  return {
    async listTools(signal) {
      const { items, failures } = await hub.listTools(scope, { headers, signal });
      // One server of several failing is still a failure of this tool: never a silently shorter list.
      if (failures.length > 0) throw new McpUpstreamError(failures.map((failure) => failure.message).join('; '));
      return items;
    },
    callTool(name, args, { signal }) {
      return hub.callTool(scope, { headers, signal, ...(spend ? { spend } : {}) }, { name, arguments: args });
    },
  };
}
