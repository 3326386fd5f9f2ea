/**
 * Which servers a REST mirror request addresses: `server_id` (a server name, alias or access group) when given,
 * else the /mcp header rules (`x-mcp-servers`, `x-litellm-mcp-server`, else every server).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { mcpAccess } from '../../auth/permissions.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { InvalidRequestError, McpServerNotFoundError } from '../../http/errors.js';
import { permittedServers, resolveScope } from '../gateway/scope-resolution.js';
import type { McpScope } from '../hub/scope.js';
import type { McpServerRegistry } from '../server-registry.js';

export function restScope(registry: McpServerRegistry, serverId: string | undefined, headers: IncomingHttpHeaders, caller: Caller): McpScope {
  if (serverId === undefined) return resolveScope(registry, { headers, query: {} }, caller);
  const { unknown } = registry.select([serverId]);
  if (unknown.length > 0) throw new McpServerNotFoundError(`Unknown MCP server in server_id: "${serverId}".`, { param: 'server_id' });
  const access = mcpAccess(caller, registry.all());
  const servers = permittedServers(registry, access, [serverId], 'server_id');
  // One server: both its own tool names and the prefixed ones are accepted (the hub's one-server routing).
  return { servers, prefixed: servers.length > 1, access };
}

/** A `server_id` as sent (query string or body): absent or empty means none; anything but one string is refused. */
export function serverIdOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new InvalidRequestError('server_id must be one string: a server name, alias or access group.', { param: 'server_id' });
  return value.trim() === '' ? undefined : value.trim();
}
