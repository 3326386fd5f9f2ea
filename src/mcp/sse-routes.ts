/**
 * The HTTP+SSE transport (MCP 2024-11-05) for clients that predate Streamable HTTP: `GET /sse` or `GET /mcp/sse`
 * opens a session whose first event names the message URL (`/messages?sessionId=…`, `/mcp/messages?sessionId=…`);
 * POSTs there are answered 202 and their replies travel on the stream. The scope is chosen on the GET, by the same
 * rules as /mcp (`x-mcp-servers`, `x-litellm-mcp-server`, `?server=`); sessions share the /mcp SessionStore and
 * leave it when the stream closes.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, JSONRPCMessageSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { callerOf } from '../auth/request-caller.js';
import { principalOf } from '../auth/permissions.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { GatehouseError } from '../http/errors.js';
import type { McpClientHeaderParser } from './gateway/client-header-parser.js';
import type { RebindingPolicy } from './gateway/dns-rebinding.js';
import { DownstreamSession } from './gateway/downstream-session.js';
import { jsonRpcError, toMcpError } from './gateway/jsonrpc-errors.js';
import { resolveScope } from './gateway/scope-resolution.js';
import type { SessionStore } from './gateway/session-store.js';
import type { McpHub } from './hub/hub.js';
import { installJsonRpcBoundary } from './jsonrpc-boundary.js';

export interface SseRoutesOptions {
  hub: McpHub;
  sessions: SessionStore;
  callers: CallerResolver;
  rebinding: RebindingPolicy;
  parseHeaders: McpClientHeaderParser;
}

type SseRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>;

/** The code the SDK's Streamable HTTP transport uses for an unknown session; /mcp answers it too. */
const SESSION_NOT_FOUND = -32001;

export const sseRoutes: FastifyPluginAsync<SseRoutesOptions> = async (app, options) => {
  const { hub, sessions, parseHeaders } = options;
  installJsonRpcBoundary(app, options);

  // Open streams keep their connections busy, so Fastify's server.close() would wait on them forever: end them
  // before it runs (onClose hooks, where the SessionStore is closed, run only after it).
  const open = new Set<DownstreamSession>();
  app.addHook('preClose', async () => {
    await Promise.all([...open].map((session) => session.close()));
  });

  const openStream = (messagesPath: string) => async (request: SseRequest, reply: FastifyReply) => {
    let scope;
    try {
      scope = resolveScope(hub.registry, { headers: request.headers, query: request.query }, callerOf(request));
    } catch (error) {
      const status = error instanceof GatehouseError ? error.status : 500;
      return reply.code(status).send(jsonRpcError(null, toMcpError(error)));
    }
    let clientGone = false;
    reply.raw.once('close', () => {
      clientGone = true;
    });
    const instructions = await hub.instructions(scope, { headers: parseHeaders(request.headers) });
    const session = DownstreamSession.legacySse(
      {
        hub,
        scope,
        scopeKey: scope.key,
        instructions,
        parseHeaders,
        // The session id exists from the start (it is in the endpoint event), so it is registered below, not on initialize.
        onInitialized: () => undefined,
        onClosed: (closed) => {
          open.delete(closed);
          sessions.remove(closed);
        },
      },
      messagesPath,
      reply.raw,
    );
    reply.hijack();
    if (clientGone) return;
    // Registered before the endpoint event is written, so a POST that follows it at once finds the session.
    sessions.add(session);
    open.add(session);
    try {
      await session.start();
    } catch (error) {
      open.delete(session);
      sessions.remove(session);
      request.log.debug({ err: error }, 'sse session failed to start');
      reply.raw.destroy();
    }
  };

  const postMessage = async (request: SseRequest, reply: FastifyReply) => {
    const id = request.query.sessionId;
    if (typeof id !== 'string' || id === '') {
      return reply.code(400).send(jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, 'Bad Request: the sessionId query parameter is required.')));
    }
    const session = sessions.get(id);
    const downstream = session?.downstream;
    // Only the key (and grant version) that opened the stream may post to it.
    const principal = principalOf(callerOf(request));
    if (downstream?.kind !== 'legacy-sse' || session?.options.scope.access.principal !== principal) {
      return reply.code(404).send(jsonRpcError(null, new McpError(SESSION_NOT_FOUND, 'Session not found; open a new SSE stream.')));
    }
    const message = JSONRPCMessageSchema.safeParse(request.body);
    if (!message.success) {
      return reply.code(400).send(jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, 'Expected one JSON-RPC message object.')));
    }
    reply.hijack();
    // The transport answers 202 itself; it throws only after answering (stream already gone: 500).
    await downstream.transport.handlePostMessage(request.raw, reply.raw, message.data).catch((error: unknown) => {
      request.log.debug({ err: error }, 'sse message not delivered');
    });
  };

  // No automatic HEAD twin: it would open a session that can never receive its endpoint event.
  app.get('/sse', { exposeHeadRoute: false }, openStream('/messages'));
  app.get('/mcp/sse', { exposeHeadRoute: false }, openStream('/mcp/messages'));
  app.post('/messages', postMessage);
  app.post('/mcp/messages', postMessage);
};
