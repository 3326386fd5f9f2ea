/**
 * LiteLLM's MCP management API under `/v1/mcp` (the Terraform provider's `litellm_mcp_server` resource talks to
 * it): server CRUD, health, access groups and the caller's tools. Any valid key may read; only proxy admins may
 * write (403 otherwise, auth/proxy-admin.ts). Failures are OpenAI error objects, as on every `/v1/*` route
 * (docs/admin-api.md).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { mayUseServer, mcpAccess } from '../auth/permissions.js';
import { actorOf, isProxyAdmin, requireProxyAdmin } from '../auth/proxy-admin.js';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { Caller, CallerResolver } from '../auth/resolve-caller.js';
import { InvalidRequestError, McpServerNotAllowedError, McpServerNotFoundError } from '../http/errors.js';
import type { McpClientHeaderParser } from '../mcp/gateway/client-header-parser.js';
import type { McpHub } from '../mcp/hub/hub.js';
import { restScope, serverIdOf } from '../mcp/rest/rest-scope.js';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import type { OpenApiSpecs, OpenApiSpecStatus } from '../openapi/spec-registry.js';
import type { HealthMonitor } from './health-check.js';
import { parseMcpServerInput } from './mcp-server-input.js';
import type { McpServerService } from './mcp-server-service.js';
import { configServerView, storedServerView, type McpServerView } from './mcp-server-view.js';

export interface McpServerRoutesOptions {
  service: McpServerService;
  health: HealthMonitor;
  /** OpenAPI servers' spec status (health) and reload (spec/refresh). */
  openapi: OpenApiSpecs;
  hub: McpHub;
  callers: CallerResolver;
  parseHeaders: McpClientHeaderParser;
}

type IdRoute = { Params: { server_id: string } };
type IdRequest = FastifyRequest<IdRoute>;
type UpdateRoute = { Params: { server_id?: string } };
type HealthRequest = FastifyRequest<{ Querystring: { server_ids?: string | string[] } }>;
type ToolsRequest = FastifyRequest<{ Querystring: { server_id?: unknown } }>;

export const mcpServerRoutes: FastifyPluginAsync<McpServerRoutesOptions> = async (app, { service, health, openapi, hub, callers, parseHeaders }) => {
  app.addHook('onRequest', resolveCallerHook(callers));
  // Writes: the same admin check as the key, team and organization routes, on top of the group's caller.
  const adminOnly = { onRequest: requireProxyAdmin };

  /** Config servers first (in config order), then stored ones (oldest first); a non-admin sees those it may use. */
  const views = async (caller: Caller): Promise<McpServerView[]> => {
    const registry = service.registry;
    const admin = isProxyAdmin(caller);
    const access = mcpAccess(caller, registry.all());
    const config = registry.all().filter((server) => registry.isConfigServer(server.id) && mayUseServer(access, server));
    // Admins also see stored servers that are not served (sealed fields unreadable), but not internal-only ones
    // from outside the network.
    const stored = (await service.list()).filter((server) =>
      admin ? caller.external !== true || server.available_on_public_internet : mayUseServer(access, { id: server.server_id }),
    );
    return [
      ...config.map((server) => configServerView(server, health.latest(server.id), admin)),
      ...stored.map((server) => storedServerView(server, health.latest(server.server_id), admin)),
    ];
  };

  app.get('/v1/mcp/server', async (request) => views(callerOf(request)));

  app.get('/v1/mcp/server/health', async (request: HealthRequest) => {
    const caller = callerOf(request);
    const wanted = idsOf(request.query.server_ids);
    // A key sees (and may make the proxy check) only the servers it may use, as on the list route.
    const access = mcpAccess(caller, service.registry.all());
    const servers = service.registry.all().filter((server) => (wanted === null || wanted.has(server.id)) && mayUseServer(access, server));
    return Promise.all(
      servers.map(async (server) => {
        const checked = (health.latest(server.id) ?? (await health.check(server))).status;
        // An OpenAPI server answers pings in process even when its spec is broken: the spec decides its health.
        const spec = server.transport === 'openapi' ? openapi.status(server.name) : undefined;
        return {
          server_id: server.id,
          status: spec?.state === 'error' ? 'unhealthy' : checked,
          ...(spec ? { spec: specView(spec) } : {}),
        };
      }),
    );
  });

  // Loads an OpenAPI server's spec again now (as spec_refresh_interval does on its timer).
  app.post<IdRoute>('/v1/mcp/server/:server_id/spec/refresh', adminOnly, async (request: IdRequest) => {
    const server = service.registry.get(request.params.server_id);
    if (!server) throw new McpServerNotFoundError(`No MCP server with server_id "${request.params.server_id}".`, { param: 'server_id' });
    if (server.transport !== 'openapi') {
      throw new InvalidRequestError(`MCP server "${server.name}" has no spec_path: only OpenAPI servers have a spec to refresh.`, { param: 'server_id' });
    }
    return { server_id: server.id, spec: specView(await openapi.reload(server.name)) };
  });

  app.get('/v1/mcp/server/:server_id', async (request: IdRequest) => {
    const caller = callerOf(request);
    const admin = isProxyAdmin(caller);
    const id = request.params.server_id;
    if (!admin && !mayUseServer(mcpAccess(caller, service.registry.all()), { id })) {
      throw new McpServerNotAllowedError(`This API key is not allowed to use MCP server "${id}".`, { param: 'server_id' });
    }
    const config = service.registry.isConfigServer(id) ? service.registry.get(id) : undefined;
    if (config) return configServerView(config, health.latest(id), admin);
    const stored = await service.get(id);
    if (stored === null) throw new McpServerNotFoundError(`No MCP server with server_id "${id}".`, { param: 'server_id' });
    return storedServerView(stored, health.latest(id), admin);
  });

  app.post('/v1/mcp/server', adminOnly, async (request, reply) => {
    const created = await service.create(parseMcpServerInput(request.body), actorOf(callerOf(request)));
    return reply.code(201).send(storedServerView(created, undefined, true));
  });

  const update = async (request: FastifyRequest<UpdateRoute>, reply: FastifyReply) => {
    const input = parseMcpServerInput(request.body);
    const pathId = request.params.server_id;
    if (pathId !== undefined) {
      if (input.server_id !== undefined && input.server_id !== pathId) {
        throw new InvalidRequestError(`server_id in the body ("${input.server_id}") differs from the path ("${pathId}").`, { param: 'server_id' });
      }
      input.server_id = pathId;
    }
    const updated = await service.update(input, actorOf(callerOf(request)));
    return reply.code(202).send(storedServerView(updated, health.latest(updated.server_id), true));
  };
  // LiteLLM takes the id in the body; the path form is accepted too.
  app.put<UpdateRoute>('/v1/mcp/server', adminOnly, update);
  app.put<UpdateRoute>('/v1/mcp/server/:server_id', adminOnly, update);

  app.delete<IdRoute>('/v1/mcp/server/:server_id', adminOnly, async (request: IdRequest, reply) => {
    await service.delete(request.params.server_id);
    return reply.code(202).send();
  });

  app.get('/v1/mcp/access_groups', async () => ({ access_groups: service.registry.accessGroups() }));

  app.get('/v1/mcp/tools', async (request: ToolsRequest, reply) => {
    const scope = restScope(hub.registry, serverIdOf(request.query.server_id), request.headers, callerOf(request));
    const { items, failures } = await hub.listTools(scope, { headers: parseHeaders(request.headers), signal: abortOnDisconnect(reply).signal });
    return failures.length > 0 ? { tools: items, failures } : { tools: items };
  });
};

/** `?server_ids=a&server_ids=b` (LiteLLM) or `?server_ids=a,b`; null when absent. */
function idsOf(value: string | string[] | undefined): Set<string> | null {
  if (value === undefined) return null;
  const list = (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).map((item) => item.trim());
  return new Set(list.filter((item) => item !== ''));
}

/** A spec status as the admin API shows it (snake_case, as every field of these routes). */
function specView(status: OpenApiSpecStatus): Record<string, unknown> {
  return {
    state: status.state,
    error: status.error ?? null,
    loaded_at: status.loadedAt ?? null,
    tool_count: status.toolCount,
  };
}
