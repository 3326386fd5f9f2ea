/**
 * The prices Gatehouse ships with: USD per token for common OpenAI and Anthropic models, keyed by model id (a
 * dated snapshot such as `gpt-4o-2024-08-06` is priced by its family's entry, see price-book.ts). A deployment
 * overrides them with `model_info.input_cost_per_token` / `output_cost_per_token` / `cache_read_input_token_cost`.
 *
 * Sources: the vendors' published list prices as of 2025-09 (compiled from these pages, not fetched by any build;
 * prices change, so override them in config rather than trusting this table blindly):
 * - OpenAI: https://platform.openai.com/docs/pricing (Standard tier; "Cached input" column).
 * - Anthropic: https://docs.anthropic.com/en/docs/about-claude/pricing ("Cache Hits & Refreshes" column; cache
 *   writes are billed by Anthropic at 1.25× input, which chat usage cannot tell apart, so they are priced as input).
 */

export interface ModelPrice {
  /** USD per uncached input (prompt) token. */
  input: number;
  /** USD per output (completion) token, reasoning tokens included. */
  output: number;
  /** USD per cached input token; absent: cached tokens cost `input`. */
  cachedInput?: number;
}

/** OpenAI, https://platform.openai.com/docs/pricing, list prices as of 2025-09. */
const OPENAI: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': { input: 1.25e-6, cachedInput: 0.125e-6, output: 10e-6 },
  'gpt-5-mini': { input: 0.25e-6, cachedInput: 0.025e-6, output: 2e-6 },
  'gpt-5-nano': { input: 0.05e-6, cachedInput: 0.005e-6, output: 0.4e-6 },
  'gpt-4.1': { input: 2e-6, cachedInput: 0.5e-6, output: 8e-6 },
  'gpt-4.1-mini': { input: 0.4e-6, cachedInput: 0.1e-6, output: 1.6e-6 },
  'gpt-4.1-nano': { input: 0.1e-6, cachedInput: 0.025e-6, output: 0.4e-6 },
  'gpt-4o': { input: 2.5e-6, cachedInput: 1.25e-6, output: 10e-6 },
  'gpt-4o-mini': { input: 0.15e-6, cachedInput: 0.075e-6, output: 0.6e-6 },
  o1: { input: 15e-6, cachedInput: 7.5e-6, output: 60e-6 },
  o3: { input: 2e-6, cachedInput: 0.5e-6, output: 8e-6 },
  'o3-mini': { input: 1.1e-6, cachedInput: 0.55e-6, output: 4.4e-6 },
  'o4-mini': { input: 1.1e-6, cachedInput: 0.275e-6, output: 4.4e-6 },
  'gpt-4-turbo': { input: 10e-6, output: 30e-6 },
  'gpt-4': { input: 30e-6, output: 60e-6 },
  'gpt-3.5-turbo': { input: 0.5e-6, output: 1.5e-6 },
  'text-embedding-3-small': { input: 0.02e-6, output: 0 },
  'text-embedding-3-large': { input: 0.13e-6, output: 0 },
  'text-embedding-ada-002': { input: 0.1e-6, output: 0 },
};

/** Anthropic, https://docs.anthropic.com/en/docs/about-claude/pricing, list prices as of 2025-09. */
const ANTHROPIC: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-4-1': { input: 15e-6, cachedInput: 1.5e-6, output: 75e-6 },
  'claude-opus-4': { input: 15e-6, cachedInput: 1.5e-6, output: 75e-6 },
  'claude-sonnet-4-5': { input: 3e-6, cachedInput: 0.3e-6, output: 15e-6 },
  'claude-sonnet-4': { input: 3e-6, cachedInput: 0.3e-6, output: 15e-6 },
  'claude-3-7-sonnet': { input: 3e-6, cachedInput: 0.3e-6, output: 15e-6 },
  'claude-3-5-sonnet': { input: 3e-6, cachedInput: 0.3e-6, output: 15e-6 },
  'claude-haiku-4-5': { input: 1e-6, cachedInput: 0.1e-6, output: 5e-6 },
  'claude-3-5-haiku': { input: 0.8e-6, cachedInput: 0.08e-6, output: 4e-6 },
  'claude-3-opus': { input: 15e-6, cachedInput: 1.5e-6, output: 75e-6 },
  'claude-3-haiku': { input: 0.25e-6, cachedInput: 0.03e-6, output: 1.25e-6 },
};

export const PRICE_TABLE: ReadonlyMap<string, ModelPrice> = new Map(Object.entries({ ...OPENAI, ...ANTHROPIC }));
