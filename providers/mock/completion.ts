/** Turns a mock answer into a non-streaming `chat.completion` object. */
import type { ChatCompletion } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { MockAnswer } from './answer.js';

export interface ResponseMeta {
  id: string;
  created: number;
  /** The public model name the client asked for. */
  model: string;
}

export function buildCompletion(answer: MockAnswer, meta: ResponseMeta, usage: CompletionUsage): ChatCompletion {
  const choice: ChatCompletion.Choice =
    answer.kind === 'text'
      ? {
          index: 0,
          message: { role: 'assistant', content: answer.text, refusal: null },
          finish_reason: answer.finishReason,
          logprobs: null,
        }
      : {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: answer.id, type: 'function', function: { name: answer.name, arguments: answer.arguments } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        };
  return { id: meta.id, object: 'chat.completion', created: meta.created, model: meta.model, choices: [choice], usage };
}
