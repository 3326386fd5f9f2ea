/**
 * Usage for a stream whose upstream reported none. A character-based estimate for now.
 * TODO(#7): count with tiktoken per model family.
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatRequest } from '../../providers/index.js';

const CHARS_PER_TOKEN = 4;

export function estimateUsage(request: ChatRequest, completionChars: number): CompletionUsage {
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
  const prompt_tokens = Math.ceil(promptChars / CHARS_PER_TOKEN);
  const completion_tokens = Math.ceil(completionChars / CHARS_PER_TOKEN);
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}
