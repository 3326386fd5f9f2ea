/** The one map from the `<provider>` prefix of `litellm_params.model` to its Provider. */
import { anthropicProvider } from './anthropic/index.js';
import { mockProvider } from './mock/index.js';
import { openaiProvider } from './openai/index.js';
import type { Provider } from './provider.js';

export const PROVIDERS: ReadonlyMap<string, Provider> = new Map<string, Provider>([
  ['openai', openaiProvider],
  // LiteLLM's names for OpenAI-compatible servers.
  ['hosted_vllm', openaiProvider],
  ['lm_studio', openaiProvider],
  ['llamafile', openaiProvider],
  ['openai_like', openaiProvider],
  ['anthropic', anthropicProvider],
  ['mock', mockProvider],
]);

export { mockProvider };
export type { CallOptions, ChatRequest, Provider, ProviderClient, ProviderTarget } from './provider.js';
export * from './upstream-errors.js';
export { RAW_FRAME, rawFrameOf } from './raw-frame.js';
