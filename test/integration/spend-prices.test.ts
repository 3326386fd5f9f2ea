/**
 * Issue #7 point 2, as a LiteLLM config prices deployments: the price keys in `litellm_params` (where LiteLLM's
 * custom-pricing docs put them, docs/my-website/docs/proxy/custom_pricing.md) and `model_info.base_model` (the
 * model whose list price a custom-named deployment is charged at). Observed over real HTTP in the
 * `x-litellm-response-cost` header, with a scripted OpenAI-wire upstream (11 prompt + 7 completion tokens).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { scriptedReply } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

// Binary-exact prices, so the expected costs are exact in floating point.
const INPUT = 2 ** -20;
const OUTPUT = 2 ** -18;

let upstream: OpenAIUpstream;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  upstream = await startOpenAIUpstream((request) => scriptedReply(request, { content: 'ok' }));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: priced-in-params
    litellm_params: { model: openai/my-finetune, api_base: "${upstream.url}", api_key: sk-fixture, input_cost_per_token: ${INPUT}, output_cost_per_token: ${OUTPUT} }
  - model_name: info-wins
    litellm_params: { model: openai/my-finetune, api_base: "${upstream.url}", api_key: sk-fixture, input_cost_per_token: 1, output_cost_per_token: 1 }
    model_info: { input_cost_per_token: ${INPUT}, output_cost_per_token: ${OUTPUT} }
  - model_name: based
    litellm_params: { model: openai/my-gpt4o-deployment, api_base: "${upstream.url}", api_key: sk-fixture }
    model_info: { base_model: gpt-4o-mini }
`);
});

afterAll(async () => {
  await gatehouse?.close();
  await upstream?.close();
});

async function cost(model: string): Promise<number> {
  const { response } = await gatehouse
    .client()
    .chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  return Number(response.headers.get('x-litellm-response-cost'));
}

describe('deployment prices from a LiteLLM config', () => {
  it('charges litellm_params.input_cost_per_token / output_cost_per_token, loaded without an unknown-key warning', async () => {
    expect(await cost('priced-in-params')).toBe(11 * INPUT + 7 * OUTPUT);
    expect(gatehouse.logs.join('')).not.toContain('input_cost_per_token');
  });

  it('prefers model_info over litellm_params when both price a deployment', async () => {
    expect(await cost('info-wins')).toBe(11 * INPUT + 7 * OUTPUT);
  });

  it('prices a custom-named deployment at its model_info.base_model list price', async () => {
    // gpt-4o-mini in the shipped table: 0.15 / 0.60 USD per million tokens.
    expect(await cost('based')).toBeCloseTo(11 * 0.15e-6 + 7 * 0.6e-6, 15);
  });
});
