/**
 * Issue #4 (chat approvals), the turn after an approval: the client appends the final assistant message (with its
 * `mcp_tool_calls`) to a history whose earlier assistant message holds the approved MCP calls with no tool messages.
 * The upstream must still get a valid history (OpenAI and Anthropic refuse unanswered tool_calls with a 400): the
 * proxy answers them from the echoed `mcp_tool_calls`, with the text the model was given, and runs nothing again.
 * Also: a client that goes away while its approved call waits (tool listing) never gets that call started.
 */
import type {
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest } from '../fixtures/openai-upstream.js';
import { scriptedReply, type ScriptedCall } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { waitUntil } from './mcp-downstream.js';

type Message = Record<string, unknown> & { role: string; tool_call_id?: string; content?: unknown; tool_calls?: { id: string }[] };
type Extended = ChatCompletionMessage & { mcp_tool_calls: { tool_call_id: string; status: string }[] };

const mcp = (server: string, tool: string, requireApproval: 'always' | 'never') =>
  [{ type: 'mcp', server_label: server, server_url: `litellm_proxy/mcp/${server}`, allowed_tools: [tool], require_approval: requireApproval }] as unknown as ChatCompletionTool[];

let gatehouse: RunningGatehouse;
let upstream: OpenAIUpstream;
let counting: CountingServer;
let slow: CountingServer;
let recording: RecordingServer;
/** What the scripted model calls when the last message is the user's first question. */
let firstCalls: ScriptedCall[] = [];

const messagesOf = (request: RecordedRequest) => request.body.messages as Message[];

beforeAll(async () => {
  [counting, slow, recording] = await Promise.all([
    startCountingServer({ delayMs: 0 }),
    startCountingServer({ delayMs: 0, listDelayMs: 600 }),
    startRecordingServer(),
  ]);
  // Calls tools for the first question, answers tool results with their text, anything else with "you are welcome".
  upstream = await startOpenAIUpstream((request) => {
    const messages = messagesOf(request);
    const last = messages.at(-1);
    if (last?.role === 'tool') {
      const results = messages.slice(messages.findLastIndex((message) => message.role === 'assistant') + 1);
      return scriptedReply(request, { content: results.map((message) => message.content).join(' | ') });
    }
    if (last?.role === 'user' && last.content === 'first question') return scriptedReply(request, { calls: firstCalls });
    return scriptedReply(request, { content: 'you are welcome' });
  });
  gatehouse = await startGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
router_settings: { num_retries: 0 }
mcp_servers:
  count: { url: "${counting.url}" }
  slow: { url: "${slow.url}" }
  rec: { url: "${recording.origin}/rec" }
`);
}, 30_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([upstream?.close(), counting?.close(), slow?.close(), recording?.close()]);
});

beforeEach(() => {
  counting.reset();
  slow.reset();
});

const ask: ChatCompletionMessageParam = { role: 'user', content: 'first question' };
const thanks: ChatCompletionMessageParam = { role: 'user', content: 'thanks' };
const recordedCalls = () => recording.requests.filter((request) => request.rpcMethods.includes('tools/call')).length;

/** What OpenAI checks: every assistant tool_call answered by the tool messages right after it; no extension fields. */
function expectValidHistory(messages: Message[]): void {
  messages.forEach((message, index) => {
    expect(message).not.toHaveProperty('mcp_tool_calls');
    if (message.role !== 'assistant' || !message.tool_calls) return;
    const answered: string[] = [];
    for (let next = index + 1; next < messages.length && messages[next].role === 'tool'; next++) answered.push(messages[next].tool_call_id ?? '');
    expect(answered).toEqual(message.tool_calls.map((call) => call.id));
  });
}

/** The tool messages the model was given in the approval turn (after the approved assistant message). */
function toolMessagesGiven(request: RecordedRequest): Message[] {
  return messagesOf(request).filter((message) => message.role === 'tool');
}

/**
 * Approval round trip, then the next turn three ways (mcp tools, plain, plain streamed): returns the upstream
 * requests of the next turn and the tool messages the model got in the approval turn.
 */
async function approveThenContinue(
  tools: { ask: ChatCompletionTool[]; approve: ChatCompletionTool[] },
  stream: boolean,
): Promise<{ approval: Extended; final: Extended; given: Message[]; next: RecordedRequest[] }> {
  const client = gatehouse.client();
  const turn = async (messages: ChatCompletionMessageParam[], turnTools: ChatCompletionTool[]) => {
    const body = { model: 'scripted', messages, tools: turnTools };
    const completion = stream
      ? await client.chat.completions.stream({ ...body, stream: true }).finalChatCompletion()
      : await client.chat.completions.create(body);
    return completion.choices[0].message as Extended;
  };
  const approval = await turn([ask], tools.ask);
  expect(approval.tool_calls).toHaveLength(firstCalls.length);
  const before = upstream.requests.length;
  const final = await turn([ask, approval], tools.approve);
  const given = toolMessagesGiven(upstream.requests[before]);
  expect(given.map((message) => message.tool_call_id)).toEqual(firstCalls.map((call) => call.id));

  const history = [ask, approval, final, thanks];
  const first = upstream.requests.length;
  await client.chat.completions.create({ model: 'scripted', messages: history, tools: tools.approve });
  await client.chat.completions.create({ model: 'scripted', messages: history });
  await client.chat.completions.stream({ model: 'scripted', messages: history, stream: true }).finalChatCompletion();
  return { approval, final, given, next: upstream.requests.slice(first) };
}

describe('the turn after an approval, with the final message appended as the SDK returned it', () => {
  const lookup: ScriptedCall = { id: 'call_l', name: 'count__lookup', arguments: '{"key":"a"}' };

  for (const stream of [false, true]) {
    it(`the upstream gets the approved call answered right after its assistant message, and the call ran once (${stream ? 'streamed' : 'not streamed'})`, async () => {
      firstCalls = [lookup];
      const { approval, final, given, next } = await approveThenContinue(
        { ask: mcp('count', 'lookup', 'always'), approve: mcp('count', 'lookup', 'never') },
        stream,
      );
      expect(approval.mcp_tool_calls).toEqual([expect.objectContaining({ tool_call_id: 'call_l', status: 'approval_required' })]);
      expect(final.mcp_tool_calls).toEqual([expect.objectContaining({ tool_call_id: 'call_l', status: 'completed' })]);
      expect(given).toEqual([{ role: 'tool', tool_call_id: 'call_l', content: 'value of a' }]);
      // With mcp tools, plain, plain streamed: one model call each, the history as the model saw it plus the new turn.
      expect(next).toHaveLength(3);
      for (const request of next) {
        const messages = messagesOf(request);
        expectValidHistory(messages);
        expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user']);
        expect(messages[2]).toEqual(given[0]);
        expect(messages[3]).toMatchObject({ role: 'assistant', content: 'value of a' });
      }
      expect(counting.calls).toEqual([{ name: 'lookup', arguments: { key: 'a' } }]);
    });
  }

  it('failed calls (an isError result, schema-invalid arguments) are answered with the same "Tool error: …" text, in tool_calls order', async () => {
    firstCalls = [
      { id: 'call_f', name: 'rec__fail', arguments: '{}' },
      { id: 'call_b', name: 'count__lookup', arguments: '{"key":5}' },
    ];
    const tools = (requireApproval: 'always' | 'never') => [...mcp('rec', 'fail', requireApproval), ...mcp('count', 'lookup', requireApproval)];
    const callsBefore = recordedCalls();
    const { final, given, next } = await approveThenContinue({ ask: tools('always'), approve: tools('never') }, false);
    expect(final.mcp_tool_calls.map((entry) => [entry.tool_call_id, entry.status])).toEqual([
      ['call_f', 'failed'],
      ['call_b', 'failed'],
    ]);
    expect(given.map((message) => message.content)).toEqual([
      'Tool error: failed on purpose',
      expect.stringMatching(/^Tool error: .*input schema/),
    ]);
    for (const request of next) {
      const messages = messagesOf(request);
      expectValidHistory(messages);
      expect(messages.slice(2, 4)).toEqual(given);
    }
    expect(recordedCalls() - callsBefore).toBe(1);
    expect(counting.calls).toEqual([]);
  });

  it('an approval re-sent after a completed turn is still the approval signal: its call runs once, an earlier one is not re-run', async () => {
    firstCalls = [lookup];
    const client = gatehouse.client();
    const never = mcp('count', 'lookup', 'never');
    const approval = (await client.chat.completions.create({ model: 'scripted', messages: [ask], tools: mcp('count', 'lookup', 'always') })).choices[0].message;
    const final = (await client.chat.completions.create({ model: 'scripted', messages: [ask, approval], tools: never })).choices[0].message;
    // The same question again, and its approval request approved: only that newest call runs.
    const again = { ...approval, tool_calls: approval.tool_calls?.map((call) => ({ ...call, id: 'call_again' })) };
    const first = upstream.requests.length;
    const answer = await client.chat.completions.create({ model: 'scripted', messages: [ask, approval, final, ask, again], tools: never });
    expect((answer.choices[0].message as Extended).mcp_tool_calls).toEqual([expect.objectContaining({ tool_call_id: 'call_again', status: 'completed' })]);
    expect(counting.calls).toHaveLength(2);
    const messages = messagesOf(upstream.requests[first]);
    expectValidHistory(messages);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'user', 'assistant', 'tool']);
  });
});

describe('a client that goes away before its approved call starts', () => {
  it('never gets the call started (the call waited on a slow tools/list)', async () => {
    const approved = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'call_s', type: 'function', function: { name: 'slow__lookup', arguments: '{"key":"s"}' } }],
    };
    const controller = new AbortController();
    const listsBefore = slow.lists;
    const sent = fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'scripted', messages: [ask, approved], tools: mcp('slow', 'lookup', 'never') }),
      signal: controller.signal,
    }).catch(() => undefined);
    // Listing takes 600 ms at the fixture: go away in the middle of it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await sent;
    await waitUntil(() => slow.lists > listsBefore, 'the tool listing to be answered');
    // A call would start right after the listing; give it ample time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(slow.calls).toEqual([]);
  });
});
