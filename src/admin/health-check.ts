/**
 * Background MCP server health checks: every `general_settings.mcp_health_check_interval` seconds each server gets
 * a `ping` through the hub, on the pooled upstream session requests use (no `initialize` of its own; a server
 * nobody has used yet is connected once, and that session then serves requests too). Results are kept here and,
 * for stored servers, written to the store's `status`, `last_health_check`, `health_check_error`.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { McpClientHeaders } from '../auth/mcp-client-headers.js';
import { McpOAuthRequiredError } from '../http/errors.js';
import type { McpHub } from '../mcp/hub/hub.js';
import type { McpServerDefinition } from '../mcp/server-definition.js';
import type { McpServerHealth, McpServersRepository } from '../store/mcp-servers-record.js';

/** LiteLLM's `LITELLM_MCP_HEALTH_CHECK_TIMEOUT`. */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

/** A check carries no client headers: only the server's own configured credentials. */
const NO_CLIENT_HEADERS: McpClientHeaders = { perServer: new Map(), forwardable: {} };

export interface HealthMonitorOptions {
  hub: McpHub;
  repository: McpServersRepository;
  /** 0 turns the background checks off (on-demand checks still run). */
  intervalMs: number;
  timeoutMs?: number;
  logger: FastifyBaseLogger;
  now?: () => number;
}

export class HealthMonitor {
  private readonly results = new Map<string, McpServerHealth>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The first sweep runs one interval after start, so starting the proxy spawns no stdio server. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** This replica's latest result for the server, if it has checked it. */
  latest(serverId: string): McpServerHealth | undefined {
    return this.results.get(serverId);
  }

  /** Checks every server once (at most one sweep at a time). */
  sweep(): Promise<void> {
    const registry = this.options.hub.registry;
    for (const id of this.results.keys()) if (registry.get(id) === undefined) this.results.delete(id);
    this.sweeping ??= Promise.all(this.options.hub.registry.all().map((server) => this.check(server)))
      .then(() => undefined)
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  async check(server: McpServerDefinition): Promise<McpServerHealth> {
    const timeoutMs = this.options.timeoutMs ?? HEALTH_CHECK_TIMEOUT_MS;
    let health: McpServerHealth;
    try {
      await this.options.hub.ping(server, { headers: NO_CLIENT_HEADERS, signal: AbortSignal.timeout(timeoutMs) }, timeoutMs);
      health = { status: 'healthy', checkedAt: this.now(), error: null };
    } catch (error) {
      // An interactive-OAuth server only answers with a user's token, which a background check never has.
      const status = error instanceof McpOAuthRequiredError ? 'unknown' : 'unhealthy';
      health = { status, checkedAt: this.now(), error: error instanceof Error ? error.message : String(error) };
    }
    this.results.set(server.id, health);
    if (!this.options.hub.registry.isConfigServer(server.id)) {
      await this.options.repository
        .recordHealth(server.id, health)
        .catch((error: unknown) => this.options.logger.warn({ err: error, mcp_server: server.id }, 'recording MCP health failed'));
    }
    return health;
  }
}
