/**
 * OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) through the `openai` SDK.
 * The canonical shape is OpenAI's, so requests pass through unchanged (unknown fields included) apart from
 * the upstream model name; only errors are translated.
 */
import OpenAI from 'openai';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CallOptions, ChatRequest, Provider, ProviderClient, ProviderTarget } from './provider.js';
import {
  parseRetryAfter,
  scrubSecrets,
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from './upstream-errors.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Local OpenAI-compatible servers usually want no key; the SDK insists on one. */
const NO_KEY = 'no-key';

export const openaiProvider: Provider = {
  kind: 'openai',
  createClient(target: ProviderTarget): ProviderClient {
    // Every option is explicit: the SDK would otherwise read OPENAI_* variables of the proxy's own environment.
    const sdk = new OpenAI({
      apiKey: target.apiKey ?? NO_KEY,
      adminAPIKey: null,
      organization: target.organization ?? null,
      project: null,
      webhookSecret: null,
      baseURL: target.apiBase ?? OPENAI_BASE_URL,
      maxRetries: 0,
      defaultHeaders: target.headers,
      logLevel: 'off',
    });
    const secrets = [target.apiKey];
    const body = (request: ChatRequest) => ({ ...request, model: target.model });
    const requestOptions = (options: CallOptions) => ({
      signal: options.signal,
      timeout: options.timeoutMs,
      maxRetries: 0,
    });

    return {
      async complete(request, options): Promise<ChatCompletion> {
        try {
          return await sdk.chat.completions.create({ ...body(request), stream: false }, requestOptions(options));
        } catch (error) {
          throw toUpstreamError(error, secrets);
        }
      },
      async stream(request, options): Promise<AsyncIterable<ChatCompletionChunk>> {
        let stream: AsyncIterable<ChatCompletionChunk>;
        try {
          stream = await sdk.chat.completions.create({ ...body(request), stream: true }, requestOptions(options));
        } catch (error) {
          throw toUpstreamError(error, secrets);
        }
        return translateErrors(stream, secrets);
      },
    };
  },
};

async function* translateErrors(
  stream: AsyncIterable<ChatCompletionChunk>,
  secrets: readonly (string | undefined)[],
): AsyncIterable<ChatCompletionChunk> {
  try {
    yield* stream;
  } catch (error) {
    throw toUpstreamError(error, secrets);
  }
}

/** Maps an `openai` SDK failure to our upstream error classes; non-SDK errors are returned unchanged. */
export function toUpstreamError(error: unknown, secrets: readonly (string | undefined)[]): unknown {
  if (error instanceof OpenAI.APIUserAbortError) return new UpstreamAbortedError('request aborted by the client');
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new UpstreamTimeoutError('upstream timed out');
  if (error instanceof OpenAI.APIConnectionError) {
    return new UpstreamConnectionError(`cannot reach upstream: ${scrubSecrets(causeText(error), secrets)}`);
  }
  if (error instanceof OpenAI.APIError) {
    const body = error.error as { message?: unknown } | undefined;
    const text = typeof body?.message === 'string' ? body.message : error.message;
    return new UpstreamStatusError(error.status ?? 502, scrubSecrets(text, secrets), {
      retryAfterSeconds: parseRetryAfter(error.headers),
      upstreamType: typeof error.type === 'string' ? error.type : undefined,
      upstreamCode: typeof error.code === 'string' ? error.code : undefined,
      param: typeof error.param === 'string' ? error.param : undefined,
    });
  }
  if (error instanceof SyntaxError) {
    return new UpstreamStatusError(502, 'upstream sent a response that is not valid JSON');
  }
  return error;
}

/** The innermost cause's errno code (ECONNREFUSED, …) or message: fetch wraps it twice. */
function causeText(error: Error): string {
  let current: unknown = error;
  let text = error.message;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    text = typeof code === 'string' ? code : current.message;
    current = current.cause;
  }
  return text;
}
