/**
 * One upstream MCP server as the rest of the gateway sees it: built from `mcp_servers.<name>` at start-up
 * (and, from issue #6 on, from the admin API), validated once, then trusted.
 */

export type McpTransportKind = 'http' | 'sse' | 'stdio';

export type UpstreamAuthType = 'none' | 'api_key' | 'bearer_token' | 'basic' | 'authorization' | 'token' | 'oauth2';

export interface UpstreamAuthConfig {
  type: UpstreamAuthType;
  /** The static credential (`auth_value` / `authentication_token`), already resolved from `os.environ/`. */
  value?: string;
  /** oauth2 client-credentials grant. */
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  scopes?: string[];
}

export interface McpServerCostInfo {
  default_cost_per_query?: number;
  tool_name_to_cost_per_query?: Record<string, number>;
}

export interface McpServerInfo {
  server_name?: string;
  description?: string;
  logo_url?: string;
  mcp_server_cost_info?: McpServerCostInfo;
  [key: string]: unknown;
}

export interface McpServerDefinition {
  /** Stable id; for config servers, the config key. */
  id: string;
  /** The config key (`mcp_servers.<name>`). */
  name: string;
  alias?: string;
  /** What tool/prompt names are prefixed with: alias, else name (spaces written as `_`). */
  prefix: string;
  description?: string;
  transport: McpTransportKind;
  /** http / sse. */
  url?: string;
  /** stdio. */
  command?: string;
  args: string[];
  /** stdio environment; a value `${X-Header}` is filled from that request header (omitted when absent). */
  env: Record<string, string>;
  auth: UpstreamAuthConfig;
  /** Always sent upstream. */
  staticHeaders: Record<string, string>;
  /** Names of client request headers copied upstream. */
  extraHeaders: string[];
  allowedTools?: string[];
  disallowedTools?: string[];
  /** tool name → the only argument names it may receive. */
  allowedParams?: Record<string, string[]>;
  accessGroups: string[];
  /** Text returned as `instructions` in `initialize` instead of the upstream's own. */
  instructions?: string;
  info?: McpServerInfo;
  /** Set when a credential names an unset environment variable: calls fail naming it. */
  missingCredential?: string;
}
