/**
 * OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio). The canonical shape is
 * OpenAI's, so the request passes through unchanged (unknown fields included) apart from the upstream model
 * name. Calls go over one keep-alive undici pool per deployment: `npm run bench` measured the `openai` SDK
 * on fetch at 7–15× the CPU of a pooled undici request per call (docs/benchmarks.md), so the SDK is used for
 * its types only.
 */
import { Pool } from 'undici';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { GATEWAY_USER_AGENT } from '../user-agent.js';
import type { CallOptions, ChatRequest, Provider, ProviderClient, ProviderTarget } from '../provider.js';
import { RAW_FRAME } from '../raw-frame.js';
import { sseDataFrames } from './sse-frames.js';
import { UpstreamStatusError } from '../upstream-errors.js';
import { statusError, streamErrorFrame, transportError } from './errors.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export const openaiProvider: Provider = {
  kind: 'openai',
  createClient(target: ProviderTarget): ProviderClient {
    const base = new URL(target.apiBase ?? OPENAI_BASE_URL);
    const pool = new Pool(base.origin, { keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 });
    const path = `${base.pathname.replace(/\/+$/, '')}/chat/completions${base.search}`;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': GATEWAY_USER_AGENT,
      ...(target.apiKey ? { authorization: `Bearer ${target.apiKey}` } : {}),
      ...(target.organization ? { 'openai-organization': target.organization } : {}),
      ...target.headers,
    };
    const secrets = [target.apiKey];

    const send = async (request: ChatRequest, stream: boolean, options: CallOptions) => {
      const body = JSON.stringify({ ...request, model: target.model, stream });
      let response;
      try {
        response = await pool.request({
          method: 'POST',
          path,
          headers: stream ? { ...headers, accept: 'text/event-stream' } : headers,
          body,
          signal: options.signal,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
      } catch (error) {
        throw transportError(error, options.signal, secrets);
      }
      if (response.statusCode >= 400) {
        const text = await response.body.text().catch(() => '');
        throw statusError(response.statusCode, response.headers, text, secrets);
      }
      return response;
    };

    return {
      async complete(request, options): Promise<ChatCompletion> {
        const response = await send(request, false, options);
        try {
          return (await response.body.json()) as ChatCompletion;
        } catch (error) {
          throw transportError(error, options.signal, secrets);
        }
      },
      async stream(request, options): Promise<AsyncIterable<ChatCompletionChunk>> {
        const response = await send(request, true, options);
        return chunks(response.body, options.signal, secrets);
      },
    };
  },
};

async function* chunks(
  body: AsyncIterable<Buffer>,
  signal: AbortSignal,
  secrets: readonly (string | undefined)[],
): AsyncIterable<ChatCompletionChunk> {
  try {
    let done = false;
    for await (const data of sseDataFrames(body)) {
      // Read on to the end of the body after [DONE] (it ends right away): leaving the loop early would
      // destroy the socket's stream and build an AbortError per request (5–7% CPU in the bench profile).
      if (done || data === '[DONE]') {
        done = true;
        continue;
      }
      const parsed = JSON.parse(data) as ChatCompletionChunk & { error?: unknown };
      if (parsed.error !== undefined) throw streamErrorFrame(parsed as never, secrets);
      // Kept so the route can forward the upstream's own bytes instead of serialising again.
      (parsed as ChatCompletionChunk & { [RAW_FRAME]?: string })[RAW_FRAME] = data;
      yield parsed;
    }
  } catch (error) {
    if (error instanceof UpstreamStatusError) throw error;
    throw transportError(error, signal, secrets);
  }
}
