/**
 * The checks a server must pass before it is stored (create, and the merged result of an update): the MCP server
 * rules config.yaml servers pass too (mcp/mcp-server-rules.ts), against every other server (config or stored),
 * then the id checks only the API has. The first violation is a 400 naming the field; runs at write time, never
 * per request.
 */
import { InvalidRequestError, McpServerExistsError, type GatehouseError } from '../http/errors.js';
import { mcpServerViolations, type McpServerViolation } from '../mcp/mcp-server-rules.js';
import type { McpServerRegistry } from '../mcp/server-registry.js';
import type { StoredMcpServer } from '../store/mcp-servers-record.js';
import { storedServerDraft } from './mcp-server-definition.js';

export function validateMcpServer(server: StoredMcpServer, registry: McpServerRegistry, mode: 'create' | 'update'): void {
  const [first] = mcpServerViolations(storedServerDraft(server), { separator: registry.separator, others: registry.all() });
  if (first !== undefined) throw violationError(first);
  checkUniqueId(server, registry, mode);
}

/** `Invalid MCP server: 'url' must be an http(s) URL …` — the rule's own words, after the param they name. */
function violationError(violation: McpServerViolation): GatehouseError {
  const param = `${violation.field}${violation.at}`;
  const message = `Invalid MCP server: '${param}' ${violation.message}.`;
  return violation.conflict ? new McpServerExistsError(message, { param }) : new InvalidRequestError(message, { param });
}

function checkUniqueId(server: StoredMcpServer, registry: McpServerRegistry, mode: 'create' | 'update'): void {
  if (registry.isConfigServer(server.server_id)) {
    throw new McpServerExistsError(`server_id "${server.server_id}" is a config.yaml server; those are read-only here.`, { param: 'server_id' });
  }
  if (mode === 'create' && registry.get(server.server_id) !== undefined) {
    throw new McpServerExistsError(`An MCP server with server_id "${server.server_id}" already exists.`, { param: 'server_id' });
  }
}
