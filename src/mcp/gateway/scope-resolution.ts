/**
 * Which servers a /mcp request addresses, decided once per request: a path choice (`/mcp/a,b`, `/a/mcp`)
 * wins over `x-mcp-servers` (names, aliases or access groups; prefixed names), which wins over
 * `x-litellm-mcp-server` / `?server=` (one server; its own names). No choice: every server, prefixed.
 * A name that matches nothing is an error, never an empty scope.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { McpServerNotFoundError } from '../../http/errors.js';
import type { McpScope } from '../hub/scope.js';
import type { McpServerRegistry } from '../server-registry.js';

export interface ScopeRequest {
  /** Servers named in the path (`/mcp/a,b` or `/a/mcp`), if any. */
  pathServers?: string;
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
}

export function resolveScope(registry: McpServerRegistry, request: ScopeRequest): McpScope & { key: string } {
  if (request.pathServers !== undefined) {
    const names = splitList(decodeURIComponent(request.pathServers));
    const servers = selectOrThrow(registry, names, 'path');
    return { servers, prefixed: servers.length > 1 || names.length > 1 || isGroupSelection(registry, names), key: `path:${names.join(',')}` };
  }
  const listHeader = headerValue(request.headers['x-mcp-servers']);
  if (listHeader !== undefined) {
    const names = splitList(listHeader);
    return { servers: selectOrThrow(registry, names, 'x-mcp-servers header'), prefixed: true, key: `list:${names.join(',')}` };
  }
  const single = headerValue(request.headers['x-litellm-mcp-server']) ?? (typeof request.query.server === 'string' ? request.query.server : undefined);
  if (single !== undefined && single.trim() !== '') {
    const servers = selectOrThrow(registry, [single.trim()], 'x-litellm-mcp-server header or ?server=');
    return { servers, prefixed: servers.length > 1, key: `one:${single.trim()}` };
  }
  return { servers: [...registry.all()], prefixed: true, key: 'all' };
}

function selectOrThrow(registry: McpServerRegistry, names: string[], where: string) {
  if (names.length === 0) throw new McpServerNotFoundError(`No MCP server named in the ${where}.`);
  const { servers, unknown } = registry.select(names);
  if (unknown.length > 0) {
    throw new McpServerNotFoundError(
      `Unknown MCP server${unknown.length > 1 ? 's' : ''} in the ${where}: ${unknown.map((name) => `"${name}"`).join(', ')}.`,
    );
  }
  return servers;
}

/** An access group always means "several servers", so its names stay prefixed even if it has one member. */
function isGroupSelection(registry: McpServerRegistry, names: string[]): boolean {
  return names.some((name) => registry.find(name) === undefined);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
