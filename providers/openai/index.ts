/**
 * OpenAI and every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio). The canonical shape is
 * OpenAI's, so the request passes through unchanged (unknown fields included) apart from the upstream model
 * name. Calls go over one keep-alive undici pool per deployment: `npm run bench` measured the `openai` SDK
 * on fetch at 7–15× the CPU of a pooled undici request per call (docs/benchmarks.md), so the SDK is used for
 * its types only. The upstream's own `/responses` is offered beside chat (`responses.ts`).
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { Provider, ProviderClient, ProviderTarget } from '../provider.js';
import { RAW_FRAME } from '../raw-frame.js';
import { sseDataFrames } from './sse-frames.js';
import { UpstreamStatusError } from '../upstream-errors.js';
import { streamErrorFrame, transportError } from './errors.js';
import { createPoolSender } from './pool-sender.js';
import { responsesClient } from './responses.js';

export const openaiProvider: Provider = {
  kind: 'openai',
  createClient(target: ProviderTarget): ProviderClient {
    const sender = createPoolSender(target);
    const { secrets } = sender;
    return {
      async complete(request, options): Promise<ChatCompletion> {
        const response = await sender.send('/chat/completions', request, false, options);
        try {
          return (await response.body.json()) as ChatCompletion;
        } catch (error) {
          throw transportError(error, options.signal, secrets);
        }
      },
      async stream(request, options): Promise<AsyncIterable<ChatCompletionChunk>> {
        const response = await sender.send('/chat/completions', request, true, options);
        return chunks(response.body, options.signal, secrets);
      },
      // Whether a deployment uses it is the LLM layer's decision (src/llm/responses/native-responses-rule.ts).
      responses: responsesClient(sender),
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
