/**
 * buildApp(config, deps) → a ready Fastify instance. Registers the route plugins and shared hooks;
 * holds no logic and no state of its own.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { healthRoutes } from './admin/health-routes.js';
import { CallerResolver } from './auth/resolve-caller.js';
import { DEFAULT_MAX_REQUEST_SIZE_MB } from './config/defaults.js';
import type { LoadedConfig } from './config/load-config.js';
import { installErrorHandling } from './http/error-handler.js';
import { RequestLogController } from './http/request-log.js';
import { buildDeploymentTable } from './llm/deployments.js';
import { Router, routerOptionsFromConfig, type RouterOptions } from './llm/router.js';
import type { ResponseItemTypes } from './llm/responses/response-store.js';
import { responsesRoutes } from './llm/responses-routes.js';
import { llmRoutes } from './llm/routes.js';
import { loopLimitsFromConfig } from './llm/tool-loop/loop-limits.js';
import type { RemoteMcpTarget } from './llm/tool-loop/loop-types.js';
import { ToolSchemas } from './llm/tool-loop/tool-schemas.js';
import { buildMcp } from './mcp/build-mcp.js';
import { defaultSqlitePath, openStore } from './store/index.js';
import { rebindingPolicy } from './mcp/gateway/dns-rebinding.js';
import { mcpRestRoutes } from './mcp/rest-routes.js';
import { mcpRoutes } from './mcp/routes.js';
import { sseRoutes } from './mcp/sse-routes.js';

export interface AppDeps {
  logger: FastifyBaseLogger;
  /** Environment variables the app may read (main passes process.env; tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides for the router (tests make retries deterministic). */
  router?: Partial<RouterOptions>;
  /** Overrides `general_settings.database_url` / `DATABASE_URL` (tests use `sqlite::memory:`). */
  databaseUrl?: string;
}

export async function buildApp(loaded: LoadedConfig, deps: AppDeps): Promise<FastifyInstance> {
  const { config } = loaded;
  const table = buildDeploymentTable(loaded);
  const env = deps.env ?? {};
  const mcp = buildMcp(loaded, env, deps.logger);
  const router = new Router(table, { ...routerOptionsFromConfig(config), ...deps.router });
  const callers = new CallerResolver(config.general_settings?.master_key);
  const bodyLimitMb = config.general_settings?.max_request_size_mb ?? DEFAULT_MAX_REQUEST_SIZE_MB;

  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new RequestLogController(),
    bodyLimit: Math.floor(bodyLimitMb * 1024 * 1024),
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  app.decorateRequest('modelName', null);
  app.decorateRequest('deploymentId', null);
  installErrorHandling(app);

  for (const warning of loaded.warnings) deps.logger.warn(warning);
  if (callers.open) {
    deps.logger.warn('no general_settings.master_key configured: the proxy accepts requests without an API key');
  }

  const store = await openStore<ResponseItemTypes>(
    {
      databaseUrl: deps.databaseUrl ?? config.general_settings?.database_url ?? env.DATABASE_URL,
      sqlitePath: defaultSqlitePath(loaded.source),
    },
    deps.logger,
  );
  app.addHook('onClose', async () => {
    await mcp.close();
    await store.close();
  });

  await app.register(healthRoutes);
  const mcpTools = {
    hub: mcp.hub,
    parseHeaders: mcp.parseHeaders,
    remote: (target: RemoteMcpTarget, signal: AbortSignal) => mcp.remote.open(target, signal),
    schemas: new ToolSchemas(),
    limits: loopLimitsFromConfig(config),
  };
  await app.register(llmRoutes, { router, table, callers, mcpTools });
  await app.register(responsesRoutes, { router, callers, mcpTools, store: store.responses });
  const rebinding = rebindingPolicy({
    masterKey: config.general_settings?.master_key,
    allowedHosts: config.general_settings?.mcp_allowed_hosts,
    allowedOrigins: config.general_settings?.mcp_allowed_origins,
  });
  const gateway = { hub: mcp.hub, sessions: mcp.sessions, callers, rebinding, parseHeaders: mcp.parseHeaders };
  await app.register(mcpRoutes, gateway);
  await app.register(sseRoutes, gateway);
  await app.register(mcpRestRoutes, gateway);
  return app;
}
