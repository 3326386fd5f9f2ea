/**
 * Issue #7 (part 2, point 1): MCP tool calls are priced in the hub — `tool_name_to_cost_per_query`, else
 * `default_cost_per_query`, else 0 — and recorded as `call_mcp_tool` spend records, for /mcp (MCP SDK client) and
 * for `litellm_proxy` tools inside an agent loop (openai client), where they are children of the LLM request and
 * their cost is part of its total. Records are observed through AppDeps.spendSink; upstreams are real fixtures.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest } from '../fixtures/openai-upstream.js';
import { scriptedReply, toolMessages, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startSpendGatehouse, toolRecords, type SpendGatehouse } from '../fixtures/hooks/spend-gatehouse.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

/** 2^-7 per token: every sum below is exact in binary floating point. */
const PER_TOKEN = 0.0078125;

let gatehouse: SpendGatehouse;
let counting: CountingServer;
let upstream: OpenAIUpstream;
let script: (request: RecordedRequest) => ScriptedTurn = () => ({ content: 'unscripted' });
const downstream = new DownstreamClients();

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  upstream = await startOpenAIUpstream((request) => scriptedReply(request, script(request)));
  gatehouse = await startSpendGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
    model_info: { input_cost_per_token: ${PER_TOKEN}, output_cost_per_token: ${PER_TOKEN} }
mcp_servers:
  priced:
    url: "${counting.url}"
    mcp_info:
      mcp_server_cost_info:
        default_cost_per_query: 0.5
        tool_name_to_cost_per_query: { lookup: 0.25 }
  flat:
    url: "${counting.url}"
    mcp_info: { mcp_server_cost_info: { default_cost_per_query: 0.125 } }
  free:
    url: "${counting.url}"
`);
}, 30_000);

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await Promise.all([counting?.close(), upstream?.close()]);
});

beforeEach(() => {
  gatehouse.records.length = 0;
  counting.reset();
});

describe('tool-call pricing in the hub', () => {
  it('prices /mcp tool calls by tool_name_to_cost_per_query, else default_cost_per_query, else 0', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    for (const name of ['priced-lookup', 'flat-lookup', 'free-lookup']) {
      const result = await client.callTool({ name, arguments: { key: name } });
      expect(textOf(result)).toBe(`value of ${name}`);
    }
    const records = toolRecords(gatehouse.records);
    expect(records.map(({ model, cost, status, callType }) => ({ model, cost, status, callType }))).toEqual([
      { model: 'MCP: priced/lookup', cost: 0.25, status: 'success', callType: 'call_mcp_tool' },
      { model: 'MCP: flat/lookup', cost: 0.125, status: 'success', callType: 'call_mcp_tool' },
      { model: 'MCP: free/lookup', cost: 0, status: 'success', callType: 'call_mcp_tool' },
    ]);
    for (const record of records) {
      expect(record.parentRequestId).toBeUndefined();
      expect(record.keyHash).toBeUndefined();
      expect(new Set(records.map((each) => each.requestId)).size).toBe(3);
      expect(record.endTime.getTime()).toBeGreaterThanOrEqual(record.startTime.getTime());
    }
  });

  it('prices the REST mirror the same way (one place: the hub)', async () => {
    const response = await fetch(`${gatehouse.origin}/mcp-rest/tools/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'priced-lookup', arguments: { key: 'rest' } }),
    });
    expect(response.status).toBe(200);
    expect(toolRecords(gatehouse.records).map(({ model, cost }) => ({ model, cost }))).toEqual([{ model: 'MCP: priced/lookup', cost: 0.25 }]);
  });

  it('an agent loop (2 LLM rounds, 3 tool calls on priced servers) records each call as a child of the LLM request, and the request total includes them (issue #7 acceptance 1)', async () => {
    script = (request) =>
      toolMessages(request).length > 0
        ? { content: 'done' }
        : {
            calls: [
              { id: 'call_1', name: 'priced__lookup', arguments: '{"key":"a"}' },
              { id: 'call_2', name: 'priced__lookup', arguments: '{"key":"b"}' },
              { id: 'call_3', name: 'flat__lookup', arguments: '{"key":"c"}' },
            ],
          };
    const tools = [
      { type: 'mcp', server_label: 'priced', server_url: 'litellm_proxy/mcp/priced', require_approval: 'never' },
      { type: 'mcp', server_label: 'flat', server_url: 'litellm_proxy/mcp/flat', require_approval: 'never' },
    ] as unknown as ChatCompletionTool[];
    const { data, response } = await gatehouse
      .client('sk-anything')
      .chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'look up a, b and c' }], tools })
      .withResponse();
    expect(data.choices[0].message.content).toBe('done');
    expect(counting.calls).toHaveLength(3);

    const tools3 = toolRecords(gatehouse.records);
    const llm = gatehouse.records.filter((record) => record.callType === 'chat_completion');
    expect(llm).toHaveLength(1);
    expect(tools3.map((record) => record.model).sort()).toEqual(['MCP: flat/lookup', 'MCP: priced/lookup', 'MCP: priced/lookup']);
    expect(tools3.map((record) => record.cost).sort()).toEqual([0.125, 0.25, 0.25]);
    for (const record of tools3) expect(record.parentRequestId).toBe(llm[0].requestId);
    // Two rounds of the scripted usage (11 + 7 tokens each) at 2^-7 per token, plus 0.625 of tools. The LLM row holds
    // the LLM part and each tool row its own, so the stored rows sum to the header without counting a tool twice.
    const expected = 2 * 18 * PER_TOKEN + 0.625;
    expect(llm[0].cost).toBe(2 * 18 * PER_TOKEN);
    expect(gatehouse.records.reduce((sum, record) => sum + record.cost, 0)).toBe(expected);
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBe(expected);
  });

  it('a tool call the client cancels before the upstream answers is not charged', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp');
    const result = await client.callTool({ name: 'priced-hang', arguments: {} }, undefined, { timeout: 200 }).catch((error: unknown) => error);
    // The client gave up (its own timeout); the hub's call is cancelled with it and nothing is charged for it.
    expect(result).toBeInstanceOf(Error);
    expect(toolRecords(gatehouse.records).filter((record) => record.cost > 0)).toEqual([]);
  });
});
