/**
 * Pipes a routed chat stream to the client as SSE, chunk by chunk: synthesises the usage chunk when the
 * client asked for one and the upstream sent none; turns a mid-stream failure into one error frame.
 */
import type { ServerResponse } from 'node:http';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { rawFrameOf, type ChatRequest } from '../../providers/index.js';
import { toOpenAIErrorBody } from '../http/errors.js';
import { SseWriter } from '../http/sse.js';
import type { Deployment } from './deployments.js';
import { toClientError } from './upstream-error-mapping.js';
import { estimateUsage } from './usage-estimate.js';

export async function pipeChatStream(
  res: ServerResponse,
  headers: Record<string, string>,
  request: ChatRequest,
  chunks: AsyncIterable<ChatCompletionChunk>,
  deployment: Deployment,
): Promise<void> {
  const sse = new SseWriter(res);
  sse.open(headers);
  const wantsUsage = request.stream_options?.include_usage === true;
  let sawUsage = false;
  let completionChars = 0;
  let last: ChatCompletionChunk | undefined;
  try {
    for await (const chunk of chunks) {
      if (sse.closed) return;
      last = chunk;
      if (chunk.usage) sawUsage = true;
      if (wantsUsage && !sawUsage) completionChars += deltaChars(chunk);
      await sse.data(rawFrameOf(chunk) ?? JSON.stringify(chunk));
    }
    if (wantsUsage && !sawUsage && last) {
      const usageChunk: ChatCompletionChunk = {
        id: last.id,
        object: 'chat.completion.chunk',
        created: last.created,
        model: last.model,
        choices: [],
        usage: estimateUsage(request, completionChars),
      };
      await sse.data(JSON.stringify(usageChunk));
    }
    sse.done();
  } catch (error) {
    if (sse.closed) return;
    await sse.data(JSON.stringify(toOpenAIErrorBody(toClientError(error, deployment))));
    sse.end();
  }
}

function deltaChars(chunk: ChatCompletionChunk): number {
  let count = 0;
  for (const choice of chunk.choices) {
    count += choice.delta.content?.length ?? 0;
    for (const call of choice.delta.tool_calls ?? []) count += call.function?.arguments?.length ?? 0;
  }
  return count;
}
