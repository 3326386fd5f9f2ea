/**
 * Assembles the `/v1/mcp/server` back end at start-up: the encrypted repository over the store, the service
 * that keeps the live registry in step with it (here and, through ReplicaSync, on other replicas), and the
 * background health checks. Loads the stored servers before the proxy takes requests.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { LoadedConfig } from '../config/load-config.js';
import type { McpHub } from '../mcp/hub/hub.js';
import { createMcpServersRepository } from '../store/mcp-servers-repository.js';
import type { Store } from '../store/open-store.js';
import { SecretBox } from '../store/secret-box.js';
import { HealthMonitor } from './health-check.js';
import { nameKeyOf } from './mcp-server-definition.js';
import { McpServerService } from './mcp-server-service.js';
import type { ReplicaSync } from './replica-sync.js';

/** `general_settings.mcp_health_check_interval` when unset (LiteLLM's `health_check_interval` default). */
export const DEFAULT_HEALTH_CHECK_INTERVAL_S = 300;

export interface McpServerAdmin {
  service: McpServerService;
  health: HealthMonitor;
  close(): Promise<void>;
}

export interface McpServerAdminDeps {
  loaded: LoadedConfig;
  env: Readonly<Record<string, string | undefined>>;
  /** Any store; only its `db` and `dialect` are used. */
  store: Pick<Store, 'db' | 'dialect'>;
  hub: McpHub;
  sync: ReplicaSync;
  logger: FastifyBaseLogger;
}

export async function startMcpServerAdmin(deps: McpServerAdminDeps): Promise<McpServerAdmin> {
  const settings = deps.loaded.config.general_settings ?? {};
  const secrets = SecretBox.fromKeys(deps.env.LITELLM_SALT_KEY, settings.master_key);
  const repository = createMcpServersRepository(deps.store.db, deps.store.dialect, { secrets, nameKey: nameKeyOf });
  const service = new McpServerService({
    repository,
    registry: deps.hub.registry,
    announce: () => deps.sync.notify('mcp_servers'),
    logger: deps.logger,
  });
  await service.reload();
  const removeListener = deps.sync.on('mcp_servers', () => service.reload());
  const health = new HealthMonitor({
    hub: deps.hub,
    repository,
    intervalMs: (settings.mcp_health_check_interval ?? DEFAULT_HEALTH_CHECK_INTERVAL_S) * 1000,
    logger: deps.logger,
  });
  health.start();
  return {
    service,
    health,
    async close() {
      removeListener();
      await health.stop();
    },
  };
}
