/**
 * The checks a server must pass before it is stored (create, and the merged result of an update): SEP-986 names
 * without the tool separator, a sane transport/field combination, and no id, name or alias another server
 * (config or stored) already uses. Everything here is a 400 naming the field; runs at write time, never per request.
 */
import { InvalidRequestError, McpServerExistsError } from '../http/errors.js';
import { SEP986_NAME, serverNameProblem } from '../mcp/names.js';
import type { McpServerRegistry } from '../mcp/server-registry.js';
import type { StoredMcpServer } from '../store/mcp-servers-record.js';
import { authTypeOf, transportKind } from './mcp-server-definition.js';
import { ALL_MCP_SERVERS } from '../auth/permissions.js';

/** LiteLLM reserves these ids for its own "all servers" selections. */
const RESERVED_IDS: ReadonlySet<string> = new Set(['all-team-mcpservers', ALL_MCP_SERVERS]);

export function validateMcpServer(server: StoredMcpServer, registry: McpServerRegistry, mode: 'create' | 'update'): void {
  checkNames(server, registry);
  checkTransport(server);
  checkAuth(server);
  checkUnique(server, registry, mode);
}

function checkNames(server: StoredMcpServer, registry: McpServerRegistry): void {
  if (!SEP986_NAME.test(server.server_id) || RESERVED_IDS.has(server.server_id)) {
    throw new InvalidRequestError(
      `Invalid value for 'server_id': "${server.server_id}" must match ^[A-Za-z0-9._-]{1,128}$ and not be a reserved id.`,
      { param: 'server_id' },
    );
  }
  for (const field of ['server_name', 'alias'] as const) {
    const value = server[field];
    const problem = value === null ? undefined : serverNameProblem(value, registry.separator);
    if (problem) throw new InvalidRequestError(`Invalid value for '${field}': "${value}" ${problem}.`, { param: field });
  }
}

function checkTransport(server: StoredMcpServer): void {
  const transport = transportKind(server.transport);
  if (transport === 'stdio') {
    if (!server.command) throw new InvalidRequestError("Missing required parameter: 'command' (transport stdio).", { param: 'command' });
    if (server.url !== null && !server.url.startsWith('stdio://')) {
      throw new InvalidRequestError("Invalid value for 'url': transport stdio takes no URL other than stdio://….", { param: 'url' });
    }
    if (server.spec_path !== null) throw new InvalidRequestError("Invalid value for 'spec_path': not allowed with transport stdio.", { param: 'spec_path' });
    return;
  }
  for (const field of ['command', 'args', 'env'] as const) {
    const value = server[field];
    const set = Array.isArray(value) ? value.length > 0 : typeof value === 'object' && value !== null ? Object.keys(value).length > 0 : value !== null;
    if (set) throw new InvalidRequestError(`Invalid value for '${field}': only transport stdio takes ${field}.`, { param: field });
  }
  if (server.url === null && server.spec_path === null) {
    throw new InvalidRequestError(`Missing required parameter: 'url' (transport ${server.transport} needs url or spec_path).`, { param: 'url' });
  }
  if (server.url !== null && !/^https?:\/\/[^/\s]+/i.test(server.url)) {
    throw new InvalidRequestError(`Invalid value for 'url': transport ${server.transport} needs an http:// or https:// URL.`, { param: 'url' });
  }
}

function checkAuth(server: StoredMcpServer): void {
  if (authTypeOf(server.auth_type) !== 'oauth2') return;
  for (const key of ['client_id', 'client_secret', 'token_url'] as const) {
    if (!server.credentials?.[key]) {
      throw new InvalidRequestError(`Missing required parameter: 'credentials.${key}' (auth_type oauth2).`, { param: `credentials.${key}` });
    }
  }
}

function checkUnique(server: StoredMcpServer, registry: McpServerRegistry, mode: 'create' | 'update'): void {
  if (registry.isConfigServer(server.server_id)) {
    throw new McpServerExistsError(`server_id "${server.server_id}" is a config.yaml server; those are read-only here.`, { param: 'server_id' });
  }
  if (mode === 'create' && registry.get(server.server_id) !== undefined) {
    throw new McpServerExistsError(`An MCP server with server_id "${server.server_id}" already exists.`, { param: 'server_id' });
  }
  for (const field of ['server_name', 'alias'] as const) {
    const value = server[field];
    const other = value === null ? undefined : registry.find(value);
    if (other !== undefined && other.id !== server.server_id) {
      throw new McpServerExistsError(`MCP server "${other.id}" already uses the name or alias "${value}".`, { param: field });
    }
  }
}
