/**
 * The edge of the MCP protocol endpoints (`/mcp*` and the SSE transport's `/sse`, `/messages`): refusals before a
 * JSON-RPC exchange (DNS rebinding, auth) and Fastify's own failures (bad JSON, body too large) are answered with
 * a JSON-RPC error body. Installed on each protocol plugin; the REST mirrors answer OpenAI error objects instead.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { GatehouseError } from '../http/errors.js';
import { rebindingViolation, type RebindingPolicy } from './gateway/dns-rebinding.js';
import { jsonRpcError, JSONRPC_UNAUTHORIZED } from './gateway/jsonrpc-errors.js';

export interface JsonRpcBoundaryOptions {
  callers: CallerResolver;
  rebinding: RebindingPolicy;
}

export function installJsonRpcBoundary(app: FastifyInstance, { callers, rebinding }: JsonRpcBoundaryOptions): void {
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const code = status === 400 ? ErrorCode.ParseError : ErrorCode.InternalError;
    const message = status === 413 ? 'Request body is larger than the configured limit.' : status >= 500 ? 'Internal error.' : error.message;
    return reply.code(status).send(jsonRpcError(null, new McpError(code, message)));
  });

  app.addHook('onRequest', async (request, reply) => {
    const violation = rebindingViolation(rebinding, request.headers);
    if (violation) return reply.code(403).send(jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, violation)));
    try {
      request.caller = await callers.resolve(request.headers, request.socket.remoteAddress);
    } catch (error) {
      // Only a refused key is a 401; a store failure while looking the key up is the error handler's 500.
      if (!(error instanceof GatehouseError) || error.status !== 401) throw error;
      const message = error.message;
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="gatehouse"')
        .send(jsonRpcError(null, new McpError(JSONRPC_UNAUTHORIZED, message)));
    }
  });
}
