/**
 * Issue #2 acceptance: retries and fallbacks observed against a fixture that fails N times;
 * a client disconnect aborts the upstream request (observed at the fixture).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { completion, json, openAIError, startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

/** Each upstream fails its first `failures` requests with `status`, then answers with its own name. */
async function flakyUpstream(name: string, failures: number, status = 500): Promise<OpenAIUpstream> {
  return startOpenAIUpstream((_request, index) =>
    index < failures ? openAIError(status, `${name} failure ${index + 1}`) : json(completion({ content: `from ${name}` })),
  );
}

const upstreams: OpenAIUpstream[] = [];
let gatehouse: RunningGatehouse | undefined;

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

async function start(yaml: string): Promise<RunningGatehouse> {
  await gatehouse?.close();
  gatehouse = await startGatehouse(yaml);
  return gatehouse;
}

const ask = (proxy: RunningGatehouse, model: string) =>
  proxy.client().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('router', () => {
  it('retries a failing upstream num_retries times, then succeeds', async () => {
    const flaky = await flakyUpstream('flaky', 2, 503);
    upstreams.push(flaky);
    const proxy = await start(`
model_list:
  - model_name: m
    litellm_params: { model: openai/x, api_base: ${flaky.url} }
router_settings: { num_retries: 2 }
`);
    const result = await ask(proxy, 'm');
    expect(result.choices[0].message.content).toBe('from flaky');
    expect(flaky.requests).toHaveLength(3);
  });

  it('gives up after num_retries and does not retry a 4xx', async () => {
    const broken = await flakyUpstream('broken', 100, 500);
    const rejecting = await flakyUpstream('rejecting', 100, 422);
    upstreams.push(broken, rejecting);
    const proxy = await start(`
model_list:
  - model_name: broken
    litellm_params: { model: openai/x, api_base: ${broken.url} }
  - model_name: rejecting
    litellm_params: { model: openai/x, api_base: ${rejecting.url} }
router_settings: { num_retries: 3 }
`);
    await expect(ask(proxy, 'broken')).rejects.toMatchObject({ status: 502 });
    expect(broken.requests).toHaveLength(4);
    await expect(ask(proxy, 'rejecting')).rejects.toMatchObject({ status: 422 });
    expect(rejecting.requests).toHaveLength(1);
  });

  it("honours a deployment's max_retries on top of the router's attempts", async () => {
    const flaky = await flakyUpstream('flaky-deployment', 2, 500);
    upstreams.push(flaky);
    const proxy = await start(`
model_list:
  - model_name: m
    litellm_params: { model: openai/x, api_base: ${flaky.url}, max_retries: 2 }
router_settings: { num_retries: 0 }
`);
    expect((await ask(proxy, 'm')).choices[0].message.content).toBe('from flaky-deployment');
    expect(flaky.requests).toHaveLength(3);
  });

  it('falls back to the next model name once the primary is exhausted', async () => {
    const primary = await flakyUpstream('primary', 100, 500);
    const secondary = await flakyUpstream('secondary', 0);
    upstreams.push(primary, secondary);
    const proxy = await start(`
model_list:
  - model_name: primary
    litellm_params: { model: openai/x, api_base: ${primary.url} }
  - model_name: secondary
    litellm_params: { model: openai/y, api_base: ${secondary.url} }
router_settings:
  num_retries: 1
  fallbacks: [{ primary: [secondary] }]
`);
    const response = await proxy.client().chat.completions.create({ model: 'primary', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.data.choices[0].message.content).toBe('from secondary');
    expect(response.response.headers.get('x-litellm-model-id')).toBe('secondary#1');
    expect(primary.requests).toHaveLength(2);
    expect(secondary.requests).toHaveLength(1);
    expect(secondary.requests[0].body.model).toBe('y');
  });

  it('moves to the other deployment of a group when one fails', async () => {
    const down = await flakyUpstream('down', 100, 500);
    const up = await flakyUpstream('up', 0);
    upstreams.push(down, up);
    const proxy = await start(`
model_list:
  - model_name: pair
    litellm_params: { model: openai/x, api_base: ${down.url} }
  - model_name: pair
    litellm_params: { model: openai/x, api_base: ${up.url} }
router_settings: { num_retries: 1 }
`);
    for (let i = 0; i < 3; i++) expect((await ask(proxy, 'pair')).choices[0].message.content).toBe('from up');
    expect(up.requests).toHaveLength(3);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const holding = await startOpenAIUpstream(() => ({ kind: 'hold' }));
    upstreams.push(holding);
    const proxy = await start(`
model_list:
  - model_name: slow
    litellm_params: { model: openai/x, api_base: ${holding.url} }
`);
    for (const stream of [false, true]) {
      const controller = new AbortController();
      const pending = fetch(`${proxy.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'slow', stream, messages: [{ role: 'user', content: 'hi' }] }),
        signal: controller.signal,
      });
      const arrivals = holding.requests.length;
      await waitFor(() => holding.requests.length > arrivals);
      controller.abort();
      await expect(pending).rejects.toThrow();
      await waitFor(() => holding.aborted.length === holding.requests.length);
      expect(holding.aborted).toHaveLength(holding.requests.length);
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((done) => setTimeout(done, 10));
  }
}
