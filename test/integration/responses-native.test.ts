/**
 * Issue #4 point 1, native path: `openai/…` deployments get /v1/responses sent to the upstream's own `/responses`
 * (LiteLLM's rule: other OpenAI-compatible prefixes are bridged through chat unless `model_info.supported_endpoints`
 * lists `/v1/responses`; `use_chat_completions_api: true` bridges an `openai/` one). The fixture records what it was
 * sent: mcp tools swapped for function tools, the whole conversation as input with `store: false`, unknown fields
 * passed through, the deployment's key and never the proxy's. Output holds OpenAI's MCP items; streams pass the
 * upstream's events through, renumbered into one lifecycle.
 */
import type { ResponseInputItem, ResponseOutputItem, Tool } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { json, startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest, type UpstreamReply } from '../fixtures/openai-upstream.js';
import { SCRIPTED_RESPONSES_USAGE, scriptedReply, scriptedResponsesReply, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { both, streamed } from './responses-streams.js';

const mcp = (tool: Record<string, unknown>) => ({ type: 'mcp', ...tool }) as Tool.Mcp;
const ECHO = mcp({ server_label: 'every', server_url: 'litellm_proxy/mcp/every', allowed_tools: ['echo'], require_approval: 'never' });
const ADD = mcp({ server_label: 'rec', server_url: 'litellm_proxy/mcp/rec', allowed_tools: ['add'], require_approval: 'always' });
const WEATHER: Tool = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: null };
const MASTER_KEY = 'sk-master-native';

type Turn = ScriptedTurn & { reasoning?: boolean };

let gatehouse: RunningGatehouse;
let upstream: OpenAIUpstream;
let everything: RunningEverything;
let recording: RecordingServer;
let script: (request: RecordedRequest) => Turn = () => ({ content: 'unscripted' });
/** Replaces the scripted answer when set. */
let reply: ((request: RecordedRequest) => UpstreamReply) | undefined;

beforeAll(async () => {
  [everything, recording] = await Promise.all([startEverything('streamableHttp'), startRecordingServer()]);
  upstream = await startOpenAIUpstream((request) => {
    if (reply) return reply(request);
    return request.path.endsWith('/responses') ? scriptedResponsesReply(request, script(request)) : scriptedReply(request, script(request));
  });
  const entry = (name: string, model: string, extra = '') => `
  - model_name: ${name}
    litellm_params: { model: ${model}, api_base: "${upstream.url}", api_key: sk-upstream-fixture }${extra}`;
  gatehouse = await startGatehouse(`
model_list:${entry('native', 'openai/gpt-fixture')}${entry('vllm', 'hosted_vllm/gpt-fixture')}${entry(
    'vllm-native',
    'hosted_vllm/gpt-fixture',
    '\n    model_info: { supported_endpoints: ["/v1/chat/completions", "/v1/responses"] }',
  )}
  - model_name: bridged
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-upstream-fixture, use_chat_completions_api: true }
router_settings: { num_retries: 0 }
general_settings: { master_key: ${MASTER_KEY} }
mcp_servers:
  every: { url: "${everything.url}" }
  rec: { url: "${recording.origin}/rec" }
`);
}, 30_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([upstream?.close(), everything?.close(), recording?.close()]);
});

beforeEach(() => {
  script = () => ({ content: 'unscripted' });
  reply = undefined;
});

const client = () => gatehouse.client(MASTER_KEY);
const types = (output: readonly { type: string }[]) => output.map((item) => item.type);
const mcpCall = (output: readonly ResponseOutputItem[]) => output.find((item): item is ResponseOutputItem.McpCall => item.type === 'mcp_call');
const outputsOf = (request: RecordedRequest) =>
  ((request.body.input ?? []) as { type?: string; call_id?: string; output?: string }[]).filter((item) => item.type === 'function_call_output');
const responsesRequests = () => upstream.requests.filter((request) => request.path.endsWith('/responses'));
const addCalls = () => recording.requests.filter((request) => request.rpcMethods.includes('tools/call')).length;

describe('which deployments serve /v1/responses natively (LiteLLM rule)', () => {
  it('openai/ and an opted-in hosted_vllm/ go to /responses; hosted_vllm/ and use_chat_completions_api go through chat', async () => {
    script = () => ({ content: 'Hi.' });
    const paths: Record<string, string> = {};
    for (const model of ['native', 'vllm-native', 'vllm', 'bridged']) {
      await client().responses.create({ model, input: 'Hello' });
      paths[model] = upstream.requests.at(-1)!.path;
    }
    expect(paths).toEqual({
      native: '/v1/responses',
      'vllm-native': '/v1/responses',
      vllm: '/v1/chat/completions',
      bridged: '/v1/chat/completions',
    });
  });
});

describe('native /v1/responses without mcp tools', () => {
  it('forwards the request with unknown fields, store false and the deployment key, and returns the upstream items', async () => {
    script = () => ({ content: 'Bonjour.' });
    const response = await client().responses.create({
      model: 'native',
      instructions: 'Be French.',
      input: 'Hello',
      metadata: { ticket: '7' },
      tools: [WEATHER],
      // A field this proxy does not know goes upstream untouched.
      ...({ frobnicate: { level: 3 } } as object),
    });
    const sent = upstream.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-upstream-fixture');
    expect(JSON.stringify(sent)).not.toContain(MASTER_KEY);
    expect(sent.body).toEqual({
      model: 'gpt-fixture',
      instructions: 'Be French.',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello' }] }],
      metadata: { ticket: '7' },
      tools: [WEATHER],
      frobnicate: { level: 3 },
      store: false,
      stream: false,
    });
    expect(response.output_text).toBe('Bonjour.');
    expect(response.output[0].id).toMatch(/^msg_fixture/);
    expect(response.usage).toMatchObject({ input_tokens: 11, output_tokens: 7, total_tokens: 18 });
    expect(response.id).toMatch(/^resp_/);
    expect(response.id).not.toMatch(/fixture/);
  });

  it('continues a stored conversation by sending the whole input upstream (no previous_response_id)', async () => {
    script = () => ({ content: 'First answer.' });
    const first = await client().responses.create({ model: 'native', input: 'One' });
    script = () => ({ content: 'Second answer.' });
    await client().responses.create({ model: 'native', input: 'Two', previous_response_id: first.id });
    const sent = upstream.requests.at(-1)!.body;
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.store).toBe(false);
    expect(sent.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'One' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'First answer.', annotations: [], logprobs: [] }] },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Two' }] },
    ]);
  });

  it('streams the upstream events through with one lifecycle; the final response equals the non-streamed one', async () => {
    script = () => ({ content: 'Looking it up.', calls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const { plain, final, events } = await both(client(), { model: 'native', input: 'Weather?', tools: [WEATHER] });
    expect(types(final.output)).toEqual(['message', 'function_call']);
    expect(plain.output[1]).toMatchObject({ call_id: 'call_w', arguments: '{"city":"Oslo"}' });
    expect(events.filter((event) => event.type === 'response.created')).toHaveLength(1);
    expect(events.filter((event) => event.type === 'response.function_call_arguments.delta')).toHaveLength(2);
    expect(upstream.requests.at(-1)!.body.stream).toBe(true);
  });
});

describe('native upstream failures', () => {
  it('passes an upstream 400 through as an HTTP error', async () => {
    reply = () => json({ error: { message: 'Unsupported parameter: frobnicate', type: 'invalid_request_error', param: 'frobnicate', code: null } }, 400);
    await expect(client().responses.create({ model: 'native', input: 'x' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('frobnicate') });
  });

  it('ends the stream with response.failed when the upstream response fails mid-way, and stores it as failed', async () => {
    const running = { id: 'resp_up', object: 'response', status: 'in_progress', output: [] };
    const item = { id: 'msg_up', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    reply = () => ({
      kind: 'events',
      delayMs: 5,
      events: [
        { type: 'response.created', response: running },
        { type: 'response.output_item.added', output_index: 0, item },
        { type: 'response.failed', response: { ...running, status: 'failed', error: { code: 'server_error', message: 'upstream broke down' } } },
      ],
    });
    const events: { type: string }[] = [];
    const stream = client().responses.stream({ model: 'native', input: 'x' });
    stream.on('event', (event) => events.push(event));
    const final = await stream.finalResponse();
    expect(events.at(-1)?.type).toBe('response.failed');
    expect(final).toMatchObject({ status: 'failed', error: { code: 'server_error', message: expect.stringContaining('upstream broke down') } });
    expect((await client().responses.retrieve(final.id)).status).toBe('failed');
  });
});

describe('type: "mcp" tools on a native upstream (issue #4 acceptance point 1)', () => {
  const echoScript = (request: RecordedRequest): Turn => {
    const outputs = outputsOf(request);
    return outputs.length === 0
      ? { content: 'Let me echo.', calls: [{ id: 'call_e', name: 'every__echo', arguments: '{"message":"native hello"}' }] }
      : { content: `Heard: ${outputs[0].output}` };
  };

  it('mcp_list_tools, mcp_call with the real upstream output, then the answer; streamed the same; usage summed', async () => {
    script = echoScript;
    const before = responsesRequests().length;
    const { plain, events } = await both(client(), { model: 'native', input: 'echo something', tools: [ECHO] });
    expect(types(plain.output)).toEqual(['mcp_list_tools', 'message', 'mcp_call', 'message']);
    expect(mcpCall(plain.output)).toMatchObject({
      server_label: 'every',
      name: 'echo',
      arguments: '{"message":"native hello"}',
      output: 'Echo: native hello',
      status: 'completed',
      error: null,
      approval_request_id: null,
    });
    expect(plain.output_text).toBe('Let me echo.Heard: Echo: native hello');
    expect(plain.usage?.total_tokens).toBe(2 * SCRIPTED_RESPONSES_USAGE.total_tokens);
    expect(plain.tools).toEqual([ECHO]);
    // What the upstream saw: a function tool, never the mcp tool, and in round two the call and its real output.
    const [round1, round2] = responsesRequests().slice(before, before + 2);
    const tools = round1.body.tools as { type: string; name: string; strict: boolean }[];
    expect(tools).toEqual([expect.objectContaining({ type: 'function', name: 'every__echo', strict: false })]);
    expect(round2.body.input).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'echo something' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Let me echo.', annotations: [], logprobs: [] }] },
      { type: 'function_call', status: 'completed', call_id: 'call_e', name: 'every__echo', arguments: '{"message":"native hello"}' },
      { type: 'function_call_output', call_id: 'call_e', output: 'Echo: native hello' },
    ]);
    expect(events.map((event) => event.type).filter((type) => type.includes('mcp'))).toEqual([
      'response.mcp_list_tools.in_progress',
      'response.mcp_list_tools.completed',
      'response.mcp_call.in_progress',
      'response.mcp_call_arguments.delta',
      'response.mcp_call_arguments.done',
      'response.mcp_call.completed',
    ]);
  });

  it('a later turn sends the earlier mcp_call upstream as a function call and its output, and lists nothing again', async () => {
    script = echoScript;
    const first = await client().responses.create({ model: 'native', input: 'echo something', tools: [ECHO] });
    script = () => ({ content: 'Done.' });
    const second = await client().responses.create({ model: 'native', input: 'thanks', tools: [ECHO], previous_response_id: first.id });
    expect(types(second.output)).toEqual(['message']);
    const input = upstream.requests.at(-1)!.body.input as { type: string }[];
    expect(input.map((item) => item.type)).toEqual(['message', 'message', 'function_call', 'function_call_output', 'message', 'message']);
    expect(input.filter((item) => item.type.startsWith('mcp_'))).toEqual([]);
  });

  it('carries reasoning to the next round encrypted when the request asks for reasoning', async () => {
    script = (request) => ({ ...echoScript(request), reasoning: true });
    const before = responsesRequests().length;
    const response = await client().responses.create({ model: 'native', input: 'echo something', tools: [ECHO], reasoning: { effort: 'low' } });
    expect(types(response.output)).toEqual(['mcp_list_tools', 'reasoning', 'message', 'mcp_call', 'reasoning', 'message']);
    const [round1, round2] = responsesRequests().slice(before, before + 2);
    expect(round1.body.include).toEqual(['reasoning.encrypted_content']);
    expect((round2.body.input as { type: string; encrypted_content?: string }[])[1]).toMatchObject({ type: 'reasoning', encrypted_content: expect.stringMatching(/^enc:/) });
  });

  it('approvals: mcp_approval_request, then approve → executed once, as a function call + output upstream', async () => {
    script = (request) =>
      outputsOf(request).length === 0 ? { calls: [{ id: 'call_add', name: 'rec__add', arguments: '{"a":2,"b":3}' }] } : { content: `Sum ${outputsOf(request)[0].output}` };
    const asked = await client().responses.create({ model: 'native', input: 'add 2 and 3', tools: [ADD] });
    expect(types(asked.output)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    const requestId = asked.output[1].id!;
    const before = addCalls();
    const approval: ResponseInputItem = { type: 'mcp_approval_response', approval_request_id: requestId, approve: true };
    const { final } = await streamed(client(), { model: 'native', previous_response_id: asked.id, input: [approval], tools: [ADD] });
    expect(types(final.output)).toEqual(['mcp_call', 'message']);
    expect(mcpCall(final.output)).toMatchObject({ approval_request_id: requestId, output: '5' });
    expect(final.output_text).toBe('Sum 5');
    expect(addCalls()).toBe(before + 1);
    const input = upstream.requests.at(-1)!.body.input as { type: string; call_id?: string }[];
    expect(input.slice(-2)).toEqual([
      { type: 'function_call', call_id: requestId, name: 'rec__add', arguments: '{"a":2,"b":3}' },
      { type: 'function_call_output', call_id: requestId, output: '5' },
    ]);
  });
});
