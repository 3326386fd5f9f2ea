/**
 * The one JSON Schema for config.yaml (LiteLLM-compatible keys) and the `Config` type it checks.
 * Every object is closed (`additionalProperties: false`) so that unknown keys can be reported; the loader
 * turns those findings into one warning and every other finding into a start-up error.
 */
import type { JSONSchemaType } from 'ajv';

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
}

export interface LitellmSettings {
  num_retries?: number;
  request_timeout?: number;
  fallbacks?: FallbackList;
  default_fallbacks?: string[];
  drop_params?: boolean;
  set_verbose?: boolean;
  json_logs?: boolean;
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
  environment_variables?: Record<string, string>;
}

const stringMap = {
  type: 'object',
  required: [],
  additionalProperties: { type: 'string' },
  nullable: true,
} as const;

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
    environment_variables: stringMap,
  },
};
