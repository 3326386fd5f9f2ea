/**
 * Issue #4 (points 2, 3, 4-chat, 5-chat, 7): `type: "mcp"` tools in /v1/chat/completions, through the official
 * `openai` client over real HTTP, with real MCP upstreams (server-everything, the recording server, a counting
 * server) behind the hub, and both the `demo` mock model and a scripted OpenAI-wire model.
 */
import type OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMcpToolCall } from '../../src/llm/chat-mcp-extension.js';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { freePort, startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest, type UpstreamReply } from '../fixtures/openai-upstream.js';
import { SCRIPTED_USAGE, scriptedReply, toolMessages, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

type Extended = ChatCompletionMessage & { mcp_tool_calls: ChatMcpToolCall[]; mcp_limit_reached?: string };

const ext = (message: ChatCompletionMessage) => message as Extended;
const withoutIds = (entries: ChatMcpToolCall[]) => entries.map(({ id: _id, ...rest }) => rest);
const mcp = (...tools: Record<string, unknown>[]) => tools.map((tool) => ({ type: 'mcp', ...tool })) as unknown as ChatCompletionTool[];

let gatehouse: RunningGatehouse;
let limited: RunningGatehouse;
let upstream: OpenAIUpstream;
let everything: RunningEverything;
let counting: CountingServer;
let recording: RecordingServer;
let script: (request: RecordedRequest) => ScriptedTurn = () => ({ content: 'unscripted' });

const models = () => `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
`;

beforeAll(async () => {
  [everything, counting, recording] = await Promise.all([
    startEverything('streamableHttp'),
    startCountingServer({ delayMs: 150 }),
    startRecordingServer(),
  ]);
  upstream = await startOpenAIUpstream((request): UpstreamReply => scriptedReply(request, script(request)));
  const closedPort = await freePort();
  gatehouse = await startGatehouse(`${models()}
mcp_servers:
  every: { url: "${everything.url}" }
  count: { url: "${counting.url}" }
  rec: { url: "${recording.origin}/rec" }
  dead: { url: "http://127.0.0.1:${closedPort}/mcp" }
`);
  limited = await startGatehouse(`${models()}
general_settings:
  mcp_max_tool_rounds: 2
  mcp_call_timeout: 1
mcp_servers:
  count: { url: "${counting.url}" }
`);
}, 30_000);

afterAll(async () => {
  await Promise.all([gatehouse?.close(), limited?.close()]);
  await Promise.all([upstream?.close(), everything?.close(), counting?.close(), recording?.close()]);
});

beforeEach(() => {
  counting.reset();
  script = () => ({ content: 'unscripted' });
});

const toolCallsOf = (recorder: RecordingServer) => recorder.requests.filter((request) => request.rpcMethods.includes('tools/call'));

/** Non-streaming and `client.chat.completions.stream` for the same body. */
async function both(client: OpenAI, body: ChatCompletionCreateParamsNonStreaming): Promise<[ChatCompletion, ChatCompletion]> {
  const plain = await client.chat.completions.create(body);
  const streamed = await client.chat.completions
    .stream({ ...body, stream: true, stream_options: { include_usage: true } })
    .finalChatCompletion();
  return [plain, streamed];
}

function expectSameResult(plain: ChatCompletion, streamed: ChatCompletion): void {
  const [a, b] = [plain.choices[0], streamed.choices[0]];
  expect(b.finish_reason).toBe(a.finish_reason);
  expect(b.message.content).toBe(a.message.content);
  expect(b.message.tool_calls ?? []).toEqual(a.message.tool_calls ?? []);
  expect(withoutIds(ext(b.message).mcp_tool_calls)).toEqual(withoutIds(ext(a.message).mcp_tool_calls));
  expect(ext(b.message).mcp_limit_reached).toBe(ext(a.message).mcp_limit_reached);
  expect(streamed.usage).toEqual(plain.usage);
}

describe('the demo model with type: "mcp" tools', () => {
  const echo = mcp({ server_label: 'every', server_url: 'litellm_proxy/mcp/every', allowed_tools: ['echo'], require_approval: 'never' });

  it('require_approval "never": runs server-everything\'s echo and answers quoting its real output (issue #4 point 3)', async () => {
    const messages = [{ role: 'user' as const, content: 'Echo "hello gatehouse"' }];
    const [plain, streamed] = await both(gatehouse.client(), { model: 'demo', messages, tools: echo });
    const message = ext(plain.choices[0].message);
    expect(plain.choices[0].finish_reason).toBe('stop');
    expect(message.content).toContain('Echo: hello gatehouse');
    expect(message.tool_calls).toBeUndefined();
    expect(message.mcp_tool_calls).toHaveLength(1);
    expect(message.mcp_tool_calls[0]).toMatchObject({ server_label: 'every', name: 'echo', status: 'completed', output: 'Echo: hello gatehouse', error: null });
    expect(JSON.parse(message.mcp_tool_calls[0].arguments)).toEqual({ message: 'hello gatehouse' });
    expect(message.mcp_tool_calls[0].id).toMatch(/^mcp_/);
    expectSameResult(plain, streamed);
  });

  it('a read_only "never" filter runs a tool whose annotations say readOnlyHint', async () => {
    const tools = mcp({ server_label: 'every', server_url: 'litellm_proxy/mcp/every', allowed_tools: ['echo'], require_approval: { never: { read_only: true } } });
    const completion = await gatehouse.client().chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'Echo "filtered"' }], tools });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(ext(completion.choices[0].message).mcp_tool_calls[0]).toMatchObject({ status: 'completed', output: 'Echo: filtered' });
  });

  it("a tool's headers and authorization reach its gateway server as that server's per-request headers", async () => {
    const tools = mcp({
      server_label: 'rec',
      server_url: 'litellm_proxy/mcp/rec',
      allowed_tools: ['whoami'],
      require_approval: 'never',
      headers: { 'X-Trace': 'trace-1' },
      authorization: 'tok-1',
    });
    const completion = await gatehouse.client().chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'run whoami' }], tools });
    const [entry] = ext(completion.choices[0].message).mcp_tool_calls;
    expect(entry).toMatchObject({ name: 'whoami', status: 'completed' });
    const seen = JSON.parse(entry.output ?? '{}') as { authorization: string | null; headers: Record<string, string> };
    expect(seen.authorization).toBe('Bearer tok-1');
    expect(seen.headers['x-trace']).toBe('trace-1');
  });

  it('approval required (require_approval omitted): the call comes back as tool_calls and nothing runs (issue #4 point 3)', async () => {
    const before = toolCallsOf(recording).length;
    const tools = mcp({ server_label: 'rec', server_url: 'litellm_proxy/mcp/rec' });
    const [plain, streamed] = await both(gatehouse.client(), { model: 'demo', messages: [{ role: 'user', content: 'Please add 2 and 3' }], tools });
    const choice = plain.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    const call = choice.message.tool_calls![0];
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('rec__add');
    expect(JSON.parse(call.function.arguments)).toEqual({ a: 2, b: 3 });
    expect(ext(choice.message).mcp_tool_calls).toEqual([
      expect.objectContaining({ id: expect.stringMatching(/^mcpr_/), tool_call_id: call.id, server_label: 'rec', name: 'add', status: 'approval_required', output: null }),
    ]);
    expectSameResult(plain, streamed);
    expect(toolCallsOf(recording).length).toBe(before);
  });
});

/** Three rounds of two parallel `lookup` calls, then an answer quoting every result. */
function threeRoundsOfTwo(request: RecordedRequest): ScriptedTurn {
  const done = toolMessages(request).length;
  if (done >= 6) return { content: `Found: ${toolMessages(request).map((message) => message.content).join(', ')}` };
  return {
    calls: [done + 1, done + 2].map((n) => ({ id: `call_${n}`, name: 'count__lookup', arguments: JSON.stringify({ key: `k${n}` }) })),
  };
}

describe('a scripted OpenAI-wire model', () => {
  const lookup = mcp({ server_label: 'count', server_url: 'litellm_proxy/mcp/count', allowed_tools: ['lookup'], require_approval: 'never' });
  const ask = { model: 'scripted', messages: [{ role: 'user' as const, content: 'look up six keys' }], tools: lookup };

  it('three rounds of two parallel calls: all six run, two at a time at the upstream, usage summed over four rounds (issue #4 multi-round)', async () => {
    script = threeRoundsOfTwo;
    const first = upstream.requests.length;
    const completion = await gatehouse.client().chat.completions.create(ask);
    const message = ext(completion.choices[0].message);
    expect(message.content).toBe('Found: value of k1, value of k2, value of k3, value of k4, value of k5, value of k6');
    expect(counting.calls.map((call) => call.arguments.key).sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6']);
    expect(counting.maxInFlight).toBe(2);
    expect(message.mcp_tool_calls.map((entry) => [entry.tool_call_id, entry.status, entry.output])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [`call_${n}`, 'completed', `value of k${n}`]),
    );
    expect(completion.usage).toEqual({ prompt_tokens: 4 * 11, completion_tokens: 4 * 7, total_tokens: 4 * 18 });
    const sent = upstream.requests.slice(first);
    expect(sent).toHaveLength(4);
    // The model is offered the MCP tool as a function; no `type: "mcp"` entry reaches the upstream.
    expect(sent[0].body.tools).toEqual([
      { type: 'function', function: { name: 'count__lookup', description: 'Looks up the value stored under a key.', parameters: expect.objectContaining({ type: 'object' }) } },
    ]);
  });

  it('streams the same six calls and answer on one connection (issue #4 point 5, chat)', async () => {
    script = threeRoundsOfTwo;
    const [plain, streamed] = await both(gatehouse.client(), ask);
    expect(counting.calls).toHaveLength(12);
    expectSameResult(plain, streamed);
    expect(streamed.usage?.total_tokens).toBe(4 * SCRIPTED_USAGE.total_tokens);
  });

  it('the stream is one valid chunk sequence: one id, no MCP tool_call deltas, one finish chunk, summed usage, one [DONE]', async () => {
    script = threeRoundsOfTwo;
    const response = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.status).toBe(200);
    const frames = (await response.text()).split('\n\n').filter((frame) => frame !== '');
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(frames.filter((frame) => frame === 'data: [DONE]')).toHaveLength(1);
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.slice('data: '.length)) as ChatCompletionChunk);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    const choices = chunks.flatMap((chunk) => chunk.choices);
    expect(choices.filter((choice) => choice.finish_reason !== null).map((choice) => choice.finish_reason)).toEqual(['stop']);
    expect(choices.at(-1)?.finish_reason).toBe('stop');
    expect(choices.some((choice) => choice.delta.tool_calls !== undefined)).toBe(false);
    expect(choices.filter((choice) => choice.delta.role !== undefined)).toHaveLength(1);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 4 * 18 } });
  });

  it('the round cap stops a model that never stops calling, with finish_reason "length" (issue #4 multi-round)', async () => {
    script = (request) => ({ calls: [{ id: `call_${toolMessages(request).length + 1}`, name: 'count__lookup', arguments: '{"key":"again"}' }] });
    const first = upstream.requests.length;
    const [plain, streamed] = await both(limited.client(), ask);
    expect(upstream.requests.length - first).toBe(2 * 3);
    expect(counting.calls).toHaveLength(2 * 2);
    const message = ext(plain.choices[0].message);
    expect(plain.choices[0].finish_reason).toBe('length');
    expect(message.mcp_limit_reached).toBe('max_rounds');
    expect(message.tool_calls).toBeUndefined();
    expect(message.mcp_tool_calls).toHaveLength(2);
    expectSameResult(plain, streamed);
  });

  it('mixed MCP and client function tools: the client\'s call comes back, the MCP call runs when the client answers', async () => {
    const weather: ChatCompletionTool = {
      type: 'function',
      function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    };
    script = (request) => {
      const results = toolMessages(request);
      if (results.length > 0) return { content: results.map((result) => result.content).join(' | ') };
      return {
        calls: [
          { id: 'call_w', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'call_l', name: 'count__lookup', arguments: '{"key":"paris"}' },
        ],
      };
    };
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'weather and lookup' }], tools: [weather, ...lookup] };
    const [plain, streamed] = await both(gatehouse.client(), body);
    expectSameResult(plain, streamed);
    const message = plain.choices[0].message;
    expect(plain.choices[0].finish_reason).toBe('tool_calls');
    expect(message.tool_calls?.map((call) => (call.type === 'function' ? call.function.name : ''))).toEqual(['get_weather', 'count__lookup']);
    expect(ext(message).mcp_tool_calls).toEqual([expect.objectContaining({ tool_call_id: 'call_l', status: 'deferred', id: null })]);
    expect(counting.calls).toHaveLength(0);

    const next = await gatehouse.client().chat.completions.create({
      ...body,
      messages: [...body.messages, message, { role: 'tool', tool_call_id: 'call_w', content: 'Sunny' }],
    });
    expect(next.choices[0].message.content).toBe('Sunny | value of paris');
    expect(counting.calls).toEqual([{ name: 'lookup', arguments: { key: 'paris' } }]);
    expect(ext(next.choices[0].message).mcp_tool_calls).toEqual([expect.objectContaining({ tool_call_id: 'call_l', status: 'completed' })]);
  });
});

describe('bad input (issue #4 point 7)', () => {
  const create = (tools: ChatCompletionTool[], options: { stream?: boolean } = {}) => {
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'hi' }], tools };
    const client = gatehouse.client();
    return options.stream ? client.chat.completions.create({ ...body, stream: true }) : client.chat.completions.create(body);
  };
  const complete = (tools: ChatCompletionTool[]) =>
    gatehouse.client().chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }], tools });

  async function rejection(run: () => Promise<unknown>): Promise<{ status: number; error: { message: string; param: string | null; code: string } }> {
    const first = upstream.requests.length;
    const error = (await run().then(
      () => undefined,
      (caught: unknown) => caught,
    )) as { status: number; error: { message: string; param: string | null; code: string } } | undefined;
    if (!error) throw new Error('expected the request to fail');
    // Refused before any model call.
    expect(upstream.requests.length).toBe(first);
    return error;
  }

  it('an unknown server in server_url is a 404 naming it', async () => {
    const error = await rejection(() => create(mcp({ server_label: 'x', server_url: 'litellm_proxy/mcp/nope', require_approval: 'never' })));
    expect(error.status).toBe(404);
    expect(error.error).toMatchObject({ code: 'mcp_server_not_found', param: 'tools[0].server_url' });
    expect(error.error.message).toContain('"nope"');
  });

  it('a malformed require_approval or allowed_tools is a 400 naming the field', async () => {
    const approval = await rejection(() => create(mcp({ server_label: 'c', server_url: 'litellm_proxy/mcp/count', require_approval: 'sometimes' })));
    expect(approval.status).toBe(400);
    expect(approval.error.param).toBe('tools[0].require_approval');
    const allowed = await rejection(() =>
      create([{ type: 'function', function: { name: 'f' } }, ...mcp({ server_label: 'c', server_url: 'litellm_proxy/mcp/count', allowed_tools: { tool_names: 'lookup' } })]),
    );
    expect(allowed.status).toBe(400);
    expect(allowed.error.param).toBe('tools[1].allowed_tools');
  });

  it('a server that cannot list its tools is a 424 naming the server_label, streaming or not', async () => {
    const tools = mcp({ server_label: 'gone', server_url: 'litellm_proxy/mcp/dead', require_approval: 'never' });
    for (const stream of [false, true]) {
      const error = await rejection(() => create(tools, { stream }));
      expect(error.status).toBe(424);
      expect(error.error.code).toBe('mcp_tool_list_failed');
      expect(error.error.message).toContain("MCP server 'gone'");
      expect(error.error.param).toBe('tools[0]');
    }
  });

  const lookup = mcp({ server_label: 'count', server_url: 'litellm_proxy/mcp/count', require_approval: 'never' });

  it('a call to a tool that does not exist, non-JSON or schema-invalid arguments go back to the model as tool errors', async () => {
    script = (request) => {
      if (toolMessages(request).length > 0) return { content: toolMessages(request).map((message) => message.content).join('\n') };
      return {
        calls: [
          { id: 'call_a', name: 'count__nope', arguments: '{}' },
          { id: 'call_b', name: 'count__lookup', arguments: '{not json' },
          { id: 'call_c', name: 'count__lookup', arguments: '{"key": 5}' },
        ],
      };
    };
    const completion = await complete(lookup);
    const answer = completion.choices[0].message.content ?? '';
    expect(answer).toContain('there is no tool named "count__nope"');
    expect(answer).toContain('not valid JSON');
    expect(answer).toContain("do not match the tool's input schema: /key must be string");
    expect(counting.calls).toHaveLength(0);
    expect(ext(completion.choices[0].message).mcp_tool_calls.map((entry) => [entry.tool_call_id, entry.status, (entry.error as { code?: number } | null)?.code])).toEqual([
      ['call_b', 'failed', -32602],
      ['call_c', 'failed', -32602],
    ]);
  });

  it('a tool that hangs ends with a timeout error the model sees, and the loop goes on', async () => {
    script = (request) =>
      toolMessages(request).length > 0 ? { content: toolMessages(request)[0].content } : { calls: [{ id: 'call_h', name: 'count__hang', arguments: '{}' }] };
    const completion = await limited
      .client()
      .chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hang' }], tools: lookup });
    expect(completion.choices[0].message.content).toContain('did not answer within 1 s');
    expect(ext(completion.choices[0].message).mcp_tool_calls[0]).toMatchObject({ status: 'failed', error: { type: 'mcp_protocol_error', code: -32001 } });
  });
});
