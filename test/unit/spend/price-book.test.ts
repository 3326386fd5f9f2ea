/** Issue #7 point 2: the shipped price table, per-deployment `model_info` overrides, and one round's cost. */
import { describe, expect, it } from 'vitest';
import { roundCost } from '../../../src/spend/llm-cost.js';
import { PriceBook, pricedDeployments, tablePrice } from '../../../src/spend/price-book.js';

describe('tablePrice', () => {
  it('finds a model by id, a dated snapshot by its family, and the longest family first', () => {
    expect(tablePrice('gpt-4o')).toEqual({ input: 2.5e-6, cachedInput: 1.25e-6, output: 10e-6 });
    expect(tablePrice('gpt-4o-2024-08-06')).toEqual(tablePrice('gpt-4o'));
    expect(tablePrice('gpt-4o-mini-2024-07-18')).toEqual(tablePrice('gpt-4o-mini'));
    expect(tablePrice('claude-3-5-haiku-20241022')).toEqual({ input: 0.8e-6, cachedInput: 0.08e-6, output: 4e-6 });
    expect(tablePrice('anthropic/claude-sonnet-4-5-20250929')).toEqual(tablePrice('claude-sonnet-4-5'));
    expect(tablePrice('my-local-llama')).toBeUndefined();
    expect(tablePrice('gpt-4ox')).toBeUndefined();
  });
});

describe('PriceBook', () => {
  it('overrides the table with model_info prices, and prices unknown models only when model_info does', () => {
    const book = new PriceBook([
      { id: 'a', upstreamModel: 'gpt-4o' },
      { id: 'b', upstreamModel: 'gpt-4o', modelInfo: { output_cost_per_token: 1e-5 } },
      { id: 'c', upstreamModel: 'gpt-4o', modelInfo: { input_cost_per_token: 3e-6 } },
      { id: 'd', upstreamModel: 'local-model', modelInfo: { input_cost_per_token: 1e-7, output_cost_per_token: 2e-7, cache_read_input_token_cost: 5e-8 } },
      { id: 'e', upstreamModel: 'local-model' },
    ]);
    expect(book.get('a')).toEqual({ input: 2.5e-6, cachedInput: 1.25e-6, output: 10e-6 });
    expect(book.get('b')).toEqual({ input: 2.5e-6, cachedInput: 1.25e-6, output: 1e-5 });
    // A new input price does not inherit the table's cached price: cached tokens cost the new input price.
    expect(book.get('c')).toEqual({ input: 3e-6, output: 10e-6 });
    expect(book.get('d')).toEqual({ input: 1e-7, output: 2e-7, cachedInput: 5e-8 });
    expect(book.get('e')).toBeUndefined();
    expect(book.unpriced).toEqual(['e']);
  });

  it("pairs each group's deployments with its model_list entries in order", () => {
    const priced = pricedDeployments(
      [
        { model_name: 'g', model_info: { input_cost_per_token: 1 } },
        { model_name: 'h' },
        { model_name: 'g', model_info: { input_cost_per_token: 2 } },
      ],
      [
        { name: 'g', deployments: [{ id: 'g#0', upstreamModel: 'x' }, { id: 'g#2', upstreamModel: 'y' }] },
        { name: 'h', deployments: [{ id: 'h#1', upstreamModel: 'z' }] },
      ],
    );
    expect(priced.map((entry) => [entry.id, entry.modelInfo?.input_cost_per_token])).toEqual([
      ['g#0', 1],
      ['g#2', 2],
      ['h#1', undefined],
    ]);
  });

  it("takes a price key from litellm_params when model_info has none, and looks base_model up in the table", () => {
    const priced = pricedDeployments(
      [
        { model_name: 'p', litellm_params: { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 }, model_info: { output_cost_per_token: 3e-6 } },
        { model_name: 'b', model_info: { base_model: 'gpt-4o' } },
      ],
      [
        { name: 'p', deployments: [{ id: 'p#0', upstreamModel: 'my-finetune' }] },
        { name: 'b', deployments: [{ id: 'b#1', upstreamModel: 'my-deployment' }] },
      ],
    );
    const book = new PriceBook(priced);
    expect(book.get('p#0')).toEqual({ input: 1e-6, output: 3e-6 });
    expect(book.get('b#1')).toEqual(tablePrice('gpt-4o'));
  });
});

describe('roundCost', () => {
  const price = { input: 2 ** -20, output: 2 ** -18, cachedInput: 2 ** -22 };

  it('prices cached prompt tokens at the cached price, the rest at input, completion at output', () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 256 } };
    expect(roundCost(price, usage)).toBe(744 * 2 ** -20 + 256 * 2 ** -22 + 100 * 2 ** -18);
  });

  it('prices cached tokens at input when the model has no cached price, and an unpriced deployment at 0', () => {
    const usage = { prompt_tokens: 10, completion_tokens: 0, total_tokens: 10, prompt_tokens_details: { cached_tokens: 4 } };
    expect(roundCost({ input: 1, output: 1 }, usage)).toBe(10);
    expect(roundCost(undefined, usage)).toBe(0);
  });
});
