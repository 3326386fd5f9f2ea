/**
 * The one interface every provider implements. Providers are pure translators between the canonical
 * OpenAI Chat Completions shape and an upstream's wire format: no retries, no policy, no config parsing.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions/completions';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';

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
  /** Set only by providers whose upstream can serve the Responses API itself (`/responses`). */
  responses?: ResponsesClient;
}

/** A Responses API create body as sent upstream; unknown fields pass through. The provider sets `model` and `stream`. */
export type ResponsesBody = { [field: string]: unknown };

/** The upstream's own `/responses`, spoken as is: no translation either way. */
export interface ResponsesClient {
  create(body: ResponsesBody, options: CallOptions): Promise<Response>;
  /** Resolves once the upstream accepted the stream, then yields its events as sent (an `error` event is thrown). */
  stream(body: ResponsesBody, options: CallOptions): Promise<AsyncIterable<ResponseStreamEvent>>;
}

export interface Provider {
  /** The `<provider>` prefix of `litellm_params.model`. */
  readonly kind: string;
  /** Build the client for one deployment; called once at startup, reused for every request. */
  createClient(target: ProviderTarget): ProviderClient;
}
