/**
 * Which deployments get /v1/responses natively (the request forwarded to the upstream's own `/responses`, mcp tools
 * swapped for function tools) instead of translated to chat completions. LiteLLM's rule: `openai/` is native by
 * default and `litellm_params.use_chat_completions_api: true` turns that off; other OpenAI-compatible prefixes
 * (`hosted_vllm/`, `openai_like/`, …) may lack `/responses`, so they are bridged unless
 * `model_info.supported_endpoints` lists `/v1/responses`. A list given without it means bridged, whatever the prefix.
 */

const NATIVE_BY_DEFAULT = new Set(['openai']);
const RESPONSES_ENDPOINTS = new Set(['/v1/responses', '/responses']);

export interface NativeResponsesInput {
  /** The `<provider>` prefix of `litellm_params.model`. */
  provider: string;
  /** Whether the deployment's client can send `/responses` at all (the OpenAI-wire provider). */
  clientSupportsResponses: boolean;
  mockResponse?: string;
  useChatCompletionsApi?: boolean;
  supportedEndpoints?: readonly string[];
}

export function servesResponsesNatively(input: NativeResponsesInput): boolean {
  if (!input.clientSupportsResponses || input.mockResponse !== undefined || input.useChatCompletionsApi === true) return false;
  if (input.supportedEndpoints !== undefined) return input.supportedEndpoints.some((endpoint) => RESPONSES_ENDPOINTS.has(endpoint));
  return NATIVE_BY_DEFAULT.has(input.provider);
}
