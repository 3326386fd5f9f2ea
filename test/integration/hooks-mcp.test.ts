/**
 * Issue #7 (part 2, point 2; acceptance "a custom hook module changes a tool's cost and blocks a call; both
 * observed"): `callbacks:` modules (top-level and `litellm_settings.callbacks`) loaded at start-up, run by the hub
 * around every tool call. Observed at the upstream fixture (what reached it, with which arguments), in the MCP SDK
 * client's results and in the spend records. A throwing hook fails only its own call; a module that cannot be
 * loaded fails start-up naming it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { Hooks } from '../../src/hooks/hook-runner.js';
import { loadHooks } from '../../src/hooks/load-hooks.js';
import { HookFailedError } from '../../src/http/errors.js';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { HOOKS_CONFIG_SOURCE, startSpendGatehouse, toolRecords, type SpendGatehouse } from '../fixtures/hooks/spend-gatehouse.js';
import { DownstreamClients, textOf, waitUntil } from './mcp-downstream.js';

let gatehouse: SpendGatehouse;
let counting: CountingServer;
const downstream = new DownstreamClients();

const MODELS = `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
`;

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  gatehouse = await startSpendGatehouse(`${MODELS}
callbacks: [./throwing.mjs]
litellm_settings:
  callbacks: [./cost-and-block.mjs]
mcp_servers:
  priced:
    url: "${counting.url}"
    mcp_info: { mcp_server_cost_info: { tool_name_to_cost_per_query: { lookup: 0.25 } } }
`);
}, 30_000);

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await counting?.close();
});

beforeEach(() => {
  gatehouse.records.length = 0;
  counting.reset();
});

const contents = (result: unknown) => (result as { content: { type: string; text: string }[] }).content.map((block) => block.text);

describe('callbacks: hook modules around MCP tool calls', () => {
  it('postMcpToolCall changes the tool\'s cost and its result (acceptance: cost changed, observed in the spend record)', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const result = await client.callTool({ name: 'priced-lookup', arguments: { key: 'abcd' } });
    expect(contents(result)).toEqual(['value of abcd', 'hooked: was 0.25']);
    const [record] = toolRecords(gatehouse.records);
    // The configured price (0.25) is what the hook saw; the hook's price (4 characters × 0.5) is what is charged.
    expect(record).toMatchObject({ model: 'MCP: priced/lookup', cost: 2, status: 'success' });
  });

  it('preMcpToolCall blocks a call: the caller gets an isError result naming the hook, and the upstream never sees it (acceptance: blocked)', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const result = await client.callTool({ name: 'priced-lookup', arguments: { key: 'forbidden' } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Tool call priced/lookup blocked by hook ./cost-and-block.mjs: the key "forbidden" may not be looked up');
    expect(counting.calls).toEqual([]);
    expect(toolRecords(gatehouse.records)).toMatchObject([{ model: 'MCP: priced/lookup', cost: 0, status: 'failure' }]);
  });

  it('preMcpToolCall rewrites the arguments the upstream receives', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const result = await client.callTool({ name: 'priced-lookup', arguments: { key: 'rewrite-me' } });
    expect(contents(result)[0]).toBe('value of rewritten');
    expect(counting.calls).toEqual([{ name: 'lookup', arguments: { key: 'rewritten' } }]);
  });

  it('a throwing hook fails only its own call, with an isError result naming the module and hook', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const [failed, fine] = await Promise.all([
      client.callTool({ name: 'priced-lookup', arguments: { key: 'boom' } }),
      client.callTool({ name: 'priced-lookup', arguments: { key: 'ok' } }),
    ]);
    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toBe('Hook preMcpToolCall in ./throwing.mjs failed: pre hook exploded');
    expect(contents(fine)[0]).toBe('value of ok');
    expect(counting.calls).toEqual([{ name: 'lookup', arguments: { key: 'ok' } }]);
  });

  it('the hooks run for tool calls an LLM agent loop makes too (same hub path)', async () => {
    const tools = [{ type: 'mcp', server_label: 'priced', server_url: 'litellm_proxy/mcp/priced', allowed_tools: ['lookup'], require_approval: 'never' }];
    const completion = await gatehouse
      .client('sk-anything')
      .chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'look up "forbidden"' }], tools: tools as never });
    expect(completion.choices[0].message.content).toBeTruthy();
    expect(counting.calls).toEqual([]);
    expect(toolRecords(gatehouse.records)).toMatchObject([{ model: 'MCP: priced/lookup', cost: 0, status: 'failure' }]);
  });
});

describe('loading callbacks: modules', () => {
  it.each([
    ['./broken.mjs', 'callbacks[0]: cannot load hook module "./broken.mjs": this module fails while loading'],
    ['./no-hooks.mjs', 'callbacks[0]: hook module "./no-hooks.mjs" exports none of preMcpToolCall, postMcpToolCall, postLlmCall'],
    ['./missing.mjs', 'callbacks[0]: cannot load hook module "./missing.mjs"'],
    ['custom_mcp_hook.custom_mcp_cost_tracker', 'callbacks[0]: "custom_mcp_hook.custom_mcp_cost_tracker" is not a module file'],
  ])('refuses to start with %s, naming it', async (path, message) => {
    await expect(startSpendGatehouse(`${MODELS}\ncallbacks: ["${path}"]\n`)).rejects.toThrow(message);
  });

  it('postLlmCall: a throwing hook becomes hook_failed naming the module', async () => {
    const hooks = new Hooks(await loadHooks(parseConfig(`${MODELS}\ncallbacks: [./throwing.mjs]\n`, HOOKS_CONFIG_SOURCE, {})));
    expect(hooks.postLlm).toBe(true);
    const record = {
      requestId: 'r1',
      callType: 'chat_completion' as const,
      model: 'explode',
      promptTokens: 1,
      completionTokens: 1,
      totalTokens: 2,
      cost: 0,
      startTime: new Date(),
      endTime: new Date(),
      status: 'success' as const,
    };
    const failure = await hooks.postLlmCall({ record }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HookFailedError);
    expect(failure).toMatchObject({ status: 500, code: 'hook_failed', message: 'Hook postLlmCall in ./throwing.mjs failed: post LLM hook exploded' });
    await expect(hooks.postLlmCall({ record: { ...record, model: 'fine' } })).resolves.toBeUndefined();
  });
});

describe('postLlmCall over HTTP', () => {
  let llm: SpendGatehouse;
  const seen = () => ((globalThis as { __gatehousePostLlmRecords?: { requestId: string; model: string; status: string }[] }).__gatehousePostLlmRecords ??= []);

  beforeAll(async () => {
    llm = await startSpendGatehouse(`${MODELS}
  - model_name: explode
    litellm_params: { model: mock/demo }
callbacks: [./throwing.mjs, ./post-llm.mjs]
`);
  });
  afterAll(() => llm?.close());

  it('sees each completed request’s record; a throwing one is logged and does not fail the answer', async () => {
    const ok = await llm.client('sk-any').chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const okId = ok.response.headers.get('x-request-id');
    await waitUntil(() => seen().some((record) => record.requestId === okId), 'the hook to see the request');
    expect(seen().find((record) => record.requestId === okId)).toMatchObject({ model: 'demo', status: 'success' });

    const exploding = await llm.client('sk-any').chat.completions.create({ model: 'explode', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(exploding.data.choices[0].message.role).toBe('assistant');
    const explodingId = exploding.response.headers.get('x-request-id') ?? '';
    await waitUntil(() => llm.logs.some((line) => line.includes('postLlmCall hook failed') && line.includes(explodingId)), 'the failure to be logged');
  });
});
