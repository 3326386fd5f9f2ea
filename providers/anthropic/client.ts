/**
 * One deployment's Anthropic client: the SDK client built once, plus `complete`/`stream` that translate with the
 * pure modules and map every failure to an upstream error. The SDK never retries; the router owns retries.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CallOptions, ChatRequest, ProviderClient, ProviderTarget } from '../provider.js';
import { UpstreamConnectionError } from '../upstream-errors.js';
import { CallGuard } from './call-guard.js';
import { toUpstreamError } from './map-error.js';
import { toMessagesRequest } from './request.js';
import { toChatCompletion } from './response.js';
import { AnthropicStreamTranslator } from './stream.js';

export const DEFAULT_API_BASE = 'https://api.anthropic.com';
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

/**
 * The key goes in `x-api-key` (wire-formats.md §3.1): SDK 1.x would send it as `Authorization: Bearer`, which
 * Anthropic-compatible upstreams pinned to `2023-06-01` do not all accept, so that header is nulled out. Base URL
 * and key are always explicit so the SDK never falls back to `ANTHROPIC_*` environment variables.
 */
function createSdkClient(target: ProviderTarget): Anthropic {
  return new Anthropic({
    apiKey: target.apiKey ?? '',
    baseURL: target.apiBase ?? DEFAULT_API_BASE,
    maxRetries: 0,
    logLevel: 'off',
    defaultHeaders: {
      authorization: null,
      'x-api-key': target.apiKey ?? null,
      'anthropic-version': target.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
      ...target.headers,
    },
  });
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export function createAnthropicClient(target: ProviderTarget): ProviderClient {
  const sdk = createSdkClient(target);
  const secrets = [target.apiKey];
  const fail = (error: unknown, guard: CallGuard): Error =>
    toUpstreamError(error, {
      secrets,
      callerAborted: guard.callerAborted,
      deadlinePassed: guard.deadlinePassed,
      timeoutMs: guard.timeoutMs,
    });

  async function* translate(
    events: AsyncIterable<RawMessageStreamEvent>,
    guard: CallGuard,
    includeUsage: boolean,
  ): AsyncGenerator<ChatCompletionChunk> {
    const translator = new AnthropicStreamTranslator({ created: nowSeconds(), includeUsage });
    const iterator = events[Symbol.asyncIterator]();
    let done = false;
    try {
      while (!done) {
        // The deadline runs only while we wait on the upstream, so a slow reader downstream never trips it.
        guard.arm();
        const next = await iterator.next();
        guard.disarm();
        done = next.done === true;
        if (!done) yield* translator.push(next.value);
      }
      // The SDK ends a stream quietly when its signal aborts, so an early end is classified here.
      if (guard.callerAborted || guard.deadlinePassed) throw fail(new Error('stream aborted'), guard);
      if (!translator.isFinished) throw new UpstreamConnectionError('Anthropic stream ended before message_stop.');
    } catch (error) {
      throw fail(error, guard);
    } finally {
      guard.dispose();
      if (!done) await iterator.return?.();
    }
  }

  return {
    async complete(request: ChatRequest, options: CallOptions): Promise<ChatCompletion> {
      const body = toMessagesRequest(request, target.model);
      const guard = new CallGuard(options);
      guard.arm();
      try {
        const message = await sdk.messages.create(
          { ...body, stream: false },
          { signal: guard.signal, timeout: options.timeoutMs },
        );
        return toChatCompletion(message, nowSeconds());
      } catch (error) {
        throw fail(error, guard);
      } finally {
        guard.dispose();
      }
    },

    async stream(request: ChatRequest, options: CallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
      const body = toMessagesRequest(request, target.model);
      const guard = new CallGuard(options);
      guard.arm();
      let events: AsyncIterable<RawMessageStreamEvent>;
      try {
        // Resolves once the upstream answered with headers: failures up to here can still be retried.
        events = await sdk.messages.create(
          { ...body, stream: true },
          { signal: guard.signal, timeout: options.timeoutMs },
        );
      } catch (error) {
        guard.dispose();
        throw fail(error, guard);
      }
      guard.disarm();
      return translate(events, guard, request.stream_options?.include_usage === true);
    },
  };
}
