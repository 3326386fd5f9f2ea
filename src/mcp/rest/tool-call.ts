/**
 * `POST /mcp-rest/tools/call`: checks the body, then calls through the hub. Refusals come first, in the hub's
 * order (unknown server 404, not allowed 403), then a tool the server does not list is a 404 — not the upstream's
 * `isError` text, which a REST caller could mistake for the tool's own answer.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { InvalidRequestError, McpNameNotFoundError } from '../../http/errors.js';
import type { McpHub } from '../hub/hub.js';
import { assertParamsAllowed, assertToolAllowed, routeName } from '../hub/name-routing.js';
import type { McpRequestContext, McpScope } from '../hub/scope.js';
import type { McpServerDefinition } from '../server-definition.js';
import { serverIdOf } from './rest-scope.js';

export interface RestToolCall {
  /** Prefixed, or the server's own name when `serverId` is given. */
  name: string;
  arguments: Record<string, unknown>;
  serverId?: string;
}

export function parseRestToolCall(body: unknown): RestToolCall {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequestError('Request body must be a JSON object: {"name": ..., "arguments": {...}}.');
  }
  const { name, arguments: args, server_id: serverId } = body as Record<string, unknown>;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidRequestError("Missing required parameter: 'name' (the tool name, prefixed with its server unless server_id is given).", {
      param: 'name',
    });
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new InvalidRequestError('Request arguments are required: "arguments" must be a JSON object ({} for a tool without parameters).', {
      param: 'arguments',
    });
  }
  return { name: name.trim(), arguments: args as Record<string, unknown>, serverId: serverIdOf(serverId) };
}

export async function callRestTool(hub: McpHub, scope: McpScope, ctx: McpRequestContext, call: RestToolCall): Promise<CallToolResult> {
  const names = hub.registry.names;
  const routed = await routeName(names, scope, 'tool', call.name, async (server, candidate) => (await toolNames(hub, scope, server, ctx)).has(candidate));
  assertToolAllowed(names, scope, routed.server, routed.name);
  assertParamsAllowed(routed.server, routed.name, call.arguments);
  if (!(await toolNames(hub, scope, routed.server, ctx)).has(routed.name)) {
    throw new McpNameNotFoundError(`MCP server "${routed.server.name}" has no tool named "${routed.name}".`, { param: 'name' });
  }
  return hub.callTool({ ...scope, servers: [routed.server], prefixed: false }, ctx, { name: routed.name, arguments: call.arguments });
}

/** The server's own tool names (its cached catalog); a server that cannot list fails here, naming itself. */
async function toolNames(hub: McpHub, scope: McpScope, server: McpServerDefinition, ctx: McpRequestContext): Promise<Set<string>> {
  const { items } = await hub.listTools({ ...scope, servers: [server], prefixed: false }, ctx);
  return new Set(items.map((tool) => tool.name));
}
