/**
 * Pipes a routed chat stream to the client as SSE, chunk by chunk: synthesises the usage chunk when the
 * client asked for one and the upstream sent none; turns a mid-stream failure into one error frame. Resolves with
 * the stream's usage (the upstream's, else counted from the streamed text) so the request can be priced.
 */
import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { rawFrameOf, type ChatRequest } from '../../providers/index.js';
import { toOpenAIErrorBody } from '../http/errors.js';
import { SseWriter } from '../http/sse.js';
import type { Deployment } from './deployments.js';
import { toClientError } from './upstream-error-mapping.js';
import type { UsageCounter } from './usage-estimate.js';

export interface PipedStream {
  usage: CompletionUsage;
  /** False when the upstream failed mid-stream (the client got an error frame). */
  ok: boolean;
}

export async function pipeChatStream(
  res: ServerResponse,
  headers: Record<string, string>,
  request: ChatRequest,
  chunks: AsyncIterable<ChatCompletionChunk>,
  deployment: Deployment,
  countUsage: UsageCounter,
): Promise<PipedStream> {
  const sse = new SseWriter(res);
  sse.open(headers);
  const wantsUsage = request.stream_options?.include_usage === true;
  let upstreamUsage: CompletionUsage | undefined;
  const streamed = new StreamedText();
  let last: ChatCompletionChunk | undefined;
  const usage = () => upstreamUsage ?? countUsage(request, streamed.answer());
  try {
    for await (const chunk of chunks) {
      if (sse.closed) return { usage: usage(), ok: true };
      last = chunk;
      if (chunk.usage) upstreamUsage = chunk.usage;
      if (!upstreamUsage) streamed.add(chunk);
      await sse.data(rawFrameOf(chunk) ?? JSON.stringify(chunk));
    }
    if (wantsUsage && !upstreamUsage && last) {
      const usageChunk: ChatCompletionChunk = {
        id: last.id,
        object: 'chat.completion.chunk',
        created: last.created,
        model: last.model,
        choices: [],
        usage: usage(),
      };
      await sse.data(JSON.stringify(usageChunk));
    }
    sse.done();
    return { usage: usage(), ok: true };
  } catch (error) {
    if (!sse.closed) {
      await sse.data(JSON.stringify(toOpenAIErrorBody(toClientError(error, deployment))));
      sse.end();
    }
    return { usage: usage(), ok: false };
  }
}

/** Every choice's text and tool-call fragments, as streamed: what the completion tokens are counted from. */
class StreamedText {
  private content = '';
  private calls = '';

  add(chunk: ChatCompletionChunk): void {
    for (const choice of chunk.choices) {
      this.content += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) this.calls += (call.function?.name ?? '') + (call.function?.arguments ?? '');
    }
  }

  answer() {
    return { content: this.content + this.calls, refusal: null };
  }
}
