/**
 * The cost of one model round: uncached prompt tokens at the input price, cached prompt tokens
 * (`prompt_tokens_details.cached_tokens`) at the cached-input price, completion tokens (reasoning included) at the
 * output price. A request's LLM cost is the sum of its rounds' costs, each at the price of the deployment that
 * served it (request-spend.ts).
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { ModelPrice } from './price-table.js';

export function roundCost(price: ModelPrice | undefined, usage: CompletionUsage): number {
  if (!price) return 0;
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  const uncached = usage.prompt_tokens - cached;
  return uncached * price.input + cached * (price.cachedInput ?? price.input) + usage.completion_tokens * price.output;
}
