/**
 * Issue #4 on /v1/responses over a scripted OpenAI-wire chat model: `item_reference` input items resolved against
 * the stored conversation; an approval answered together with a new user message (the approved call runs and its
 * result answers its own tool call, before the new message, as OpenAI orders it); and the bad-input cases of point 7
 * not covered elsewhere: a tool_choice naming an unknown server_label, an MCP upstream that answers garbage.
 */
import type { ResponseInputItem, ResponseOutputItem, Tool } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../fixtures/mcp/hostile-server.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest } from '../fixtures/openai-upstream.js';
import { scriptedReply, toolMessages, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { streamed } from './responses-streams.js';

const mcp = (tool: Record<string, unknown>) => ({ type: 'mcp', ...tool }) as Tool.Mcp;
const ADD = mcp({ server_label: 'rec', server_url: 'litellm_proxy/mcp/rec', allowed_tools: ['add'], require_approval: 'always' });
const HOSTILE = mcp({ server_label: 'hostile', server_url: 'litellm_proxy/mcp/hostile', require_approval: 'never' });

let gatehouse: RunningGatehouse;
let upstream: OpenAIUpstream;
let recording: RecordingServer;
let hostile: HostileServer;
let script: (request: RecordedRequest) => ScriptedTurn = () => ({ content: 'unscripted' });

beforeAll(async () => {
  [recording, hostile] = await Promise.all([startRecordingServer(), startHostileServer(1024)]);
  upstream = await startOpenAIUpstream((request) => scriptedReply(request, script(request)));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture, use_chat_completions_api: true }
router_settings: { num_retries: 0 }
mcp_servers:
  rec: { url: "${recording.origin}/rec" }
  hostile: { url: "${hostile.url}" }
`);
}, 30_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([upstream?.close(), recording?.close(), hostile?.close()]);
});

const client = () => gatehouse.client();
const types = (output: readonly { type: string }[]) => output.map((item) => item.type);
const lastMessages = () => upstream.requests.at(-1)!.body.messages as { role: string; content?: unknown; tool_call_id?: string }[];
const addCalls = () => recording.requests.filter((request) => request.rpcMethods.includes('tools/call')).length;

describe('item_reference input items', () => {
  it('resolve to the referenced items of the previous_response_id chain', async () => {
    script = () => ({ content: 'Noted.' });
    const first = await client().responses.create({ model: 'scripted', input: [{ role: 'user', content: 'Remember 42.' }] });
    const stored = await client().responses.inputItems.list(first.id);
    const userItemId = stored.data[0].id;
    script = () => ({ content: 'Again noted.' });
    await client().responses.create({
      model: 'scripted',
      previous_response_id: first.id,
      input: [{ type: 'item_reference', id: userItemId }, { type: 'item_reference', id: first.output[0].id }] as ResponseInputItem[],
    });
    expect(lastMessages().slice(-2)).toEqual([
      { role: 'user', content: 'Remember 42.' },
      { role: 'assistant', content: 'Noted.' },
    ]);
  });

  it('an unknown id is a 400 naming it, before any model call', async () => {
    const before = upstream.requests.length;
    await expect(
      client().responses.create({ model: 'scripted', input: [{ role: 'user', content: 'hi' }, { type: 'item_reference', id: 'msg_missing' }] as ResponseInputItem[] }),
    ).rejects.toMatchObject({ status: 400, param: 'input[1].id', message: expect.stringContaining("'msg_missing'") });
    expect(upstream.requests.length).toBe(before);
  });
});

describe('an approval answered together with a new user message', () => {
  it('runs the approved call once; its result follows its own tool call, before the new message; mcp_call precedes the answer', async () => {
    script = (request) =>
      toolMessages(request).length === 0 || lastMessages().length === 0
        ? { calls: [{ id: 'call_add', name: 'rec__add', arguments: '{"a":2,"b":3}' }] }
        : { content: `Sum ${toolMessages(request)[0].content}, and hello back.` };
    const asked = await client().responses.create({ model: 'scripted', input: 'add 2 and 3', tools: [ADD] });
    expect(types(asked.output)).toEqual(['mcp_list_tools', 'mcp_approval_request']);
    const requestId = asked.output[1].id!;
    const before = addCalls();
    const input = [
      { type: 'mcp_approval_response', approval_request_id: requestId, approve: true },
      { role: 'user', content: 'Also, hello!' },
    ] as ResponseInputItem[];
    const { final } = await streamed(client(), { model: 'scripted', previous_response_id: asked.id, input, tools: [ADD] });
    expect(types(final.output)).toEqual(['mcp_call', 'message']);
    expect(final.output[0]).toMatchObject({ approval_request_id: requestId, output: '5' });
    expect(addCalls()).toBe(before + 1);
    expect(lastMessages().map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    expect(lastMessages()[2]).toEqual({ role: 'tool', tool_call_id: requestId, content: '5' });
  });
});

describe('bad input (issue #4 point 7)', () => {
  it('a tool_choice naming an unknown server_label is a 400 before any model call', async () => {
    const before = upstream.requests.length;
    await expect(
      client().responses.create({ model: 'scripted', input: 'hi', tools: [ADD], tool_choice: { type: 'mcp', server_label: 'nope' } }),
    ).rejects.toMatchObject({ status: 400, param: 'tool_choice', message: expect.stringContaining("server_label 'nope'") });
    expect(upstream.requests.length).toBe(before);
  });

  it('an MCP upstream that answers garbage fails only that mcp_call; the model sees the error and answers', async () => {
    script = (request) =>
      toolMessages(request).length === 0
        ? { calls: [{ id: 'call_g', name: 'hostile__garbage', arguments: '{}' }] }
        : { content: `The tool failed: ${toolMessages(request)[0].content.slice(0, 40)}` };
    const response = await client().responses.create({ model: 'scripted', input: 'try it', tools: [HOSTILE] });
    expect(response.status).toBe('completed');
    expect(types(response.output)).toEqual(['mcp_list_tools', 'mcp_call', 'message']);
    const call = response.output[1] as ResponseOutputItem.McpCall;
    expect(call).toMatchObject({ name: 'garbage', status: 'failed', output: null });
    expect(JSON.stringify(call.error)).toContain('hostile');
    expect(response.output_text).toMatch(/^The tool failed: /);

    // Replayed through previous_response_id, the failed call reads exactly as the loop wrote it the first time.
    const told = lastMessages().find((message) => message.role === 'tool')?.content;
    expect(told).toMatch(/^Tool error: /);
    script = () => ({ content: 'ok' });
    await client().responses.create({ model: 'scripted', previous_response_id: response.id, input: 'and now?', tools: [HOSTILE] });
    expect(lastMessages().find((message) => message.role === 'tool')).toMatchObject({ content: told });
  });
});
