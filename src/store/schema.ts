/** The database as Kysely sees it: one interface per table, column names as in SQL. */
import type { JsonColumn, NullableJsonColumn } from './dialect.js';

/** Stored OpenAI Responses (`store: true`), for `previous_response_id`, GET, DELETE and input_items. */
export interface ResponsesTable {
  /** `resp_…` */
  id: string;
  /** Epoch milliseconds when the row was saved. */
  created_at: number;
  model: string;
  status: string;
  previous_response_id: string | null;
  /** `Response['instructions']`: not carried over to the next response, kept for GET. */
  instructions: NullableJsonColumn;
  /** `ResponseItem[]`: this request's input, with item ids. */
  input_items: JsonColumn;
  /** `ResponseOutputItem[]` */
  output_items: JsonColumn;
  /** The full `Response` object as returned to the client. */
  response: JsonColumn;
  /** The key (or user) that created it, for ownership checks; null when the proxy runs without keys. */
  owner_id: string | null;
  /** The request's `store` flag, 0 or 1. */
  store: number;
}

/** MCP servers created through `/v1/mcp/server` (issue #6); see migrations/0003-create-mcp-servers.ts. */
export interface McpServersTable {
  server_id: string;
  server_name: string;
  /** Lower-cased tool prefix (alias, else name); unique. */
  name_key: string;
  alias: string | null;
  description: string | null;
  url: string | null;
  transport: string;
  spec_version: string | null;
  auth_type: string | null;
  /** Sealed JSON `{credentials, env, static_headers}` (secret-box.ts), or null when all are empty. */
  secrets: string | null;
  mcp_access_groups: JsonColumn;
  command: string | null;
  args: JsonColumn;
  mcp_info: NullableJsonColumn;
  extra_headers: JsonColumn;
  allowed_tools: NullableJsonColumn;
  disallowed_tools: NullableJsonColumn;
  spec_path: string | null;
  /** Epoch milliseconds. */
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
  status: string;
  last_health_check: number | null;
  health_check_error: string | null;
  /** LiteLLM's `allow_all_keys`, 0 or 1 (migrations/0007). */
  allow_all_keys: number;
  /** LiteLLM's `available_on_public_internet`, 0 or 1 (migrations/0008). */
  available_on_public_internet: number;
  /** LiteLLM's top-level oauth2 fields, in clear (migrations/0011). */
  authorization_url: string | null;
  token_url: string | null;
  registration_url: string | null;
  oauth2_flow: string | null;
}

/** One version counter per topic, bumped by every write in the same transaction (change-feed.ts). */
export interface StoreChangesTable {
  topic: string;
  version: number;
}

/** Virtual keys (issue #6): `token` is the sha256 hex of the `sk-…` key; see migrations/0002-create-keys-teams-orgs.ts. */
export interface VirtualKeysTable {
  token: string;
  /** `sk-…abcd`: enough to recognise the key, never enough to use it. */
  key_name: string;
  key_alias: string | null;
  models: JsonColumn;
  max_budget: number | null;
  spend: number;
  /** Epoch milliseconds, or null for a key that never expires. */
  expires: number | null;
  metadata: JsonColumn;
  team_id: string | null;
  user_id: string | null;
  object_permission: NullableJsonColumn;
  blocked: number;
  created_at: number;
  updated_at: number;
  /** 0005: `"30d"`-style; null: the budget never resets. */
  budget_duration: string | null;
  /** 0005: requests / tokens per minute; null: unlimited. */
  rpm_limit: number | null;
  tpm_limit: number | null;
  /** 0009: epoch ms, the end of the budget period `spend` was counted in; null: `spend` is not per period. */
  budget_reset_at: number | null;
  /** 0010: requests in flight at once; null: unlimited. */
  max_parallel_requests: number | null;
}

export interface TeamsTable {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  models: JsonColumn;
  max_budget: number | null;
  spend: number;
  metadata: JsonColumn;
  object_permission: NullableJsonColumn;
  blocked: number;
  created_at: number;
  updated_at: number;
  /** 0005 */
  budget_duration: string | null;
  /** 0009: as on virtual_keys. */
  budget_reset_at: number | null;
  /** 0010: as on virtual_keys. */
  rpm_limit: number | null;
  tpm_limit: number | null;
  max_parallel_requests: number | null;
}

export interface OrganizationsTable {
  organization_id: string;
  organization_alias: string | null;
  models: JsonColumn;
  max_budget: number | null;
  spend: number;
  metadata: JsonColumn;
  object_permission: NullableJsonColumn;
  created_at: number;
  updated_at: number;
  /** 0005 */
  budget_duration: string | null;
  /** 0009: as on virtual_keys. */
  budget_reset_at: number | null;
}

/** Spend logs (issue #7): one row per LLM request and per MCP tool call; see migrations/0004-create-spend-logs.ts. */
export interface SpendLogsTable {
  request_id: string;
  /** `chat_completion` | `responses` | `call_mcp_tool`. */
  call_type: string;
  /** The key's sha256 hex; '' for the master key or an open proxy. */
  api_key: string;
  team_id: string | null;
  organization_id: string | null;
  /** The model as the client asked for it, or `MCP: <server>/<tool>`. */
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** USD. */
  spend: number;
  /** Epoch milliseconds. */
  start_time: number;
  end_time: number;
  /** `success` | `failure`. */
  status: string;
  /** A tool call's LLM request. */
  parent_request_id: string | null;
}

export interface StoreDatabase {
  responses: ResponsesTable;
  virtual_keys: VirtualKeysTable;
  teams: TeamsTable;
  organizations: OrganizationsTable;
  mcp_servers: McpServersTable;
  store_changes: StoreChangesTable;
  spend_logs: SpendLogsTable;
}
