/**
 * The MCP REST mirrors (LiteLLM's `/mcp-rest/*`, and the older `/mcp/tools/*` aliases) plus `GET /mcp/enabled`.
 * Plain JSON, no JSON-RPC: failures are OpenAI error objects from the app's error handler, which is why these
 * routes live in their own plugin and not under the /mcp plugin's JSON-RPC boundary.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { HostNotAllowedError } from '../http/errors.js';
import type { McpClientHeaderParser } from './gateway/client-header-parser.js';
import { rebindingViolation, type RebindingPolicy } from './gateway/dns-rebinding.js';
import type { McpHub } from './hub/hub.js';
import type { McpRequestContext } from './hub/scope.js';
import { restScope, serverIdOf } from './rest/rest-scope.js';
import { callRestTool, parseRestToolCall } from './rest/tool-call.js';
import { listRestTools } from './rest/tool-list.js';

export interface McpRestRoutesOptions {
  hub: McpHub;
  callers: CallerResolver;
  rebinding: RebindingPolicy;
  parseHeaders: McpClientHeaderParser;
}

type ListRequest = FastifyRequest<{ Querystring: Record<string, unknown> }>;

export const mcpRestRoutes: FastifyPluginAsync<McpRestRoutesOptions> = async (app, { hub, callers, rebinding, parseHeaders }) => {
  // LiteLLM answers this without a key; it says nothing about the servers.
  app.get('/mcp/enabled', async () => ({ enabled: true }));

  await app.register(async (guarded) => {
    guarded.addHook('onRequest', async (request) => {
      // These routes call tools just as /mcp does, so the same DNS-rebinding rule guards them.
      const violation = rebindingViolation(rebinding, request.headers);
      if (violation) throw new HostNotAllowedError(violation);
    });
    guarded.addHook('onRequest', resolveCallerHook(callers));

    const context = (request: FastifyRequest, reply: FastifyReply): McpRequestContext => {
      return { headers: parseHeaders(request.headers), signal: abortOnDisconnect(reply).signal };
    };

    const list = async (request: ListRequest, reply: FastifyReply) => {
      const scope = restScope(hub.registry, serverIdOf(request.query.server_id), request.headers, callerOf(request));
      return listRestTools(hub, scope, context(request, reply));
    };

    const call = async (request: FastifyRequest, reply: FastifyReply) => {
      const body = parseRestToolCall(request.body);
      const scope = restScope(hub.registry, body.serverId, request.headers, callerOf(request));
      return callRestTool(hub, scope, context(request, reply), body);
    };

    for (const prefix of ['/mcp-rest', '/mcp']) {
      guarded.get(`${prefix}/tools/list`, list);
      guarded.post(`${prefix}/tools/call`, call);
    }
  });
};
