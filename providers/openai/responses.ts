/**
 * The upstream's own Responses API (`POST {api_base}/responses`), for deployments the LLM layer serves natively:
 * the body goes out as given (unknown fields included) apart from `model` and `stream`, and the answer or the stream
 * events come back as the upstream sent them. An `error` event inside a stream is thrown.
 */
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { ResponsesClient } from '../provider.js';
import { UpstreamStatusError } from '../upstream-errors.js';
import { streamErrorFrame, transportError } from './errors.js';
import type { PoolSender } from './pool-sender.js';
import { sseDataFrames } from './sse-frames.js';

export function responsesClient(sender: PoolSender): ResponsesClient {
  return {
    async create(body, options): Promise<Response> {
      const response = await sender.send('/responses', body, false, options);
      try {
        return (await response.body.json()) as Response;
      } catch (error) {
        throw transportError(error, options.signal, sender.secrets);
      }
    },
    async stream(body, options): Promise<AsyncIterable<ResponseStreamEvent>> {
      const response = await sender.send('/responses', body, true, options);
      return events(response.body, options.signal, sender.secrets);
    },
  };
}

async function* events(
  body: AsyncIterable<Buffer>,
  signal: AbortSignal,
  secrets: readonly (string | undefined)[],
): AsyncIterable<ResponseStreamEvent> {
  try {
    for await (const data of sseDataFrames(body)) {
      // OpenAI ends a Responses stream after its terminal event; some compatible servers add chat's [DONE].
      if (data === '[DONE]') continue;
      const parsed = JSON.parse(data) as { type?: unknown; error?: unknown; message?: unknown; code?: unknown };
      if (parsed.type === 'error') {
        throw streamErrorFrame({ error: { message: parsed.message, code: parsed.code, type: 'server_error' } }, secrets);
      }
      if (typeof parsed.type !== 'string' && parsed.error !== undefined) throw streamErrorFrame(parsed as never, secrets);
      yield parsed as ResponseStreamEvent;
    }
  } catch (error) {
    if (error instanceof UpstreamStatusError) throw error;
    throw transportError(error, signal, secrets);
  }
}
