/**
 * The MCP endpoints: `/mcp` and `/mcp/` (every server, prefixed names; narrowed by `x-mcp-servers`,
 * `x-litellm-mcp-server` or `?server=`), `/mcp/{a,b}` and `/{server}/mcp` (those servers), all speaking
 * Streamable HTTP with sessions, plus sessionless one-shot POSTs. Refusals before a JSON-RPC exchange
 * (auth, DNS rebinding, unknown server, unknown session) are answered here with a JSON-RPC error body.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isInitializeRequest, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { GatehouseError } from '../http/errors.js';
import { DownstreamSession } from './gateway/downstream-session.js';
import { rebindingViolation, type RebindingPolicy } from './gateway/dns-rebinding.js';
import { jsonRpcError, JSONRPC_UNAUTHORIZED, toMcpError } from './gateway/jsonrpc-errors.js';
import { answerOneShot } from './gateway/one-shot.js';
import { resolveScope } from './gateway/scope-resolution.js';
import type { SessionStore } from './gateway/session-store.js';
import type { McpHub } from './hub/hub.js';
import type { McpClientHeaderParser } from './gateway/client-header-parser.js';

export interface McpRoutesOptions {
  hub: McpHub;
  sessions: SessionStore;
  callers: CallerResolver;
  rebinding: RebindingPolicy;
  parseHeaders: McpClientHeaderParser;
}

type McpRequest = FastifyRequest<{ Params: { servers?: string; server?: string }; Querystring: Record<string, unknown> }>;

export const mcpRoutes: FastifyPluginAsync<McpRoutesOptions> = async (app, options) => {
  const { hub, sessions, callers, rebinding, parseHeaders } = options;

  // Errors Fastify raises before the handler (bad JSON, body too large) in JSON-RPC form.
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
      callers.resolve(request.headers);
    } catch (error) {
      const message = error instanceof GatehouseError ? error.message : 'Unauthorized.';
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="gatehouse"')
        .send(jsonRpcError(null, new McpError(JSONRPC_UNAUTHORIZED, message)));
    }
  });

  const handle = async (request: McpRequest, reply: FastifyReply, pathServers: string | undefined) => {
    let scope;
    try {
      scope = resolveScope(hub.registry, { pathServers, headers: request.headers, query: request.query });
    } catch (error) {
      const status = error instanceof GatehouseError ? error.status : 500;
      return reply.code(status).send(jsonRpcError(null, toMcpError(error)));
    }
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      if (!session) {
        return reply.code(404).send(jsonRpcError(null, new McpError(-32001, 'Session not found; initialize a new session.')));
      }
      reply.hijack();
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
      return;
    }
    if (request.method === 'POST' && isInitializeRequest(request.body)) {
      const ctx = { headers: parseHeaders(request.headers) };
      const session = new DownstreamSession({
        hub,
        scope,
        scopeKey: scope.key,
        instructions: await hub.instructions(scope, ctx),
        parseHeaders,
        onInitialized: (opened) => sessions.add(opened),
        onClosed: (closed) => sessions.remove(closed),
      });
      await session.start();
      reply.hijack();
      await session.transport.handleRequest(request.raw, reply.raw, request.body);
      return;
    }
    if (request.method === 'POST') {
      const controller = new AbortController();
      reply.raw.once('close', () => controller.abort());
      const answer = await answerOneShot(request.body, {
        hub,
        scope,
        ctx: { headers: parseHeaders(request.headers), signal: controller.signal },
      });
      return answer.status === 202 ? reply.code(202).send() : reply.code(answer.status).send(answer.body);
    }
    return reply.code(400).send(jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, 'Bad Request: Mcp-Session-Id header is required.')));
  };

  const methods = ['GET', 'POST', 'DELETE'] as const;
  for (const url of ['/mcp', '/mcp/']) {
    app.route({ method: [...methods], url, handler: (request: McpRequest, reply) => handle(request, reply, undefined) });
  }
  app.route({ method: [...methods], url: '/mcp/:servers', handler: (request: McpRequest, reply) => handle(request, reply, request.params.servers) });
  app.route({ method: [...methods], url: '/:server/mcp', handler: (request: McpRequest, reply) => handle(request, reply, request.params.server) });
};
