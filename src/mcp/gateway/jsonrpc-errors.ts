/**
 * The one mapping from gateway errors to JSON-RPC errors on /mcp (HTTP-level refusals — unknown server,
 * auth — are answered before a JSON-RPC exchange starts, in routes.ts).
 */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { GatehouseError } from '../../http/errors.js';

/** Implementation-defined codes (JSON-RPC reserves -32000..-32099 for servers). */
export const JSONRPC_FORBIDDEN = -32003;
export const JSONRPC_UNAUTHORIZED = -32004;
/** A budget or rate limit is reached (issue #7): the HTTP 429 of the OpenAI routes, as a JSON-RPC error. */
export const JSONRPC_LIMIT_REACHED = -32029;
/** MCP's "resource not found". */
export const JSONRPC_RESOURCE_NOT_FOUND = -32002;

const CODES: Readonly<Record<string, number>> = {
  mcp_server_not_found: ErrorCode.InvalidParams,
  mcp_not_found: ErrorCode.InvalidParams,
  mcp_tool_not_allowed: JSONRPC_FORBIDDEN,
  mcp_server_not_allowed: JSONRPC_FORBIDDEN,
  mcp_params_not_allowed: JSONRPC_FORBIDDEN,
  mcp_credential_missing: JSONRPC_UNAUTHORIZED,
  mcp_oauth_required: JSONRPC_UNAUTHORIZED,
  missing_api_key: JSONRPC_UNAUTHORIZED,
  invalid_api_key: JSONRPC_UNAUTHORIZED,
  key_expired: JSONRPC_UNAUTHORIZED,
  key_blocked: JSONRPC_UNAUTHORIZED,
  budget_exceeded: JSONRPC_LIMIT_REACHED,
  rate_limit_exceeded: JSONRPC_LIMIT_REACHED,
};

export function toMcpError(error: unknown): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof GatehouseError) {
    const code =
      error.code === 'mcp_not_found' && error.param === 'uri' ? JSONRPC_RESOURCE_NOT_FOUND : (CODES[error.code] ?? ErrorCode.InternalError);
    return new McpError(code, error.message, { code: error.code, status: error.status });
  }
  if (error instanceof Error && error.name === 'AbortError') return new McpError(ErrorCode.RequestTimeout, 'Request cancelled.');
  return new McpError(ErrorCode.InternalError, 'Internal error in the gateway.');
}

/** A JSON-RPC error response object (for answers written without an SDK transport). */
export function jsonRpcError(id: string | number | null, error: McpError): Record<string, unknown> {
  // McpError prefixes its message with "MCP error <code>: "; the wire message is the original text.
  const message = error.message.replace(/^MCP error -?\d+: /, '');
  return { jsonrpc: '2.0', id, error: { code: error.code, message, ...(error.data !== undefined ? { data: error.data } : {}) } };
}
