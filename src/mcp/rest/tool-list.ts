/**
 * `GET /mcp-rest/tools/list` in LiteLLM's shape: every tool prefixed with its server, plus `mcp_info` naming the
 * server. A server that fails beside others that answer is reported as `"error": "partial_failure"` with a
 * message naming it (HTTP 200: LiteLLM's contract, produced only here); the hub throws when every server fails.
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { InternalError } from '../../http/errors.js';
import type { McpHub } from '../hub/hub.js';
import type { McpRequestContext, McpScope, ServerFailure } from '../hub/scope.js';
import type { McpServerInfo } from '../server-definition.js';

export interface RestTool {
  /** `<server prefix><sep><tool>`, the name `/mcp-rest/tools/call` takes. */
  name: string;
  description?: string;
  inputSchema: Tool['inputSchema'];
  mcp_info: McpServerInfo & { server_name: string };
}

export interface RestToolList {
  tools: RestTool[];
  error: 'partial_failure' | null;
  message: string;
}

export async function listRestTools(hub: McpHub, scope: McpScope, ctx: McpRequestContext): Promise<RestToolList> {
  const { items, failures } = await hub.listTools({ ...scope, prefixed: true }, ctx);
  const tools = items.map((tool) => toRestTool(hub, tool));
  if (failures.length === 0) return { tools, error: null, message: 'Successfully retrieved tools' };
  return { tools, error: 'partial_failure', message: partialFailureMessage(failures, scope.servers.length) };
}

function toRestTool(hub: McpHub, tool: Tool): RestTool {
  const parsed = hub.registry.names.parse(tool.name);
  const server = parsed && hub.registry.withPrefix(parsed.prefix);
  if (!server) throw new InternalError(`Listed tool "${tool.name}" carries no known server prefix.`);
  return {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    inputSchema: tool.inputSchema,
    mcp_info: { ...(server.description !== undefined ? { description: server.description } : {}), ...server.info, server_name: server.name },
  };
}

function partialFailureMessage(failures: readonly ServerFailure[], total: number): string {
  const names = failures.map((failure) => `"${failure.server}"`).join(', ');
  const details = failures.map((failure) => failure.message).join('; ');
  return `Failed to get tools from ${failures.length} of ${total} MCP servers (${names}): ${details}`;
}
