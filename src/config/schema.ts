/**
 * The one JSON Schema for config.yaml (LiteLLM-compatible keys) and the `Config` type it checks.
 * Every object is closed (`additionalProperties: false`) so that unknown keys can be reported; the loader
 * turns those findings into one warning and every other finding into a start-up error.
 */
import type { JSONSchemaType } from 'ajv';
import { MCP_AUTH_TYPES, MCP_TRANSPORTS, type McpAuthTypeName, type McpTransportName } from '../mcp/mcp-server-rules.js';
import { OAUTH2_FLOWS, type OAuth2Flow } from '../mcp/credentials/oauth2-flow.js';

export interface LitellmParams {
  model: string;
  api_key?: string;
  api_base?: string;
  api_version?: string;
  /** Seconds. */
  timeout?: number;
  stream_timeout?: number;
  max_retries?: number;
  mock_response?: string;
  organization?: string;
  extra_headers?: Record<string, string>;
  rpm?: number;
  tpm?: number;
  weight?: number;
  /** Serve /v1/responses through the chat-completions bridge even where it would be native (LiteLLM's key). */
  use_chat_completions_api?: boolean;
  /** Prices as LiteLLM's custom-pricing docs place them (USD per token); `model_info`'s win (spend/price-book.ts). */
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
}

export interface ModelInfo {
  id?: string;
  mode?: string;
  max_tokens?: number;
  max_input_tokens?: number;
  max_output_tokens?: number;
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_read_input_token_cost?: number;
  base_model?: string;
  description?: string;
  /** Endpoints the upstream serves; `/v1/responses` here makes an OpenAI-compatible deployment's Responses native. */
  supported_endpoints?: string[];
}

export interface ModelEntry {
  model_name: string;
  litellm_params: LitellmParams;
  model_info?: ModelInfo;
}

/** `[{"gpt-4": ["gpt-3.5-turbo"]}]`: each entry maps one model name to the names to try after it. */
export type FallbackList = Record<string, string[]>[];

export interface GeneralSettings {
  master_key?: string;
  max_request_size_mb?: number;
  database_url?: string;
  /** Separator between server prefix and tool name (LiteLLM: env MCP_TOOL_PREFIX_SEPARATOR). */
  mcp_tool_prefix_separator?: string;
  /** Legacy client-side credential header (default `x-mcp-auth`). */
  mcp_client_side_auth_header_name?: string;
  /** Extra `Host` values accepted on MCP endpoints (loopback and the bound address are always accepted). */
  mcp_allowed_hosts?: string[];
  /** `Origin` values accepted on MCP endpoints (requests without Origin are always accepted). */
  mcp_allowed_origins?: string[];
  /** Seconds an upstream MCP call may take (default 60). */
  mcp_call_timeout?: number;
  /**
   * Internal destinations remote MCP `server_url`s (`type: "mcp"` tools) may reach anyway: `host:port`, `host`
   * (any port) or a CIDR. Parsed by mcp/remote/egress-allowlist.ts.
   */
  mcp_egress_allowlist?: string[];
  /** CIDRs of internal callers, who alone may use `available_on_public_internet: false` servers (auth/caller-network.ts). */
  mcp_internal_ip_ranges?: string[];
  /** Read the caller's address from the first `X-Forwarded-For` entry (behind a reverse proxy only). */
  use_x_forwarded_for?: boolean;
  /** `type: "mcp"` tools in /v1/chat/completions and /v1/responses: rounds of tool calls per request (default 10). */
  mcp_max_tool_rounds?: number;
  /** Seconds between background MCP server health checks (`ping` on the pooled session); 0 turns them off (default 300). */
  mcp_health_check_interval?: number;
  /** Turns spend-log rows off (LiteLLM's key); costs are still computed and returned (docs/spend.md). */
  disable_spend_logs?: boolean;
  /** Seconds between spend-log batch writes (LiteLLM's key; default 1). */
  proxy_batch_write_at?: number;
}

/**
 * One `mcp_servers.<name>` entry. The schema checks only each key's type; the rules a server must pass (the same
 * for the admin API) are mcp/mcp-server-rules.ts. A null value, and an empty `alias` or `url`, read as unset.
 */
export interface McpServerEntry {
  url?: string;
  transport?: McpTransportName;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  alias?: string;
  description?: string;
  auth_type?: McpAuthTypeName;
  auth_value?: string;
  authentication_token?: string;
  client_id?: string;
  client_secret?: string;
  token_url?: string;
  scopes?: string[];
  /** auth_type oauth2: `client_credentials` or `authorization_code` (unset: decided as LiteLLM does, docs/mcp.md). */
  oauth2_flow?: OAuth2Flow;
  /** auth_type oauth2, interactive flow: the upstream's endpoints (unset: discovered from the upstream). */
  authorization_url?: string;
  registration_url?: string;
  static_headers?: Record<string, string>;
  extra_headers?: string[];
  allowed_tools?: string[];
  disallowed_tools?: string[];
  allowed_params?: Record<string, string[]>;
  access_groups?: string[];
  /** Every virtual key may use this server, whatever its grants (LiteLLM's `allow_all_keys`). */
  allow_all_keys?: boolean;
  /** false: only internal callers (general_settings.mcp_internal_ip_ranges) may use this server (LiteLLM's key). */
  available_on_public_internet?: boolean;
  instructions?: string;
  mcp_info?: Record<string, unknown>;
  /** OpenAPI/Swagger spec (file path or http(s) URL): the server's tools are the spec's operations (docs/openapi.md). */
  spec_path?: string;
  /** OpenAPI servers: only operations with one of these tags become tools. */
  allowed_tags?: string[];
  /** OpenAPI servers: seconds between reloads of a URL spec. */
  spec_refresh_interval?: number;
  /** Tool name → the name it is listed under (OpenAPI servers). */
  tool_name_to_display_name?: Record<string, string>;
  /** Tool name → the description it is listed with (OpenAPI servers). */
  tool_name_to_description?: Record<string, string>;
  /** OpenAPI servers: seconds one REST call may take (default 30). */
  request_timeout?: number;
}

export interface LitellmSettings {
  num_retries?: number;
  request_timeout?: number;
  fallbacks?: FallbackList;
  default_fallbacks?: string[];
  drop_params?: boolean;
  set_verbose?: boolean;
  json_logs?: boolean;
  /** Hook modules (paths relative to the config file), as `callbacks` (docs/budgets.md#hooks). */
  callbacks?: string[];
}

export interface RouterSettings {
  routing_strategy?: 'simple-shuffle';
  num_retries?: number;
  /** Seconds to wait at least between retries. */
  retry_after?: number;
  timeout?: number;
  fallbacks?: FallbackList;
  default_fallbacks?: string[];
}

export interface Config {
  model_list: ModelEntry[];
  general_settings?: GeneralSettings;
  litellm_settings?: LitellmSettings;
  router_settings?: RouterSettings;
  mcp_servers?: Record<string, McpServerEntry>;
  environment_variables?: Record<string, string>;
  /** Hook modules (paths relative to the config file): preMcpToolCall, postMcpToolCall, postLlmCall (docs/budgets.md#hooks). */
  callbacks?: string[];
}

const stringMap = {
  type: 'object',
  required: [],
  additionalProperties: { type: 'string' },
  nullable: true,
} as const;

const stringList = { type: 'array', nullable: true, items: { type: 'string' } } as const;

const fallbackList: JSONSchemaType<FallbackList> = {
  type: 'array',
  items: {
    type: 'object',
    required: [],
    additionalProperties: { type: 'array', items: { type: 'string' } },
  },
};

export const CONFIG_SCHEMA: JSONSchemaType<Config> = {
  type: 'object',
  additionalProperties: false,
  required: ['model_list'],
  properties: {
    model_list: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['model_name', 'litellm_params'],
        properties: {
          model_name: { type: 'string', minLength: 1 },
          litellm_params: {
            type: 'object',
            additionalProperties: false,
            required: ['model'],
            properties: {
              model: {
                type: 'string',
                pattern: '^[A-Za-z0-9_.-]+/.+$',
              },
              api_key: { type: 'string', nullable: true },
              api_base: { type: 'string', nullable: true, pattern: '^https?://' },
              api_version: { type: 'string', nullable: true },
              timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
              stream_timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
              max_retries: { type: 'integer', nullable: true, minimum: 0 },
              mock_response: { type: 'string', nullable: true },
              organization: { type: 'string', nullable: true },
              extra_headers: stringMap,
              rpm: { type: 'integer', nullable: true, minimum: 0 },
              tpm: { type: 'integer', nullable: true, minimum: 0 },
              weight: { type: 'number', nullable: true, exclusiveMinimum: 0 },
              use_chat_completions_api: { type: 'boolean', nullable: true },
              input_cost_per_token: { type: 'number', nullable: true, minimum: 0 },
              output_cost_per_token: { type: 'number', nullable: true, minimum: 0 },
              cache_read_input_token_cost: { type: 'number', nullable: true, minimum: 0 },
            },
          },
          model_info: {
            type: 'object',
            nullable: true,
            additionalProperties: false,
            required: [],
            properties: {
              id: { type: 'string', nullable: true },
              mode: { type: 'string', nullable: true },
              max_tokens: { type: 'integer', nullable: true, minimum: 1 },
              max_input_tokens: { type: 'integer', nullable: true, minimum: 1 },
              max_output_tokens: { type: 'integer', nullable: true, minimum: 1 },
              input_cost_per_token: { type: 'number', nullable: true, minimum: 0 },
              output_cost_per_token: { type: 'number', nullable: true, minimum: 0 },
              cache_read_input_token_cost: { type: 'number', nullable: true, minimum: 0 },
              base_model: { type: 'string', nullable: true },
              description: { type: 'string', nullable: true },
              supported_endpoints: { type: 'array', nullable: true, items: { type: 'string' } },
            },
          },
        },
      },
    },
    general_settings: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        master_key: { type: 'string', nullable: true, minLength: 1 },
        max_request_size_mb: { type: 'number', nullable: true, exclusiveMinimum: 0 },
        database_url: { type: 'string', nullable: true },
        mcp_tool_prefix_separator: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9._-]{1,4}$' },
        mcp_client_side_auth_header_name: { type: 'string', nullable: true, pattern: '^[A-Za-z0-9-]+$' },
        mcp_allowed_hosts: { type: 'array', nullable: true, items: { type: 'string' } },
        mcp_allowed_origins: { type: 'array', nullable: true, items: { type: 'string' } },
        mcp_call_timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
        mcp_egress_allowlist: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
        mcp_internal_ip_ranges: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
        use_x_forwarded_for: { type: 'boolean', nullable: true },
        mcp_max_tool_rounds: { type: 'integer', nullable: true, minimum: 1 },
        mcp_health_check_interval: { type: 'number', nullable: true, minimum: 0 },
        disable_spend_logs: { type: 'boolean', nullable: true },
        proxy_batch_write_at: { type: 'number', nullable: true, exclusiveMinimum: 0 },
      },
    },
    litellm_settings: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        num_retries: { type: 'integer', nullable: true, minimum: 0 },
        request_timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
        fallbacks: { ...fallbackList, nullable: true },
        default_fallbacks: { type: 'array', nullable: true, items: { type: 'string' } },
        drop_params: { type: 'boolean', nullable: true },
        set_verbose: { type: 'boolean', nullable: true },
        json_logs: { type: 'boolean', nullable: true },
        callbacks: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
      },
    },
    router_settings: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        routing_strategy: { type: 'string', nullable: true, enum: ['simple-shuffle'] },
        num_retries: { type: 'integer', nullable: true, minimum: 0 },
        retry_after: { type: 'number', nullable: true, minimum: 0 },
        timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
        fallbacks: { ...fallbackList, nullable: true },
        default_fallbacks: { type: 'array', nullable: true, items: { type: 'string' } },
      },
    },
    mcp_servers: {
      type: 'object',
      nullable: true,
      required: [],
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: [],
        properties: {
          url: { type: 'string', nullable: true },
          transport: { type: 'string', nullable: true, enum: MCP_TRANSPORTS },
          command: { type: 'string', nullable: true },
          args: stringList,
          env: stringMap,
          alias: { type: 'string', nullable: true },
          description: { type: 'string', nullable: true },
          auth_type: { type: 'string', nullable: true, enum: MCP_AUTH_TYPES },
          auth_value: { type: 'string', nullable: true },
          authentication_token: { type: 'string', nullable: true },
          client_id: { type: 'string', nullable: true },
          client_secret: { type: 'string', nullable: true },
          token_url: { type: 'string', nullable: true },
          scopes: stringList,
          oauth2_flow: { type: 'string', nullable: true, enum: OAUTH2_FLOWS },
          authorization_url: { type: 'string', nullable: true },
          registration_url: { type: 'string', nullable: true },
          static_headers: stringMap,
          extra_headers: stringList,
          allowed_tools: stringList,
          disallowed_tools: stringList,
          allowed_params: {
            type: 'object',
            nullable: true,
            required: [],
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
          access_groups: stringList,
          allow_all_keys: { type: 'boolean', nullable: true },
          available_on_public_internet: { type: 'boolean', nullable: true },
          instructions: { type: 'string', nullable: true },
          mcp_info: { type: 'object', nullable: true, required: [] },
          spec_path: { type: 'string', nullable: true },
          allowed_tags: stringList,
          spec_refresh_interval: { type: 'number', nullable: true, minimum: 1 },
          tool_name_to_display_name: stringMap,
          tool_name_to_description: stringMap,
          request_timeout: { type: 'number', nullable: true, exclusiveMinimum: 0 },
        },
      },
    },
    environment_variables: stringMap,
    callbacks: { type: 'array', nullable: true, items: { type: 'string', minLength: 1 } },
  },
};
