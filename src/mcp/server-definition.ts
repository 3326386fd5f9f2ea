import type { OAuth2Flow } from './credentials/oauth2-flow.js';

/**
 * One upstream MCP server as the rest of the gateway sees it: built from `mcp_servers.<name>` at start-up
 * (and, from issue #6 on, from the admin API), validated once, then trusted.
 */

export type McpTransportKind = 'http' | 'sse' | 'stdio' | 'openapi';

export type UpstreamAuthType = 'none' | 'api_key' | 'bearer_token' | 'basic' | 'authorization' | 'token' | 'oauth2';

export interface UpstreamAuthConfig {
  type: UpstreamAuthType;
  /** The static credential (`auth_value` / `authentication_token`), already resolved from `os.environ/`. */
  value?: string;
  /** oauth2: the proxy's own client-credentials grant, or the user's interactive flow (credentials/oauth2-flow.ts). */
  flow?: OAuth2Flow;
  /** oauth2; optional for the interactive flow (then the MCP client registers with the upstream through the proxy). */
  clientId?: string;
  clientSecret?: string;
  /** oauth2: the token endpoint; for the interactive flow, discovered from the upstream when unset. */
  tokenUrl?: string;
  scopes?: string[];
  /** oauth2 interactive flow: the upstream's endpoints, discovered from the upstream when unset. */
  authorizationUrl?: string;
  registrationUrl?: string;
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

/** A REST API turned into tools in-process (`spec_path`); see docs/openapi.md. */
export interface OpenApiSettings {
  /** A file path (relative to the config file) or an http(s) URL. */
  specPath: string;
  /** Relative spec paths are resolved from here (the config file's folder, else the working directory). */
  baseDir: string;
  /** Only operations with one of these tags become tools. */
  allowedTags?: string[];
  /** Seconds between reloads of a URL spec; unset: loaded once. */
  refreshIntervalS?: number;
  /** Tool name (or operationId) → the name the tool is listed under. */
  displayNames: Record<string, string>;
  /** Tool name (or operationId) → the description it is listed with. */
  descriptions: Record<string, string>;
  /** How long one REST call may take. */
  requestTimeoutMs: number;
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
  /**
   * http, when config.yaml did not write a `transport`: Streamable HTTP first, and legacy SSE on the same URL when the
   * `initialize` POST is answered 400, 404 or 405 (the MCP spec's backwards-compatibility rule). LiteLLM's own
   * examples leave `transport` out for SSE servers (`url: …/sse`) and for Streamable HTTP ones alike.
   */
  sseFallback?: true;
  /** http / sse; for openapi, the REST API's base URL (overrides the spec's servers). */
  url?: string;
  /** openapi. */
  openapi?: OpenApiSettings;
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
  /** Every virtual key may use the server, whatever its grants (LiteLLM's `allow_all_keys`). */
  allowAllKeys?: boolean;
  /** false: only internal callers may use the server (LiteLLM's `available_on_public_internet`, default true). */
  availableOnPublicInternet?: boolean;
  /** Text returned as `instructions` in `initialize` instead of the upstream's own. */
  instructions?: string;
  info?: McpServerInfo;
  /** Set when a credential names an unset environment variable: calls fail naming it. */
  missingCredential?: string;
}
