/**
 * Issue #4 (point 7 and streaming), edge cases of /v1/chat/completions a strict OpenAI client meets: an assistant
 * message sent back as the SDK returned it, a tool turn cut off by max_tokens (OpenAI-wire and Anthropic-wire, streaming
 * or not), malformed tools / tool_choice / content parts, and an allowed_tools tool_choice across tool rounds.
 */
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessage,
  ChatCompletionTool,
} from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMessage, events, sse, startAnthropicUpstream, toolUseBlock, type AnthropicUpstream } from '../fixtures/anthropic-upstream.js';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { chunk, completion, startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest, type UpstreamReply } from '../fixtures/openai-upstream.js';
import { scriptedReply, toolMessages, type ScriptedCall } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

type Extended = ChatCompletionMessage & { mcp_tool_calls: unknown[]; mcp_limit_reached?: string };

const LOOKUP = [
  { type: 'mcp', server_label: 'count', server_url: 'litellm_proxy/mcp/count', allowed_tools: ['lookup'], require_approval: 'never' },
] as unknown as ChatCompletionTool[];
const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const LOOKUP_A: ScriptedCall = { id: 'call_l', name: 'count__lookup', arguments: '{"key":"a"}' };

let gatehouse: RunningGatehouse;
let upstream: OpenAIUpstream;
let anthropic: AnthropicUpstream;
let counting: CountingServer;
let reply: (request: RecordedRequest) => UpstreamReply = (request) => scriptedReply(request, { content: 'unscripted' });

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  upstream = await startOpenAIUpstream((request) => reply(request));
  // Always a tool_use turn cut off by max_tokens.
  anthropic = await startAnthropicUpstream((request) => {
    const streaming = (request.body as { stream?: boolean }).stream === true;
    if (!streaming) {
      return { kind: 'message', message: buildMessage({ content: [toolUseBlock('toolu_1', 'count__lookup', { key: 'a' })], stop_reason: 'max_tokens' }) };
    }
    const turn = [events.messageStart(), events.toolUseStart(0, 'toolu_1', 'count__lookup'), events.jsonDelta(0, '{"key":"a'), events.blockStop(0)];
    return { kind: 'stream', events: sse(...turn, events.messageDelta('max_tokens'), events.messageStop()) };
  });
  gatehouse = await startGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
  - model_name: claude
    litellm_params: { model: anthropic/claude-sonnet-4-6, api_base: "${anthropic.url}", api_key: sk-ant-fixture }
router_settings: { num_retries: 0 }
mcp_servers:
  count: { url: "${counting.url}" }
`);
}, 30_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([upstream?.close(), anthropic?.close(), counting?.close()]);
});

beforeEach(() => counting.reset());

/** One assistant turn that stopped at max_tokens with `calls` written (the last one's arguments cut). */
function cutOff(request: RecordedRequest, calls: ScriptedCall[]): UpstreamReply {
  const toolCalls = calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } }));
  if (request.body.stream !== true) return { kind: 'json', body: completion({ tool_calls: toolCalls }, { finish_reason: 'length' }) };
  const chunks: ChatCompletionChunk[] = [chunk({ role: 'assistant', content: '' })];
  toolCalls.forEach((call, index) => chunks.push(chunk({ tool_calls: [{ index, ...call }] })));
  return { kind: 'stream', chunks: [...chunks, chunk({}, 'length')] };
}

async function bothWays(body: ChatCompletionCreateParamsNonStreaming) {
  const client = gatehouse.client();
  const plain = await client.chat.completions.create(body);
  const streamed = await client.chat.completions.stream({ ...body, stream: true }).finalChatCompletion();
  return [plain, streamed];
}

describe('a tool turn cut off by max_tokens', () => {
  it('ends the request with finish_reason "length" after one model call, running nothing, streaming or not', async () => {
    reply = (request) => cutOff(request, [{ ...LOOKUP_A, arguments: '{"ke' }]);
    const first = upstream.requests.length;
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'look up a' }], tools: LOOKUP, max_tokens: 5 };
    for (const completed of await bothWays(body)) {
      const message = completed.choices[0].message as Extended;
      expect(completed.choices[0].finish_reason).toBe('length');
      expect(message.tool_calls ?? []).toEqual([]);
      expect(message.mcp_tool_calls).toEqual([]);
      expect(message.mcp_limit_reached).toBeUndefined();
    }
    expect(upstream.requests.length - first).toBe(2);
    expect(counting.calls).toHaveLength(0);
  });

  it("returns the turn's client function calls, as OpenAI does, and still runs none of its MCP calls", async () => {
    reply = (request) => cutOff(request, [LOOKUP_A, { id: 'call_w', name: 'get_weather', arguments: '{"city":"Par' }]);
    const body = { model: 'scripted', messages: [{ role: 'user' as const, content: 'weather' }], tools: [WEATHER, ...LOOKUP], max_tokens: 20 };
    for (const completed of await bothWays(body)) {
      expect(completed.choices[0].finish_reason).toBe('length');
      expect(completed.choices[0].message.tool_calls).toEqual([
        { id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Par' } },
      ]);
    }
    expect(counting.calls).toHaveLength(0);
  });

  it('on an Anthropic upstream (stop_reason max_tokens) too, streaming or not', async () => {
    const first = anthropic.requests.length;
    const body = { model: 'claude', messages: [{ role: 'user' as const, content: 'look up a' }], tools: LOOKUP, max_tokens: 5 };
    for (const completed of await bothWays(body)) {
      expect(completed.choices[0].finish_reason).toBe('length');
      expect(completed.choices[0].message.tool_calls ?? []).toEqual([]);
    }
    expect(anthropic.requests.length - first).toBe(2);
    expect(counting.calls).toHaveLength(0);
  });
});

describe('an assistant message sent back as the SDK returned it', () => {
  it('reaches the upstream without the mcp_tool_calls extension field, with mcp tools or without', async () => {
    reply = (request) => scriptedReply(request, toolMessages(request).length > 0 || request.body.tools === undefined ? { content: 'value of a' } : { calls: [LOOKUP_A] });
    const client = gatehouse.client();
    const ask = { role: 'user' as const, content: 'look up a' };
    const answer = (await client.chat.completions.create({ model: 'scripted', messages: [ask], tools: LOOKUP })).choices[0].message;
    expect((answer as Extended).mcp_tool_calls).toHaveLength(1);
    const history = [ask, answer, { role: 'user' as const, content: 'thanks' }];
    const first = upstream.requests.length;
    await client.chat.completions.create({ model: 'scripted', messages: history, tools: LOOKUP });
    await client.chat.completions.create({ model: 'scripted', messages: history });
    await client.chat.completions.stream({ model: 'scripted', messages: history, stream: true }).finalChatCompletion();
    const sent = upstream.requests.slice(first).map((request) => (request.body.messages as Record<string, unknown>[])[1]);
    // With mcp tools: the model looks `a` up again, so two model calls.
    expect(sent).toHaveLength(4);
    for (const message of sent) expect(message).toEqual({ role: 'assistant', content: 'value of a', refusal: null });
  });
});

describe('malformed tools, tool_choice and content parts (issue #4 point 7)', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['a function tool without its function, next to mcp tools', { tools: [{ type: 'function' }, ...LOOKUP] }, 'tools[0].function'],
    ['a function tool without its function', { tools: [{ type: 'function' }] }, 'tools[0].function'],
    ['a function tool_choice without a function', { tools: [WEATHER], tool_choice: { type: 'function' } }, 'tool_choice.function'],
    ['a function tool_choice without a name', { tools: LOOKUP, tool_choice: { type: 'function', function: {} } }, 'tool_choice.function.name'],
    ['a text part without text', { messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text'],
    ['an image_url part without its url', { messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: {} }] }] }, 'messages[0].content[1].image_url.url'],
  ];
  for (const [what, fields, param] of cases) {
    it(`${what} is a 400 naming ${param}, before any model call`, async () => {
      const first = [upstream.requests.length, anthropic.requests.length];
      for (const model of ['scripted', 'claude']) {
        const response = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...fields }),
        });
        expect(response.status).toBe(400);
        expect(((await response.json()) as { error: unknown }).error).toMatchObject({ type: 'invalid_request_error', param });
      }
      expect([upstream.requests.length, anthropic.requests.length]).toEqual(first);
    });
  }
});

describe('tool_choice across tool rounds', () => {
  it('an allowed_tools choice keeps bounding later rounds (mode "required" becomes "auto"); a named function becomes "auto"', async () => {
    reply = (request) => scriptedReply(request, toolMessages(request).length > 0 ? { content: 'value of a' } : { calls: [LOOKUP_A] });
    const allowed = { mode: 'required' as const, tools: [{ type: 'function' as const, function: { name: 'count__lookup' } }] };
    const choices = [
      { type: 'allowed_tools' as const, allowed_tools: allowed },
      { type: 'function' as const, function: { name: 'count__lookup' } },
    ];
    const sent: unknown[][] = [];
    for (const tool_choice of choices) {
      const first = upstream.requests.length;
      await gatehouse.client().chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'a' }], tools: [WEATHER, ...LOOKUP], tool_choice });
      sent.push(upstream.requests.slice(first).map((request) => request.body.tool_choice));
    }
    expect(sent).toEqual([
      [choices[0], { type: 'allowed_tools', allowed_tools: { ...allowed, mode: 'auto' } }],
      [choices[1], 'auto'],
    ]);
  });
});
