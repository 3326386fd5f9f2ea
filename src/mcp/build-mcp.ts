/** Assembles the MCP gateway's long-lived parts from config, and closes them in order at shutdown. */
import type { FastifyBaseLogger } from 'fastify';
import { Agent } from 'undici';
import { ConfigError } from '../config/config-error.js';
import type { LoadedConfig } from '../config/load-config.js';
import { MCP_MAX_MESSAGE_BYTES, MCP_CALL_TIMEOUT_S, MCP_CATALOG_TTL_MS, MCP_LIST_TIMEOUT_MS, MCP_SESSION_IDLE_MS, MCP_UPSTREAM_IDLE_MS } from '../config/defaults.js';
import { OAuth2TokenCache } from './credentials/oauth2-token-cache.js';
import { createClientHeaderParser, type McpClientHeaderParser } from './gateway/client-header-parser.js';
import { SessionStore } from './gateway/session-store.js';
import { UpstreamOAuthDiscovery } from './oauth/upstream-oauth-discovery.js';
import { EgressPolicy } from './remote/egress-policy.js';
import { RemoteMcpSources } from './remote/remote-mcp-source.js';
import { OpenApiSpecs } from '../openapi/spec-registry.js';
import { McpHub } from './hub/hub.js';
import type { ToolCallSpend } from './hub/tool-call-spend.js';
import { UpstreamPool } from './hub/upstream-pool.js';
import { buildServerRegistry } from './server-registry.js';
import { ChildProcessRegistry } from './upstream/child-process-registry.js';

export interface Mcp {
  hub: McpHub;
  sessions: SessionStore;
  parseHeaders: McpClientHeaderParser;
  /** Remote MCP servers of `type: "mcp"` tools (any server_url but `litellm_proxy…`), behind the egress policy. */
  remote: RemoteMcpSources;
  /** OpenAPI servers' specs: per-server status (`status`/`statuses`) and `reload(name)` for the admin API. */
  openapi: OpenApiSpecs;
  /** Interactive-OAuth servers' upstream authorization servers, discovered once per server (oauth-routes.ts). */
  oauthDiscovery: UpstreamOAuthDiscovery;
  close(): Promise<void>;
}

/** `calls`: budgets, hooks and pricing around every tool call (issue #7); absent, tool calls are not priced. */
export function buildMcp(loaded: LoadedConfig, env: Readonly<Record<string, string | undefined>>, logger: FastifyBaseLogger, calls?: ToolCallSpend): Mcp {
  const { registry, problems } = buildServerRegistry(loaded, env);
  if (problems.length > 0) throw new ConfigError(problems, loaded.source);
  const settings = loaded.config.general_settings ?? {};
  const children = new ChildProcessRegistry();
  // One keep-alive pool per upstream origin, shared by every pooled session to it.
  const dispatcher = new Agent();
  const removeExitHook = children.installExitHook();
  const tokens = new OAuth2TokenCache();
  const sessions = new SessionStore(MCP_SESSION_IDLE_MS);
  const openapi = new OpenApiSpecs(registry, { logger });
  openapi.start();
  const pool = new UpstreamPool({
    tokens,
    events: sessions,
    catalogTtlMs: MCP_CATALOG_TTL_MS,
    idleMs: MCP_UPSTREAM_IDLE_MS,
    transports: {
      children,
      dispatcher,
      maxMessageBytes: MCP_MAX_MESSAGE_BYTES,
      onStderr: (server, line) => logger.debug({ mcp_server: server.name, stderr: line }, 'mcp upstream stderr'),
      openapi,
    },
  });
  const hub = new McpHub(registry, pool, tokens, {
    callMs: (settings.mcp_call_timeout ?? MCP_CALL_TIMEOUT_S) * 1000,
    listMs: MCP_LIST_TIMEOUT_MS,
  }, calls);
  const remote = new RemoteMcpSources({ egress: EgressPolicy.fromConfig(loaded) });
  const headerName = settings.mcp_client_side_auth_header_name ?? env.LITELLM_MCP_CLIENT_SIDE_AUTH_HEADER_NAME ?? 'x-mcp-auth';
  // `x-mcp-{server}-*` headers name servers, so the parser is rebuilt whenever the set of servers changes.
  let parser = createClientHeaderParser(registry, headerName);
  const removeRegistryListener = registry.onChange((change) => {
    parser = createClientHeaderParser(registry, headerName);
    for (const server of [...change.changed, ...change.removed]) {
      const next = registry.get(server.id);
      tokens.invalidate(server.id);
      sessions.serverChanged(server.id, next);
      void pool.dropServer(server.id).catch((error: unknown) => logger.warn({ err: error, mcp_server: server.name }, 'closing upstream sessions failed'));
    }
  });
  return {
    hub,
    sessions,
    parseHeaders: (headers) => parser(headers),
    remote,
    openapi,
    oauthDiscovery: new UpstreamOAuthDiscovery(),
    async close() {
      removeRegistryListener();
      await sessions.closeAll();
      await pool.closeAll();
      await openapi.close();
      await remote.closeAll();
      await children.killAll();
      await dispatcher.close();
      removeExitHook();
    },
  };
}
