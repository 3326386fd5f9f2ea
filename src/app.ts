/**
 * buildApp(config, deps) → a ready Fastify instance. Registers the route plugins and shared hooks;
 * holds no logic and no state of its own.
 */
import { newRequestId } from './http/request-id.js';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { healthRoutes } from './admin/health-routes.js';
import { keyRoutes } from './admin/key-routes.js';
import { organizationRoutes } from './admin/organization-routes.js';
import { teamRoutes } from './admin/team-routes.js';
import { KeyCache } from './auth/key-cache.js';
import { startMcpServerAdmin } from './admin/mcp-server-admin.js';
import { mcpServerRoutes } from './admin/mcp-server-routes.js';
import { syncKeyCache } from './admin/key-cache-sync.js';
import { ReplicaSync } from './admin/replica-sync.js';
import { CallerNetwork } from './auth/caller-network.js';
import { CallerResolver } from './auth/resolve-caller.js';
import { DEFAULT_MAX_REQUEST_SIZE_MB } from './config/defaults.js';
import type { LoadedConfig } from './config/load-config.js';
import { acceptEmptyJsonBodies } from './http/empty-json-body.js';
import { installErrorHandling } from './http/error-handler.js';
import { trackIdleSockets } from './http/idle-sockets.js';
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
import { mcpOAuthRoutes } from './mcp/oauth-routes.js';
import { mcpRestRoutes } from './mcp/rest-routes.js';
import { mcpRoutes } from './mcp/routes.js';
import { sseRoutes } from './mcp/sse-routes.js';
import { Hooks } from './hooks/hook-runner.js';
import { loadHooks } from './hooks/load-hooks.js';
import { postLlmCallSink } from './hooks/post-llm-call-sink.js';
import { ToolCallSpend } from './mcp/hub/tool-call-spend.js';
import { createBudgetGate } from './spend/budget-gate.js';
import { fanOut } from './spend/spend-fan-out.js';
import { spendRoutes } from './admin/spend-routes.js';
import { tokenCounterRoutes } from './admin/token-counter-routes.js';
import type { UsageCounter } from './llm/usage-estimate.js';
import { PriceBook, pricedDeployments } from './spend/price-book.js';
import { SpendMeter } from './spend/request-spend.js';
import { SpendLogWriter } from './spend/spend-log-writer.js';
import type { SpendSink } from './spend/spend-types.js';
import { TokenCounter } from './spend/token-counter.js';

export interface AppDeps {
  logger: FastifyBaseLogger;
  /** Environment variables the app may read (main passes process.env; tests pass their own). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides for the router (tests make retries deterministic). */
  router?: Partial<RouterOptions>;
  /** Overrides `general_settings.database_url` / `DATABASE_URL` (tests use `sqlite::memory:`). */
  databaseUrl?: string;
  /** One more SpendSink every priced request and tool call is handed to (tests observe spend records with it). */
  spendSink?: SpendSink;
}

export async function buildApp(loaded: LoadedConfig, deps: AppDeps): Promise<FastifyInstance> {
  const { config } = loaded;
  const table = buildDeploymentTable(loaded);
  // Checked before anything starts: a bad general_settings.mcp_internal_ip_ranges entry is a ConfigError.
  const network = CallerNetwork.fromConfig(loaded);
  const env = deps.env ?? {};
  // Issue #7: `callbacks:` hook modules (a module that fails to load fails start-up), budgets and rate limits
  // (counters in Redis when REDIS_URL is set), and the hub's tool-call pricing around both.
  const hooks = new Hooks(await loadHooks(loaded));
  const budgets = createBudgetGate(env.REDIS_URL, deps.logger);
  const toolCalls = new ToolCallSpend({ hooks, budgets });
  const mcp = buildMcp(loaded, env, deps.logger, toolCalls);
  const router = new Router(table, { ...routerOptionsFromConfig(config), ...deps.router });
  const bodyLimitMb = config.general_settings?.max_request_size_mb ?? DEFAULT_MAX_REQUEST_SIZE_MB;

  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new RequestLogController(),
    bodyLimit: Math.floor(bodyLimitMb * 1024 * 1024),
    genReqId: newRequestId,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  app.decorateRequest('modelName', null);
  app.decorateRequest('deploymentId', null);
  app.decorateRequest('caller', null);
  installErrorHandling(app);
  acceptEmptyJsonBodies(app);

  for (const warning of loaded.warnings) deps.logger.warn(warning);
  if (!config.general_settings?.master_key) {
    deps.logger.warn('no general_settings.master_key configured: the proxy accepts requests without an API key');
  }

  const store = await openStore<ResponseItemTypes>(
    {
      databaseUrl: deps.databaseUrl ?? config.general_settings?.database_url ?? env.DATABASE_URL,
      sqlitePath: defaultSqlitePath(loaded.source),
    },
    deps.logger,
  );
  // Replicas sharing the store hear each other's changes (REDIS_URL: pub/sub; always: polling the store).
  const replicaSync = new ReplicaSync({ db: store.db, redisUrl: env.REDIS_URL, logger: deps.logger });
  const mcpServerAdmin = await startMcpServerAdmin({ loaded, env, store, hub: mcp.hub, sync: replicaSync, logger: deps.logger });
  await replicaSync.start();
  // Virtual keys resolve through this cache: dropped on every key/team/organization write here, and when another
  // replica's write is heard.
  const keyCache = new KeyCache(store);
  const callers = new CallerResolver(config.general_settings?.master_key, keyCache, Date.now, network);
  const onKeysChanged = syncKeyCache(keyCache, replicaSync);
  // Spend (issue #7): tiktoken for usage upstreams do not report, prices fixed per deployment at start-up, spend-log
  // rows batched off the request path (or discarded with general_settings.disable_spend_logs).
  const tokens = new TokenCounter((name) => table.get(name)?.deployments[0]?.upstreamModel);
  const countUsage: UsageCounter = (request, answer) => tokens.usageOf(request, answer);
  const prices = new PriceBook(pricedDeployments(config.model_list, table.list()));
  if (prices.unpriced.length > 0) deps.logger.info({ deployments: prices.unpriced }, 'no price for these deployments: their requests cost 0 (set model_info.input_cost_per_token / output_cost_per_token)');
  const spendLogs = SpendLogWriter.fromSettings(config.general_settings, store.spendLogs, deps.logger);
  // LLM and MCP tool spend land in the spend logs and in one budget (issue #7).
  const flushSpend = async () => spendLogs?.flush();
  const spendSink: SpendSink = fanOut(spendLogs ?? undefined, budgets.sink, deps.spendSink);
  toolCalls.sendTo(spendSink);
  const spend = new SpendMeter(postLlmCallSink(spendSink, hooks, deps.logger), prices);
  // Open MCP streams (a session's GET stream, legacy SSE) end before the server stops listening, so their
  // connections are idle when Fastify closes idle connections; otherwise close waits for the clients to leave.
  const sockets = trackIdleSockets(app.server);
  app.addHook('preClose', async () => {
    await mcp.sessions.closeAll();
    sockets.destroyIdle();
  });
  app.addHook('onClose', async () => {
    await spendLogs?.close();
    tokens.close();
    await mcpServerAdmin.close();
    await replicaSync.close();
    await mcp.close();
    await budgets.close();
    await store.close();
  });

  await app.register(healthRoutes);
  await app.register(keyRoutes, {
    callers,
    keys: store.keys,
    onChange: onKeysChanged,
    budgets,
    flushSpend,
    ...(config.general_settings?.master_key ? { masterKey: config.general_settings.master_key } : {}),
  });
  await app.register(teamRoutes, { callers, teams: store.teams, keys: store.keys, onChange: onKeysChanged });
  await app.register(organizationRoutes, { callers, organizations: store.organizations, teams: store.teams, onChange: onKeysChanged, budgets, flushSpend });
  const mcpTools = {
    hub: mcp.hub,
    parseHeaders: mcp.parseHeaders,
    remote: (target: RemoteMcpTarget, signal: AbortSignal) => mcp.remote.open(target, signal),
    schemas: new ToolSchemas(),
    limits: loopLimitsFromConfig(config),
    countUsage,
  };
  await app.register(llmRoutes, { router, table, callers, mcpTools, spend, budgets });
  await app.register(responsesRoutes, { router, callers, mcpTools, store: store.responses, spend, budgets });
  await app.register(spendRoutes, { callers, spendLogs: store.spendLogs, flush: flushSpend });
  await app.register(tokenCounterRoutes, { callers, tokens });
  const rebinding = rebindingPolicy({
    masterKey: config.general_settings?.master_key,
    allowedHosts: config.general_settings?.mcp_allowed_hosts,
    allowedOrigins: config.general_settings?.mcp_allowed_origins,
  });
  const gateway = { hub: mcp.hub, sessions: mcp.sessions, callers, rebinding, parseHeaders: mcp.parseHeaders };
  await app.register(mcpRoutes, gateway);
  await app.register(sseRoutes, gateway);
  await app.register(mcpRestRoutes, gateway);
  await app.register(mcpOAuthRoutes, { registry: mcp.hub.registry, discovery: mcp.oauthDiscovery, network, rebinding });
  await app.register(mcpServerRoutes, {
    service: mcpServerAdmin.service,
    health: mcpServerAdmin.health,
    openapi: mcp.openapi,
    hub: mcp.hub,
    callers,
    parseHeaders: mcp.parseHeaders,
  });
  return app;
}
