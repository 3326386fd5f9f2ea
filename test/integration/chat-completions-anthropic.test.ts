/**
 * Issue #2 acceptance: the official `openai` client, through Gatehouse, to an upstream speaking Anthropic's
 * Messages wire format (the real @anthropic-ai/sdk talks to it): text, one tool call, two parallel tool calls
 * streamed with interleaved fragments, each stop_reason mapping, usage.
 */
import type { StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMessage,
  buildUsage,
  events,
  sse,
  startAnthropicUpstream,
  textBlock,
  textStream,
  toolUseBlock,
  type AnthropicUpstream,
  type UpstreamReply,
} from '../fixtures/anthropic-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const KEY = 'sk-ant-secret-for-tests-0001';
let next: UpstreamReply[] = [];
let upstream: AnthropicUpstream;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  upstream = await startAnthropicUpstream(() => next.shift() ?? { kind: 'error', status: 500, type: 'api_error', message: 'unscripted' });
  gatehouse = await startGatehouse(
    `
model_list:
  - model_name: claude
    litellm_params:
      model: anthropic/claude-sonnet-4-6
      api_base: ${upstream.url}
      api_key: os.environ/ANTHROPIC_TEST_KEY
router_settings: { num_retries: 0 }
`,
    { env: { ANTHROPIC_TEST_KEY: KEY } },
  );
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

const WEATHER = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('chat completions through an Anthropic upstream', () => {
  it('answers text with mapped usage, sending the key, version, system prompt and default max_tokens', async () => {
    next = [
      {
        kind: 'message',
        message: buildMessage({
          content: [textBlock('Bonjour')],
          usage: buildUsage({ input_tokens: 10, cache_creation_input_tokens: 3, cache_read_input_tokens: 5, output_tokens: 4 }),
        }),
      },
    ];
    const result = await gatehouse.client().chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'system', content: 'Be French.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(result.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' });
    expect(result.usage).toMatchObject({ prompt_tokens: 18, completion_tokens: 4, total_tokens: 22, prompt_tokens_details: { cached_tokens: 5 } });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.body).toMatchObject({ model: 'claude-sonnet-4-6', system: 'Be French.', messages: [{ role: 'user' }] });
    expect((sent.body as { max_tokens: number }).max_tokens).toBeGreaterThan(0);
  });

  it('returns one tool call', async () => {
    next = [
      {
        kind: 'message',
        message: buildMessage({ content: [toolUseBlock('toolu_1', 'get_weather', { city: 'Paris' })], stop_reason: 'tool_use' }),
      },
    ];
    const result = await gatehouse.client().chat.completions.create({
      model: 'claude',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER],
    });
    expect(result.choices[0].finish_reason).toBe('tool_calls');
    expect(result.choices[0].message.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect((upstream.requests.at(-1)!.body as { tools: unknown[] }).tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ]);
  });

  it('streams two parallel tool calls whose fragments interleave, indexed by tool counter', async () => {
    next = [
      {
        kind: 'stream',
        events: sse(
          events.messageStart(),
          events.textStart(0),
          events.textDelta(0, 'Checking both.'),
          events.blockStop(0),
          events.toolUseStart(1, 'toolu_a', 'get_weather'),
          events.toolUseStart(2, 'toolu_b', 'get_weather'),
          events.jsonDelta(1, '{"city":'),
          events.jsonDelta(2, '{"ci'),
          events.jsonDelta(1, '"Paris"}'),
          events.jsonDelta(2, 'ty":"Oslo"}'),
          events.blockStop(1),
          events.blockStop(2),
          events.messageDelta('tool_use', { output_tokens: 30 }),
          events.messageStop(),
        ),
      },
    ];
    const raw: ChatCompletionChunk[] = [];
    const stream = gatehouse.client().chat.completions.stream({
      model: 'claude',
      messages: [{ role: 'user', content: 'Weather in Paris and Oslo?' }],
      tools: [WEATHER],
      stream: true,
      stream_options: { include_usage: true },
    });
    stream.on('chunk', (part) => raw.push(part));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe('Checking both.');
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.tool_calls?.map((call) => [call.id, call.function.arguments])).toEqual([
      ['toolu_a', '{"city":"Paris"}'],
      ['toolu_b', '{"city":"Oslo"}'],
    ]);
    const indexes = raw.flatMap((part) => part.choices.flatMap((choice) => choice.delta.tool_calls ?? []).map((call) => call.index));
    expect(indexes).toEqual([0, 1, 0, 1, 0, 1]);
    expect(raw.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 30 } });
  });

  const stopReasons: [StopReason, string][] = [
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'stop'],
  ];
  for (const [stopReason, finishReason] of stopReasons) {
    it(`maps stop_reason ${stopReason} to finish_reason ${finishReason}, streaming and not`, async () => {
      next = [
        { kind: 'message', message: buildMessage({ content: [textBlock('x')], stop_reason: stopReason }) },
        { kind: 'stream', events: textStream(['x'], { stopReason }) },
      ];
      const client = gatehouse.client();
      const plain = await client.chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] });
      expect(plain.choices[0].finish_reason).toBe(finishReason);
      const streamed = await client.chat.completions.stream({ model: 'claude', messages: [{ role: 'user', content: 'x' }], stream: true }).finalChatCompletion();
      expect(streamed.choices[0].finish_reason).toBe(finishReason);
    });
  }

  it('maps Anthropic errors: 529 overloaded → 503, 429 → 429 with retry-after, n > 1 → 400 before any call', async () => {
    next = [{ kind: 'error', status: 529, type: 'overloaded_error', message: 'Overloaded' }];
    await expect(
      gatehouse.client().chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 503 });
    next = [{ kind: 'error', status: 429, type: 'rate_limit_error', message: 'slow down', retryAfter: '20' }];
    const limited = await fetch(`${gatehouse.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    const before = upstream.requests.length;
    await expect(
      gatehouse.client().chat.completions.create({ model: 'claude', n: 2, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 400, param: 'n' });
    expect(upstream.requests.length).toBe(before);
    expect(gatehouse.logs.join('')).not.toContain(KEY);
  });
});
