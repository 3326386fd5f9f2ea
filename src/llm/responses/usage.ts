/** Chat `usage` ⇄ Responses `usage` (wire-formats.md §1.6). The tool loop sums usage over rounds in the chat shape. */
import type { CompletionUsage } from 'openai/resources/completions';
import type { ResponseUsage } from 'openai/resources/responses/responses';

export function toResponseUsage(usage: CompletionUsage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    // Chat usage has no cache-write counter; Anthropic's cache writes are already inside prompt_tokens.
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0, cache_write_tokens: 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

/** A native upstream round's Responses `usage` → chat usage, so the tool loop can sum rounds of either kind. */
export function fromResponseUsage(usage: ResponseUsage | null | undefined): CompletionUsage {
  if (!usage) return { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  const sum: CompletionUsage = { prompt_tokens: usage.input_tokens, completion_tokens: usage.output_tokens, total_tokens: usage.total_tokens };
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  const reasoning = usage.output_tokens_details?.reasoning_tokens ?? 0;
  if (cached > 0) sum.prompt_tokens_details = { cached_tokens: cached };
  if (reasoning > 0) sum.completion_tokens_details = { reasoning_tokens: reasoning };
  return sum;
}
