/** Anthropic usage counters → Chat `usage` (wire-formats.md §3.3). */
import type { CompletionUsage } from 'openai/resources/completions';

export interface AnthropicUsageCounters {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Anthropic's total input is the sum of its three input counters; cache reads are OpenAI's `cached_tokens`. */
export function toChatUsage(usage: AnthropicUsageCounters): CompletionUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const promptTokens = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + cacheRead;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: usage.output_tokens,
    total_tokens: promptTokens + usage.output_tokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}
