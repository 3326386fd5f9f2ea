/**
 * The one interface every provider implements. Providers are pure translators between the canonical
 * OpenAI Chat Completions shape and an upstream's wire format: no retries, no policy, no config parsing.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions/completions';

/** A chat request in the canonical shape. Unknown fields are kept so OpenAI-compatible upstreams get them unchanged. */
export type ChatRequest = ChatCompletionCreateParamsBase & { [field: string]: unknown };

/** One deployment's upstream, resolved from config once at startup. */
export interface ProviderTarget {
  /** Model name sent upstream (the part after `<provider>/`). */
  model: string;
  apiKey?: string;
  apiBase?: string;
  apiVersion?: string;
  /** OpenAI organization id (`litellm_params.organization`). */
  organization?: string;
  /** Extra headers sent on every upstream request. */
  headers?: Record<string, string>;
  /** Fixed answer instead of an upstream call (LiteLLM's `mock_response`). */
  mockResponse?: string;
}

/** Every upstream call is bounded and cancellable. */
export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

export interface ProviderClient {
  complete(request: ChatRequest, options: CallOptions): Promise<ChatCompletion>;
  /**
   * Resolves once the upstream accepted the request (so failures before the first byte can be retried),
   * then yields chunks. A failure after that is thrown from the iterator.
   */
  stream(request: ChatRequest, options: CallOptions): Promise<AsyncIterable<ChatCompletionChunk>>;
}

export interface Provider {
  /** The `<provider>` prefix of `litellm_params.model`. */
  readonly kind: string;
  /** Build the client for one deployment; called once at startup, reused for every request. */
  createClient(target: ProviderTarget): ProviderClient;
}
