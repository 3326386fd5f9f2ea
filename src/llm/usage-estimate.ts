/**
 * Usage for an answer whose upstream reported none. The app counts it with tiktoken (spend/token-counter.ts,
 * wired as a `UsageCounter`); the character estimate below is only the fallback of a tool loop run without a
 * counter (the loop's unit tests).
 */
import type { ChatCompletionMessage } from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatRequest } from '../../providers/index.js';

/** The request as sent upstream and the assistant answer it got → the usage to charge. */
export type UsageCounter = (request: ChatRequest, answer: Pick<ChatCompletionMessage, 'content' | 'refusal' | 'tool_calls'>) => CompletionUsage;

const CHARS_PER_TOKEN = 4;

export const estimateUsage: UsageCounter = (request, answer) => {
  let promptChars = 0;
  for (const message of request.messages) {
    const content = (message as { content?: unknown }).content;
    if (typeof content === 'string') promptChars += content.length;
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown }).text;
        if (typeof text === 'string') promptChars += text.length;
      }
    }
  }
  let completionChars = answer.content?.length ?? 0;
  for (const call of answer.tool_calls ?? []) completionChars += call.type === 'function' ? call.function.arguments.length : 0;
  const prompt_tokens = Math.ceil(promptChars / CHARS_PER_TOKEN);
  const completion_tokens = Math.ceil(completionChars / CHARS_PER_TOKEN);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
};
