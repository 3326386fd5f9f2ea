/**
 * The MCP endpoints: `/mcp` and `/mcp/` (every server, prefixed names; narrowed by `x-mcp-servers`,
 * `x-litellm-mcp-server` or `?server=`), `/mcp/{a,b}` and `/{server}/mcp` (those servers), all speaking
 * Streamable HTTP with sessions, plus sessionless one-shot POSTs. Refusals before a JSON-RPC exchange
 * (unknown server, unknown session, the OAuth challenge of an interactive-OAuth server's own endpoint; auth and
 * DNS rebinding in jsonrpc-boundary.ts) get a JSON-RPC error body.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode, isInitializeRequest, McpError } from '@modelcontextprotocol/sdk/types.js';
import { principalOf } from '../auth/permissions.js';
import { callerOf } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { GatehouseError } from '../http/errors.js';
import { requestBaseUrl } from '../http/request-base-url.js';
import { serveDirect } from './gateway/direct-tool-call.js';
import { DownstreamSession } from './gateway/downstream-session.js';
import type { RebindingPolicy } from './gateway/dns-rebinding.js';
import { jsonRpcError, toMcpError } from './gateway/jsonrpc-errors.js';
import { answerOneShot } from './gateway/one-shot.js';
import { alignProtocolVersion, negotiatedVersion } from './gateway/protocol-version.js';
import { resolveScope } from './gateway/scope-resolution.js';
import type { SessionStore } from './gateway/session-store.js';
import type { McpHub } from './hub/hub.js';
import type { McpClientHeaderParser } from './gateway/client-header-parser.js';
import { installJsonRpcBoundary } from './jsonrpc-boundary.js';
import { oauthChallenge } from './oauth/oauth-challenge.js';
import type { McpEndpointForm } from './oauth/proxy-oauth-metadata.js';

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

  installJsonRpcBoundary(app, { callers, rebinding });

  /** Sends the 401 that starts the client's OAuth flow when the path names an interactive-OAuth server and no user token came. */
  const challenged = (request: McpRequest, reply: FastifyReply, pathServers: string | undefined, form: McpEndpointForm): boolean => {
    if (pathServers === undefined || request.method === 'DELETE') return false;
    const challenge = oauthChallenge(hub.registry, pathServers, form, parseHeaders(request.headers), requestBaseUrl(request));
    if (challenge === undefined) return false;
    void reply.code(401).header('www-authenticate', challenge.wwwAuthenticate).send(jsonRpcError(null, toMcpError(challenge.error)));
    return true;
  };

  const handle = async (request: McpRequest, reply: FastifyReply, pathServers: string | undefined, form: McpEndpointForm = 'mcp-first') => {
    const sessionId = request.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // A session keeps the scope it was opened with, and belongs to the key (and grant version) that opened it:
      // another key, or the same key after its grants changed, must initialize afresh.
      if (!session || session.options.scope.access.principal !== principalOf(callerOf(request))) {
        return reply.code(404).send(jsonRpcError(null, new McpError(-32001, 'Session not found; initialize a new session.')));
      }
      if (session.downstream.kind !== 'streamable') {
        return reply.code(400).send(jsonRpcError(null, new McpError(ErrorCode.InvalidRequest, 'This session uses the legacy SSE transport.')));
      }
      if (challenged(request, reply, pathServers, form)) return reply;
      if (session.protocolVersion) alignProtocolVersion(request.raw, session.protocolVersion);
      reply.hijack();
      if (serveDirect(session, request.raw, reply.raw, request.body, () => parseHeaders(request.headers))) return;
      await session.downstream.transport.handleRequest(request.raw, reply.raw, request.body);
      return;
    }
    let scope;
    try {
      scope = resolveScope(hub.registry, { pathServers, headers: request.headers, query: request.query }, callerOf(request));
    } catch (error) {
      const status = error instanceof GatehouseError ? error.status : 500;
      return reply.code(status).send(jsonRpcError(null, toMcpError(error)));
    }
    if (challenged(request, reply, pathServers, form)) return reply;
    if (request.method === 'POST' && isInitializeRequest(request.body)) {
      const ctx = { headers: parseHeaders(request.headers) };
      const session = DownstreamSession.streamable({
        hub,
        scope,
        scopeKey: scope.key,
        instructions: await hub.instructions(scope, ctx),
        parseHeaders,
        onInitialized: (opened) => sessions.add(opened),
        onClosed: (closed) => sessions.remove(closed),
      });
      session.protocolVersion = negotiatedVersion(request.body);
      await session.start();
      reply.hijack();
      if (session.downstream.kind === 'streamable') {
        await session.downstream.transport.handleRequest(request.raw, reply.raw, request.body);
      }
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
  app.route({ method: [...methods], url: '/:server/mcp', handler: (request: McpRequest, reply) => handle(request, reply, request.params.server, 'server-first') });
};
