/**
 * Default `max_tokens` per Claude model family. Anthropic requires `max_tokens`; when the caller sends neither
 * `max_completion_tokens` nor `max_tokens` we ask for the model's documented output ceiling.
 */

/** Longest prefix first: the first matching entry wins. */
const MAX_TOKENS_BY_PREFIX: readonly { prefix: string; maxTokens: number }[] = [
  { prefix: 'claude-opus-4', maxTokens: 32_000 },
  { prefix: 'claude-sonnet-4', maxTokens: 64_000 },
  { prefix: 'claude-haiku-4', maxTokens: 64_000 },
  { prefix: 'claude-3-7-sonnet', maxTokens: 64_000 },
  { prefix: 'claude-3-5-sonnet', maxTokens: 8_192 },
  { prefix: 'claude-3-5-haiku', maxTokens: 8_192 },
  { prefix: 'claude-3-', maxTokens: 4_096 },
];

export const FALLBACK_MAX_TOKENS = 4_096;

/** The `max_tokens` we send for `model` when the caller set no limit. */
export function defaultMaxTokens(model: string): number {
  const entry = MAX_TOKENS_BY_PREFIX.find(({ prefix }) => model.startsWith(prefix));
  return entry ? entry.maxTokens : FALLBACK_MAX_TOKENS;
}
