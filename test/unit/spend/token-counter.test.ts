/**
 * Issue #7 acceptance 2: tiktoken counts equal OpenAI's published counts. The vectors are the example messages of
 * OpenAI's cookbook "How to count tokens with tiktoken"
 * (https://cookbook.openai.com/examples/how_to_count_tokens_with_tiktoken), whose run reports 129 prompt tokens for
 * gpt-3.5-turbo, gpt-4-0613 and gpt-4, and 124 for gpt-4o and gpt-4o-mini, counted by the API and by the formula.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenCounter } from '../../../src/spend/token-counter.js';
import { encodingForModel } from '../../../src/spend/token-encodings.js';

const COOKBOOK_MESSAGES: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.' },
  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
  { role: 'system', name: 'example_user', content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage." },
  { role: 'system', name: 'example_assistant', content: "Let's talk later when we're less busy about how to do better." },
  { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
];

const PUBLISHED: readonly [model: string, tokens: number][] = [
  ['gpt-3.5-turbo', 129],
  ['gpt-4-0613', 129],
  ['gpt-4', 129],
  ['gpt-4o', 124],
  ['gpt-4o-mini', 124],
];

const counter = new TokenCounter((name) => (name === 'my-gpt' ? 'gpt-4o' : undefined));
afterAll(() => counter.close());

describe('TokenCounter', () => {
  it.each(PUBLISHED)("counts the cookbook's example messages for %s as OpenAI published (%i tokens)", (model, tokens) => {
    expect(counter.countPrompt({ model, messages: COOKBOOK_MESSAGES })).toBe(tokens);
  });

  it('counts with the encoding of the upstream model a model_name routes to, and of a provider-prefixed name', () => {
    expect(counter.countPrompt({ model: 'my-gpt', messages: COOKBOOK_MESSAGES })).toBe(124);
    expect(counter.countPrompt({ model: 'openai/gpt-4', messages: COOKBOOK_MESSAGES })).toBe(129);
  });

  it('counts completion text, tool calls included, and treats special-token text as ordinary text', () => {
    expect(counter.countText('gpt-4o', '')).toBe(0);
    expect(counter.countText('gpt-4', 'tiktoken is great!')).toBe(6);
    const withCall = counter.countCompletion('gpt-4o', {
      content: null,
      refusal: null,
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"key":"k1"}' } }],
    });
    expect(withCall).toBe(counter.countText('gpt-4o', 'lookup{"key":"k1"}'));
    expect(counter.countText('gpt-4o', '<|endoftext|>')).toBeGreaterThan(1);
  });

  it('usageOf sums prompt and completion', () => {
    const usage = counter.usageOf({ model: 'gpt-4o', messages: COOKBOOK_MESSAGES }, { content: 'Plain answer.', refusal: null });
    expect(usage.prompt_tokens).toBe(124);
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.completion_tokens).toBe(counter.countText('gpt-4o', 'Plain answer.'));
  });
});

describe('encodingForModel', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'o200k_base', true],
    ['gpt-4.1-mini', 'o200k_base', true],
    ['gpt-5', 'o200k_base', true],
    ['o3-mini', 'o200k_base', true],
    ['gpt-4-turbo', 'cl100k_base', true],
    ['gpt-3.5-turbo', 'cl100k_base', true],
    ['text-embedding-3-small', 'cl100k_base', true],
    ['claude-sonnet-4-20250514', 'cl100k_base', false],
  ] as const)('%s → %s (exact: %s)', (model, encoding, exact) => {
    expect(encodingForModel(model)).toEqual({ encoding, exact });
  });
});
