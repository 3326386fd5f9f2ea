/**
 * The `mock` provider: answers without a network, deterministically, for `mock/<anything>` models and for any
 * deployment with `mock_response`. Only `created` depends on the clock.
 */
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { CallOptions, ChatRequest, Provider, ProviderClient, ProviderTarget } from '../provider.js';
import { UpstreamAbortedError } from '../upstream-errors.js';
import { answerRequest, type MockAnswer } from './answer.js';
import { buildCompletion, type ResponseMeta } from './completion.js';
import { conversationText } from './conversation.js';
import { mockIds } from './ids.js';
import { buildChunks, streamChunks } from './stream.js';
import { buildUsage } from './usage.js';

interface Prepared {
  answer: MockAnswer;
  meta: ResponseMeta;
  usage: CompletionUsage;
}

function prepare(request: ChatRequest, target: ProviderTarget, signal: AbortSignal): Prepared {
  if (signal.aborted) throw new UpstreamAbortedError('The mock request was aborted by the caller');
  const ids = mockIds(request, target);
  const answer = answerRequest(request, target, ids.toolCallId);
  const completionText = answer.kind === 'text' ? answer.text : answer.arguments;
  return {
    answer,
    meta: { id: ids.completionId, created: Math.floor(Date.now() / 1000), model: request.model },
    usage: buildUsage(conversationText(request.messages ?? []), completionText),
  };
}

/** A mock client for one deployment; `target.mockResponse`, when set, is the answer to every request. */
export function createMockClient(target: ProviderTarget): ProviderClient {
  return {
    async complete(request: ChatRequest, options: CallOptions): Promise<ChatCompletion> {
      const { answer, meta, usage } = prepare(request, target, options.signal);
      return buildCompletion(answer, meta, usage);
    },
    async stream(request: ChatRequest, options: CallOptions): Promise<AsyncIterable<ChatCompletionChunk>> {
      const { answer, meta, usage } = prepare(request, target, options.signal);
      const includeUsage = request.stream_options?.include_usage === true;
      return streamChunks(buildChunks(answer, meta, usage, includeUsage), options.signal);
    },
  };
}

export const mockProvider: Provider = {
  kind: 'mock',
  createClient: createMockClient,
};
