/**
 * Which servers a /mcp request addresses, decided once per request: a path choice (`/mcp/a,b`, `/a/mcp`)
 * wins over `x-mcp-servers` (names, aliases or access groups; prefixed names), which wins over
 * `x-litellm-mcp-server` / `?server=` (one server; its own names). No choice: every server, prefixed.
 * A name that matches nothing is an error, never an empty scope. This is also where the caller's MCP permissions
 * (auth/permissions.ts) narrow every scope: a named server (or an access group with no member) the caller may not
 * use is a 403, and without a choice the scope is every server it may use.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { mayUseServer, mcpAccess, type McpAccess } from '../../auth/permissions.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { McpServerNotAllowedError, McpServerNotFoundError } from '../../http/errors.js';
import type { McpScope } from '../hub/scope.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { McpServerRegistry } from '../server-registry.js';

export interface ScopeRequest {
  /** Servers named in the path (`/mcp/a,b` or `/a/mcp`), if any. */
  pathServers?: string;
  headers: IncomingHttpHeaders;
  query: Record<string, unknown>;
}

export function resolveScope(registry: McpServerRegistry, request: ScopeRequest, caller: Caller): McpScope & { key: string } {
  const access = mcpAccess(caller, registry.all());
  if (request.pathServers !== undefined) {
    const names = splitList(decodeURIComponent(request.pathServers));
    const servers = permittedServers(registry, access, names, 'path');
    return {
      servers,
      prefixed: servers.length > 1 || names.length > 1 || isGroupSelection(registry, names),
      access,
      key: `path:${names.join(',')}`,
    };
  }
  const listHeader = headerValue(request.headers['x-mcp-servers']);
  if (listHeader !== undefined) {
    const names = splitList(listHeader);
    return { servers: permittedServers(registry, access, names, 'x-mcp-servers header'), prefixed: true, access, key: `list:${names.join(',')}` };
  }
  const single = headerValue(request.headers['x-litellm-mcp-server']) ?? (typeof request.query.server === 'string' ? request.query.server : undefined);
  if (single !== undefined && single.trim() !== '') {
    const servers = permittedServers(registry, access, [single.trim()], 'x-litellm-mcp-server header or ?server=');
    return { servers, prefixed: servers.length > 1, access, key: `one:${single.trim()}` };
  }
  return { servers: registry.all().filter((server) => mayUseServer(access, server)), prefixed: true, access, key: 'all' };
}

/**
 * The servers `names` select (names, aliases or access groups) that the caller may use. Unknown names are a 404;
 * a name whose servers the caller may use none of is a 403 (a group the caller may use part of gives that part).
 */
export function permittedServers(registry: McpServerRegistry, access: McpAccess, names: string[], where: string): McpServerDefinition[] {
  const servers = selectOrThrow(registry, names, where);
  const refused = names.filter((name) => !registry.select([name]).servers.some((server) => mayUseServer(access, server)));
  if (refused.length > 0) {
    throw new McpServerNotAllowedError(
      `This API key is not allowed to use MCP server${refused.length > 1 ? 's' : ''} ${refused.map((name) => `"${name}"`).join(', ')} (${where}).`,
    );
  }
  return servers.filter((server) => mayUseServer(access, server));
}

function selectOrThrow(registry: McpServerRegistry, names: string[], where: string): McpServerDefinition[] {
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
