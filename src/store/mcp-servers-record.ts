/**
 * An MCP server as `/v1/mcp/server` stores it (LiteLLM's `LiteLLM_MCPServerTable` field names, which the
 * Terraform resource uses), and the repository's contract. Timestamps are epoch milliseconds here; the
 * admin routes render them.
 */

export type McpServerHealthStatus = 'healthy' | 'unhealthy' | 'unknown';

export interface StoredMcpCostInfo {
  default_cost_per_query?: number;
  tool_name_to_cost_per_query?: Record<string, number>;
}

export interface StoredMcpInfo {
  server_name?: string;
  description?: string;
  logo_url?: string;
  mcp_server_cost_info?: StoredMcpCostInfo;
  [key: string]: unknown;
}

/** `auth_value` plus the oauth2 client fields (LiteLLM's `MCPCredentials`). Never returned by a GET. */
export interface StoredMcpCredentials {
  auth_value?: string;
  client_id?: string;
  client_secret?: string;
  scopes?: string[];
}

export interface StoredMcpServer {
  server_id: string;
  server_name: string;
  alias: string | null;
  description: string | null;
  url: string | null;
  /** `http`, `sse` or `stdio`; an OpenAPI server is `http` with `spec_path` (as in LiteLLM). */
  transport: string;
  spec_version: string | null;
  auth_type: string | null;
  /** Sealed at rest. */
  credentials: StoredMcpCredentials | null;
  mcp_access_groups: string[];
  command: string | null;
  args: string[];
  /** Sealed at rest: stdio env values often carry tokens. */
  env: Record<string, string>;
  mcp_info: StoredMcpInfo | null;
  /** Sealed at rest: static headers often carry API keys. */
  static_headers: Record<string, string>;
  extra_headers: string[];
  allowed_tools: string[] | null;
  disallowed_tools: string[] | null;
  spec_path: string | null;
  /** Every virtual key may use the server, whatever its grants. */
  allow_all_keys: boolean;
  /** false: only internal callers may use the server. */
  available_on_public_internet: boolean;
  /** oauth2 (LiteLLM's top-level fields, in clear): the upstream's endpoints, and the grant as written. */
  authorization_url: string | null;
  /** The one place a stored server's token endpoint lives (an older row's sealed `credentials.token_url` reads as it). */
  token_url: string | null;
  registration_url: string | null;
  /** `client_credentials` or `authorization_code`; null: decided from the credentials (credentials/oauth2-flow.ts). */
  oauth2_flow: string | null;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
  status: McpServerHealthStatus;
  last_health_check: number | null;
  health_check_error: string | null;
  /**
   * Set on read when the sealed fields cannot be opened (the salt/master key changed): they read as empty and
   * the server is not served until it is updated with its credentials again.
   */
  secrets_error?: string;
}

export interface McpServerHealth {
  status: McpServerHealthStatus;
  checkedAt: number;
  error: string | null;
}

export interface McpServersRepository {
  /** Every stored server, oldest first. */
  list(): Promise<StoredMcpServer[]>;
  get(serverId: string): Promise<StoredMcpServer | null>;
  /** Inserts; `McpServerExistsError` when the id or the name/alias is taken (also by a concurrent writer). */
  create(server: StoredMcpServer): Promise<void>;
  /**
   * Reads the row, locked for the transaction, and writes what `change` returns (or nothing when it returns
   * null). Null when there is no such server.
   */
  update(serverId: string, change: (current: StoredMcpServer) => StoredMcpServer | null): Promise<StoredMcpServer | null>;
  /** Returns whether the server existed. */
  delete(serverId: string): Promise<boolean>;
  /** Health fields only; not a configuration change, so replicas are not told to reload. */
  recordHealth(serverId: string, health: McpServerHealth): Promise<void>;
}
