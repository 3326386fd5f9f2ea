/**
 * LiteLLM's MCP management API under `/v1/mcp` (the Terraform provider's `litellm_mcp_server` resource talks to
 * it): server CRUD, health, access groups and the caller's tools. Any valid key may read; only proxy admins may
 * write (403 otherwise). Failures are OpenAI error objects, as on every `/v1/*` route (docs/admin-api.md).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { mayUseServer, mcpAccess } from '../auth/permissions.js';
import type { Caller, CallerResolver } from '../auth/resolve-caller.js';
import { AdminRequiredError, InvalidRequestError, McpServerNotAllowedError, McpServerNotFoundError } from '../http/errors.js';
import type { McpClientHeaderParser } from '../mcp/gateway/client-header-parser.js';
import type { McpHub } from '../mcp/hub/hub.js';
import { restScope, serverIdOf } from '../mcp/rest/rest-scope.js';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import type { OpenApiSpecs, OpenApiSpecStatus } from '../openapi/spec-registry.js';
import type { HealthMonitor } from './health-check.js';
import { actorOf, isProxyAdmin } from './mcp-server-admin-check.js';
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

type IdRequest = FastifyRequest<{ Params: { server_id: string } }>;
type HealthRequest = FastifyRequest<{ Querystring: { server_ids?: string | string[] } }>;
type ToolsRequest = FastifyRequest<{ Querystring: { server_id?: unknown } }>;

export const mcpServerRoutes: FastifyPluginAsync<McpServerRoutesOptions> = async (app, { service, health, openapi, hub, callers, parseHeaders }) => {
  const callerOf = async (request: FastifyRequest, reply: FastifyReply): Promise<Caller> => {
    try {
      return await callers.resolve(request.headers);
    } catch (error) {
      reply.header('www-authenticate', 'Bearer realm="gatehouse"');
      throw error;
    }
  };
  const adminOf = async (request: FastifyRequest, reply: FastifyReply): Promise<Caller> => {
    const caller = await callerOf(request, reply);
    if (!isProxyAdmin(caller)) {
      throw new AdminRequiredError(`${request.method} ${request.routeOptions.url ?? request.url} needs a proxy admin key (the master key).`);
    }
    return caller;
  };

  /** Config servers first (in config order), then stored ones (oldest first); a non-admin sees those it may use. */
  const views = async (caller: Caller): Promise<McpServerView[]> => {
    const registry = service.registry;
    const admin = isProxyAdmin(caller);
    const access = mcpAccess(caller, registry.all());
    const config = registry.all().filter((server) => registry.isConfigServer(server.id) && mayUseServer(access, server));
    const stored = (await service.list()).filter((server) => admin || mayUseServer(access, { id: server.server_id }));
    return [
      ...config.map((server) => configServerView(server, health.latest(server.id), admin)),
      ...stored.map((server) => storedServerView(server, health.latest(server.server_id), admin)),
    ];
  };

  app.get('/v1/mcp/server', async (request, reply) => {
    const caller = await callerOf(request, reply);
    return views(caller);
  });

  app.get('/v1/mcp/server/health', async (request: HealthRequest, reply) => {
    const caller = await callerOf(request, reply);
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
  app.post('/v1/mcp/server/:server_id/spec/refresh', async (request: IdRequest, reply) => {
    await adminOf(request, reply);
    const server = service.registry.get(request.params.server_id);
    if (!server) throw new McpServerNotFoundError(`No MCP server with server_id "${request.params.server_id}".`, { param: 'server_id' });
    if (server.transport !== 'openapi') {
      throw new InvalidRequestError(`MCP server "${server.name}" has no spec_path: only OpenAPI servers have a spec to refresh.`, { param: 'server_id' });
    }
    return { server_id: server.id, spec: specView(await openapi.reload(server.name)) };
  });

  app.get('/v1/mcp/server/:server_id', async (request: IdRequest, reply) => {
    const caller = await callerOf(request, reply);
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

  app.post('/v1/mcp/server', async (request, reply) => {
    const caller = await adminOf(request, reply);
    const created = await service.create(parseMcpServerInput(request.body), actorOf(caller));
    return reply.code(201).send(storedServerView(created, undefined, true));
  });

  const update = async (request: FastifyRequest<{ Params: { server_id?: string } }>, reply: FastifyReply) => {
    const caller = await adminOf(request, reply);
    const input = parseMcpServerInput(request.body);
    const pathId = request.params.server_id;
    if (pathId !== undefined) {
      if (input.server_id !== undefined && input.server_id !== pathId) {
        throw new InvalidRequestError(`server_id in the body ("${input.server_id}") differs from the path ("${pathId}").`, { param: 'server_id' });
      }
      input.server_id = pathId;
    }
    const updated = await service.update(input, actorOf(caller));
    return reply.code(202).send(storedServerView(updated, health.latest(updated.server_id), true));
  };
  // LiteLLM takes the id in the body; the path form is accepted too.
  app.put('/v1/mcp/server', update);
  app.put('/v1/mcp/server/:server_id', update);

  app.delete('/v1/mcp/server/:server_id', async (request: IdRequest, reply) => {
    await adminOf(request, reply);
    await service.delete(request.params.server_id);
    return reply.code(202).send();
  });

  app.get('/v1/mcp/access_groups', async (request, reply) => {
    await callerOf(request, reply);
    return { access_groups: service.registry.accessGroups() };
  });

  app.get('/v1/mcp/tools', async (request: ToolsRequest, reply) => {
    const caller = await callerOf(request, reply);
    const scope = restScope(hub.registry, serverIdOf(request.query.server_id), request.headers, caller);
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
