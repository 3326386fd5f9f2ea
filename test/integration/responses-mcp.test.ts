/**
 * Issue #4 points 2–5 on /v1/responses: `type: "mcp"` tools through the tool loop, on the `demo` model and on scripted
 * OpenAI-wire and Anthropic-wire models, with real MCP upstreams behind the hub: `mcp_list_tools`, `mcp_call` and a
 * final message, streamed with OpenAI's events; approvals continued statefully and statelessly, each call run once;
 * a listing failure as 424 or `response.mcp_list_tools.failed`; mixed MCP and client function tools; the round cap.
 */
import type { ResponseCreateParamsNonStreaming, ResponseInputItem, ResponseOutputItem, Tool } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  buildMessage,
  events,
  sse,
  startAnthropicUpstream,
  textBlock,
  textStream,
  toolUseBlock,
  type AnthropicUpstream,
} from '../fixtures/anthropic-upstream.js';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { freePort, startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest } from '../fixtures/openai-upstream.js';
import { scriptedReply, toolMessages, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { both, streamed } from './responses-streams.js';

const mcp = (tool: Record<string, unknown>) => ({ type: 'mcp', ...tool }) as Tool.Mcp;
const ECHO = mcp({ server_label: 'every', server_url: 'litellm_proxy/mcp/every', allowed_tools: ['echo'], require_approval: 'never' });
const LOOKUP = mcp({ server_label: 'count', server_url: 'litellm_proxy/mcp/count', allowed_tools: ['lookup'], require_approval: 'never' });
const WEATHER: Tool = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: null };

let gatehouse: RunningGatehouse;
let limited: RunningGatehouse;
let openai: OpenAIUpstream;
let anthropic: AnthropicUpstream;
let everything: RunningEverything;
let counting: CountingServer;
let recording: RecordingServer;
let script: (request: RecordedRequest) => ScriptedTurn = () => ({ content: 'unscripted' });

beforeAll(async () => {
  [everything, counting, recording] = await Promise.all([startEverything('streamableHttp'), startCountingServer({ delayMs: 50 }), startRecordingServer()]);
  openai = await startOpenAIUpstream((request) => scriptedReply(request, script(request)));
  // Anthropic-wire: call every__echo until a tool_result is in the conversation, then answer with it.
  anthropic = await startAnthropicUpstream((request) => {
    const messages = (request.body as { messages: { content: unknown }[] }).messages;
    const result = JSON.stringify(messages).match(/"tool_result".*?"content":"([^"]*)"/)?.[1];
    const streaming = (request.body as { stream?: boolean }).stream === true;
    if (result !== undefined) {
      const text = `Claude heard: ${result}`;
      return streaming ? { kind: 'stream', events: textStream([text], { deltaUsage: { output_tokens: 5 } }) } : { kind: 'message', message: buildMessage({ content: [textBlock(text)] }) };
    }
    if (!streaming) {
      return { kind: 'message', message: buildMessage({ content: [toolUseBlock('toolu_1', 'every__echo', { message: 'from claude' })], stop_reason: 'tool_use' }) };
    }
    const call = [events.toolUseStart(0, 'toolu_1', 'every__echo'), events.jsonDelta(0, '{"message":"from claude"}'), events.blockStop(0)];
    return { kind: 'stream', events: sse(events.messageStart(), ...call, events.messageDelta('tool_use', { output_tokens: 5 }), events.messageStop()) };
  });
  const closedPort = await freePort();
  const models = `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${openai.url}", api_key: sk-fixture, use_chat_completions_api: true }
  - model_name: claude
    litellm_params: { model: anthropic/claude-sonnet-4-6, api_base: "${anthropic.url}", api_key: sk-ant-fixture }
router_settings: { num_retries: 0 }
`;
  gatehouse = await startGatehouse(`${models}
mcp_servers:
  every: { url: "${everything.url}" }
  count: { url: "${counting.url}" }
  rec: { url: "${recording.origin}/rec" }
  dead: { url: "http://127.0.0.1:${closedPort}/mcp" }
`);
  limited = await startGatehouse(`${models}
general_settings: { mcp_max_tool_rounds: 1 }
mcp_servers:
  count: { url: "${counting.url}" }
`);
}, 30_000);

afterAll(async () => {
  await Promise.all([gatehouse?.close(), limited?.close()]);
  await Promise.all([openai?.close(), anthropic?.close(), everything?.close(), counting?.close(), recording?.close()]);
});

beforeEach(() => {
  counting.reset();
  script = () => ({ content: 'unscripted' });
});

const types = (output: readonly { type: string }[]) => output.map((item) => item.type);
const mcpCall = (output: readonly ResponseOutputItem[]) => output.find((item): item is ResponseOutputItem.McpCall => item.type === 'mcp_call');
const addCalls = () => recording.requests.filter((request) => request.rpcMethods.includes('tools/call')).length;

describe('type: "mcp" tools, require_approval "never"', () => {
  it('demo model: mcp_list_tools, mcp_call with the real upstream output, then the answer; streamed the same (issue #4 acceptance)', async () => {
    const body: ResponseCreateParamsNonStreaming = { model: 'demo', input: 'Echo "hello gatehouse"', tools: [ECHO] };
    const { plain, events: streamEvents } = await both(gatehouse.client(), body);
    expect(types(plain.output)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(plain.output[0]).toMatchObject({ type: 'mcp_list_tools', server_label: 'every', tools: [expect.objectContaining({ name: 'echo', input_schema: expect.objectContaining({ type: 'object' }) })] });
    expect(plain.output[0].id).toMatch(/^mcpl_/);
    expect(mcpCall(plain.output)).toMatchObject({
      server_label: 'every',
      name: 'echo',
      arguments: '{"message":"hello gatehouse"}',
      output: 'Echo: hello gatehouse',
      error: null,
      status: 'completed',
      approval_request_id: null,
    });
    expect(mcpCall(plain.output)?.id).toMatch(/^mcp_/);
    expect(plain.output_text).toContain('Echo: hello gatehouse');
    expect(plain.status).toBe('completed');
    expect(plain.usage?.total_tokens).toBeGreaterThan(0);
    const mcpEvents = streamEvents.map((event) => event.type).filter((type) => type.includes('mcp'));
    expect(mcpEvents).toEqual([
      'response.mcp_list_tools.in_progress',
      'response.mcp_list_tools.completed',
      'response.mcp_call.in_progress',
      'response.mcp_call_arguments.delta',
      'response.mcp_call_arguments.done',
      'response.mcp_call.completed',
    ]);
    // The echoed tool keeps no credentials: OpenAI does not return an mcp tool's headers or authorization.
    expect(plain.tools[0]).toEqual({ type: 'mcp', server_label: 'every', server_url: 'litellm_proxy/mcp/every', allowed_tools: ['echo'], require_approval: 'never' });
  });

  it('does not list a server again when the conversation already holds its mcp_list_tools', async () => {
    const client = gatehouse.client();
    const first = await client.responses.create({ model: 'demo', input: 'Echo "one"', tools: [ECHO] });
    const second = await client.responses.create({ model: 'demo', input: 'Echo "two"', tools: [ECHO], previous_response_id: first.id });
    expect(types(second.output)).toEqual(['mcp_call', 'message']);
    expect(mcpCall(second.output)?.output).toBe('Echo: two');
  });

  it('OpenAI-wire model: the MCP tool is offered as a function, its call runs, and the next round answers', async () => {
    script = (request) =>
      toolMessages(request).length === 0
        ? { calls: [{ id: 'call_1', name: 'every__echo', arguments: '{"message":"scripted"}' }] }
        : { content: `Heard: ${toolMessages(request)[0].content}` };
    const { plain } = await both(gatehouse.client(), { model: 'scripted', input: 'echo something', tools: [ECHO] });
    expect(types(plain.output)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(plain.output_text).toBe('Heard: Echo: scripted');
    expect((openai.requests.at(-1)?.body.tools as { function: { name: string } }[]).map((tool) => tool.function.name)).toEqual(['every__echo']);
  });

  it('Anthropic-wire model: the same loop over tool_use / tool_result', async () => {
    const { plain } = await both(gatehouse.client(), { model: 'claude', input: 'echo something', tools: [ECHO] });
    expect(types(plain.output)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    expect(mcpCall(plain.output)).toMatchObject({ output: 'Echo: from claude', status: 'completed' });
    expect(plain.output_text).toBe('Claude heard: Echo: from claude');
  });

  it('mixed tools: the MCP call runs, the client function call comes back, and function_call_output continues', async () => {
    const client = gatehouse.client();
    script = (request) =>
      toolMessages(request).length === 0
        ? { calls: [{ id: 'call_m', name: 'count__lookup', arguments: '{"key":"a"}' }, { id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] }
        : { content: `Got ${toolMessages(request).map((message) => message.content).join(' and ')}` };
    const first = await client.responses.create({ model: 'scripted', input: 'both', tools: [LOOKUP, WEATHER] });
    expect(types(first.output)).toEqual(['mcp_list_tools', 'function_call', 'mcp_call']);
    expect(counting.calls).toHaveLength(1);
    const second = await client.responses.create({
      model: 'scripted',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_w', output: 'Snow' }],
      tools: [LOOKUP, WEATHER],
    });
    expect(second.output_text).toBe('Got value of a and Snow');
    expect(counting.calls).toHaveLength(1);
  });

  it('the round cap stops a model that never stops calling, as an incomplete response', async () => {
    script = (request) => ({ calls: [{ id: `call_${toolMessages(request).length}`, name: 'count__lookup', arguments: '{"key":"k"}' }] });
    const { plain, events: streamEvents } = await both(limited.client(), { model: 'scripted', input: 'loop forever', tools: [LOOKUP] });
    expect(plain).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_tool_calls' } });
    expect(streamEvents.at(-1)?.type).toBe('response.incomplete');
  });
});

describe('approvals', () => {
  const ADD = mcp({ server_label: 'rec', server_url: 'litellm_proxy/mcp/rec', allowed_tools: ['add'], require_approval: 'always' });
  const approval = (id: string, approve: boolean): ResponseInputItem => ({ type: 'mcp_approval_response', approval_request_id: id, approve });

  it('stops with an mcp_approval_request and runs nothing; the stream shows it as item added/done only', async () => {
    const before = addCalls();
    const { plain, events: streamEvents } = await both(gatehouse.client(), { model: 'demo', input: 'Please add 2 and 3', tools: [ADD] });
    expect(types(plain.output)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    expect(plain.status).toBe('completed');
    expect(plain.output[1]).toMatchObject({ server_label: 'rec', name: 'add', arguments: '{"a":2,"b":3}' });
    expect(plain.output[1].id).toMatch(/^mcpr_/);
    expect(streamEvents.filter((event) => event.type.startsWith('response.output_item')).slice(-2).map((event) => event.type)).toEqual([
      'response.output_item.added',
      'response.output_item.done',
    ]);
    expect(addCalls()).toBe(before);
  });

  it('stateful: approving runs the call once, with approval_request_id, and the model answers; approving again runs nothing', async () => {
    const client = gatehouse.client();
    const asked = await client.responses.create({ model: 'demo', input: 'Please add 2 and 3', tools: [ADD] });
    const requestId = asked.output[1].id!;
    const before = addCalls();
    const approved = await client.responses.create({ model: 'demo', previous_response_id: asked.id, input: [approval(requestId, true)], tools: [ADD] });
    expect(types(approved.output)).toEqual(['mcp_call', 'message']);
    expect(mcpCall(approved.output)).toMatchObject({ name: 'add', approval_request_id: requestId, status: 'completed', output: '5' });
    expect(approved.output_text).toContain('5');
    expect(addCalls()).toBe(before + 1);
    await client.responses.create({ model: 'demo', previous_response_id: approved.id, input: [approval(requestId, true)], tools: [ADD] });
    expect(addCalls()).toBe(before + 1);
  });

  it('stateless (store: false): the replayed items continue it, and the call runs once', async () => {
    const client = gatehouse.client();
    const asked = await client.responses.create({ model: 'demo', input: 'Please add 2 and 3', tools: [ADD], store: false });
    const before = addCalls();
    const replay = [{ role: 'user', content: 'Please add 2 and 3' }, ...asked.output, approval(asked.output[1].id!, true)] as ResponseInputItem[];
    const approved = await client.responses.create({ model: 'demo', input: replay, tools: [ADD], store: false });
    expect(mcpCall(approved.output)).toMatchObject({ approval_request_id: asked.output[1].id, output: '5' });
    expect(addCalls()).toBe(before + 1);
    const again = [...replay, ...approved.output, approval(asked.output[1].id!, true)] as ResponseInputItem[];
    await client.responses.create({ model: 'demo', input: again, tools: [ADD], store: false });
    expect(addCalls()).toBe(before + 1);
  });

  it('declining runs nothing and the model is told', async () => {
    const client = gatehouse.client();
    const asked = await client.responses.create({ model: 'demo', input: 'Please add 2 and 3', tools: [ADD] });
    const before = addCalls();
    const declined = await client.responses.create({ model: 'demo', previous_response_id: asked.id, input: [approval(asked.output[1].id!, false)], tools: [ADD] });
    expect(types(declined.output)).toEqual(['message']);
    expect(declined.output_text).toContain('declined');
    expect(addCalls()).toBe(before);
  });

  it('an approval response with no matching request is a 400 naming it', async () => {
    await expect(
      gatehouse.client().responses.create({ model: 'demo', input: [approval('mcpr_nope', true)], tools: [ADD] }),
    ).rejects.toMatchObject({ status: 400, param: 'input[0].approval_request_id' });
  });
});

describe('a server that cannot list its tools', () => {
  const DEAD = mcp({ server_label: 'dead', server_url: 'litellm_proxy/mcp/dead', require_approval: 'never' });

  it('is a 424 naming the server_label without streaming', async () => {
    await expect(gatehouse.client().responses.create({ model: 'demo', input: 'hi', tools: [DEAD] })).rejects.toMatchObject({
      status: 424,
      code: 'mcp_tool_list_failed',
      message: expect.stringContaining("'dead'"),
    });
  });

  it('streams response.mcp_list_tools.failed, the item with its error, then response.failed', async () => {
    const { final, events: streamEvents } = await streamed(gatehouse.client(), { model: 'demo', input: 'hi', tools: [DEAD] });
    expect(streamEvents.map((event) => event.type)).toContain('response.mcp_list_tools.failed');
    expect(final.status).toBe('failed');
    expect(final.error?.message).toContain("'dead'");
    expect(final.output).toEqual([expect.objectContaining({ type: 'mcp_list_tools', server_label: 'dead', tools: [], error: expect.any(String) })]);
  });
});
