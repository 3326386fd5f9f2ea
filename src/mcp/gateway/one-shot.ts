/**
 * curl-friendly calls: a POST without a session that carries one request (no prior `initialize`; `jsonrpc`
 * and `id` may be left out) is dispatched straight to MCP_METHODS and answered with one JSON-RPC response.
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { jsonRpcError, toMcpError } from './jsonrpc-errors.js';
import { MCP_METHODS, type MethodEnvironment } from './mcp-methods.js';

export type OneShotAnswer = { status: 200; body: Record<string, unknown> } | { status: 202 } | { status: 400; body: Record<string, unknown> };

export async function answerOneShot(body: unknown, env: MethodEnvironment): Promise<OneShotAnswer> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { status: 400, body: jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, 'Expected one JSON-RPC request object.')) };
  }
  const message = body as { id?: unknown; method?: unknown; params?: unknown };
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  if (typeof message.method !== 'string') {
    // A response or something else without a method: nothing to answer without a session.
    return { status: 400, body: jsonRpcError(id, new McpError(ErrorCode.InvalidRequest, 'Missing "method".')) };
  }
  if (message.method.startsWith('notifications/')) return { status: 202 };
  const handler = MCP_METHODS[message.method];
  if (!handler) {
    return { status: 200, body: jsonRpcError(id, new McpError(ErrorCode.MethodNotFound, `Method not found: ${message.method}`)) };
  }
  const params = message.params !== null && typeof message.params === 'object' ? (message.params as Record<string, unknown>) : undefined;
  try {
    return { status: 200, body: { jsonrpc: '2.0', id, result: await handler(params, env) } };
  } catch (error) {
    return { status: 200, body: jsonRpcError(id, toMcpError(error)) };
  }
}
