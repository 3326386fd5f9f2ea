import { afterEach, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import { anthropicProvider } from '../../../providers/anthropic/index.js';
import type { CallOptions, ChatRequest, ProviderClient, ProviderTarget } from '../../../providers/provider.js';
import {
  UnsupportedRequestError,
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from '../../../providers/upstream-errors.js';
import {
  buildMessage,
  buildUsage,
  errorEvent,
  events,
  sse,
  startAnthropicUpstream,
  textBlock,
  textStream,
  toolUseBlock,
  type AnthropicUpstream,
  type UpstreamReply,
  type UpstreamScript,
} from '../../fixtures/anthropic-upstream.js';

// No `sk-` prefix: only the provider's own scrubbing (not scrubSecrets' key pattern) can hide it.
const API_KEY = 'test-key-7f3a9c2e1b5d';
const REQUEST: ChatRequest = {
  model: 'my-alias',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
  ],
};

let upstream: AnthropicUpstream | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

async function clientFor(script: UpstreamScript, target: Partial<ProviderTarget> = {}): Promise<ProviderClient> {
  upstream = await startAnthropicUpstream(script);
  return anthropicProvider.createClient({ model: 'claude-sonnet-4-6', apiKey: API_KEY, apiBase: upstream.url, ...target });
}

const callOptions = (overrides: Partial<CallOptions> = {}): CallOptions => ({
  signal: new AbortController().signal,
  timeoutMs: 5_000,
  ...overrides,
});

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

async function failure(work: Promise<unknown>): Promise<Error> {
  const outcome = await work.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected the call to fail');
  return outcome;
}

/** A script that answers `reply` and resolves `arrived` once the upstream has the request. */
function holdOpen(reply: UpstreamReply = { kind: 'hang' }): { arrived: Promise<void>; script: UpstreamScript } {
  let markArrived = (): void => {};
  const arrived = new Promise<void>((resolve) => (markArrived = resolve));
  const script: UpstreamScript = () => {
    markArrived();
    return reply;
  };
  return { arrived, script };
}

describe('anthropic provider: what reaches the upstream', () => {
  it('sends the key as x-api-key with anthropic-version 2023-06-01 and no bearer token', async () => {
    const client = await clientFor([{ kind: 'message', message: buildMessage({ content: [textBlock('Hello')] }) }]);
    await client.complete(REQUEST, callOptions());
    const [sent] = upstream!.requests;
    expect(sent.headers['x-api-key']).toBe(API_KEY);
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 64_000,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
    });
  });

  it('uses the deployment api_version and extra headers', async () => {
    const target = { apiVersion: '2026-10-21', headers: { 'anthropic-beta': 'tools-2024-04-04' } };
    const client = await clientFor([{ kind: 'message', message: buildMessage() }], target);
    await client.complete(REQUEST, callOptions());
    expect(upstream!.requests[0].headers['anthropic-version']).toBe('2026-10-21');
    expect(upstream!.requests[0].headers['anthropic-beta']).toBe('tools-2024-04-04');
  });

  it('rejects an unsupported request before calling the upstream', async () => {
    const client = await clientFor([]);
    const error = await failure(client.complete({ ...REQUEST, n: 2 }, callOptions()));
    expect(error).toBeInstanceOf(UnsupportedRequestError);
    expect(upstream!.requests).toHaveLength(0);
  });
});

describe('anthropic provider: complete', () => {
  it('maps a text answer, the upstream-reported model and usage with cache counters', async () => {
    const usage = buildUsage({ input_tokens: 3, cache_creation_input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 7 });
    const message = buildMessage({ id: 'msg_42', model: 'claude-sonnet-4-6-20260101', content: [textBlock('Hel'), textBlock('lo')], usage });
    const client = await clientFor([{ kind: 'message', message }]);
    const completion = await client.complete(REQUEST, callOptions());
    expect(completion).toMatchObject({ id: 'chatcmpl-msg_42', object: 'chat.completion', model: 'claude-sonnet-4-6-20260101' });
    expect(completion.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' });
    expect(completion.usage).toEqual({
      prompt_tokens: 123,
      completion_tokens: 7,
      total_tokens: 130,
      prompt_tokens_details: { cached_tokens: 100 },
    });
  });

  it('maps one tool_use block to a tool call with JSON arguments', async () => {
    const message = buildMessage({ content: [toolUseBlock('toolu_1', 'get_weather', { city: 'Paris' })], stop_reason: 'tool_use' });
    const client = await clientFor([{ kind: 'message', message }]);
    const { choices } = await client.complete(REQUEST, callOptions());
    expect(choices[0].finish_reason).toBe('tool_calls');
    expect(choices[0].message.content).toBeNull();
    expect(choices[0].message.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });
});

const STOP_REASONS: [StopReason, string][] = [
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['tool_use', 'tool_calls'],
  ['refusal', 'content_filter'],
  ['model_context_window_exceeded', 'length'],
  ['pause_turn', 'stop'],
];

describe('anthropic provider: stop_reason mapping', () => {
  it.each(STOP_REASONS)('complete maps %s to %s', async (stopReason, finishReason) => {
    const client = await clientFor([{ kind: 'message', message: buildMessage({ stop_reason: stopReason }) }]);
    const { choices } = await client.complete(REQUEST, callOptions());
    expect(choices[0].finish_reason).toBe(finishReason);
  });

  it.each(STOP_REASONS)('stream maps %s to %s', async (stopReason, finishReason) => {
    const client = await clientFor([{ kind: 'stream', events: textStream(['x'], { stopReason }) }]);
    const chunks = await collect(await client.stream({ ...REQUEST, stream: true }, callOptions()));
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ delta: {}, finish_reason: finishReason });
  });
});

describe('anthropic provider: stream', () => {
  it('streams text with one id, a role chunk first and a finish chunk last, ignoring ping', async () => {
    const client = await clientFor([{ kind: 'stream', events: textStream(['Hel', 'lo']) }]);
    const chunks = await collect(await client.stream({ ...REQUEST, stream: true }, callOptions()));
    expect(chunks.map((chunk) => chunk.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hel' },
      { content: 'lo' },
      {},
    ]);
    expect(new Set(chunks.map((chunk) => `${chunk.id}/${chunk.created}`)).size).toBe(1);
    expect(chunks[0].id).toBe('chatcmpl-msg_01fixture');
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(upstream!.requests[0].body).toMatchObject({ stream: true });
  });

  it('adds usage: null to each chunk and a final usage chunk when include_usage is set', async () => {
    const start = events.messageStart({ usage: buildUsage({ input_tokens: 4, cache_read_input_tokens: 50, output_tokens: 1 }) });
    const stream = sse(start, events.textStart(0), events.textDelta(0, 'ok'), events.blockStop(0),
      events.messageDelta('end_turn', { output_tokens: 9 }), events.messageStop());
    const client = await clientFor([{ kind: 'stream', events: stream }]);
    const request: ChatRequest = { ...REQUEST, stream: true, stream_options: { include_usage: true } };
    const chunks = await collect(await client.stream(request, callOptions()));
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 54, completion_tokens: 9, total_tokens: 63, prompt_tokens_details: { cached_tokens: 50 } });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('streams two parallel tool calls whose fragments interleave, indexed by tool counter', async () => {
    const stream = sse(
      events.messageStart(),
      events.textStart(0), events.textDelta(0, 'Checking.'), events.blockStop(0),
      events.toolUseStart(1, 'toolu_A', 'get_weather'),
      events.toolUseStart(2, 'toolu_B', 'get_time'),
      events.jsonDelta(1, '{"city":'), events.jsonDelta(2, ''), events.jsonDelta(2, '{"tz":'),
      events.jsonDelta(1, '"Paris"}'), events.jsonDelta(2, '"UTC"}'),
      events.blockStop(1), events.blockStop(2),
      events.messageDelta('tool_use'), events.messageStop(),
    );
    const client = await clientFor([{ kind: 'stream', events: stream }]);
    const chunks = await collect(await client.stream({ ...REQUEST, stream: true }, callOptions()));
    const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(fragments).toEqual([
      { index: 0, id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, id: 'toolu_B', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 1, function: { arguments: '{"tz":' } },
      { index: 0, function: { arguments: '"Paris"}' } },
      { index: 1, function: { arguments: '"UTC"}' } },
    ]);
    const joined = [0, 1].map((i) => fragments.filter((f) => f.index === i).map((f) => f.function?.arguments).join(''));
    expect(joined).toEqual(['{"city":"Paris"}', '{"tz":"UTC"}']);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('throws a mid-stream overloaded error event from the iterator as 529', async () => {
    const stream = [...sse(events.messageStart(), events.textStart(0), events.textDelta(0, 'par')), errorEvent('overloaded_error', 'Overloaded')];
    const client = await clientFor([{ kind: 'stream', events: stream }]);
    const received: ChatCompletionChunk[] = [];
    const error = await failure((async () => {
      for await (const chunk of await client.stream({ ...REQUEST, stream: true }, callOptions())) received.push(chunk);
    })());
    expect(error).toBeInstanceOf(UpstreamStatusError);
    expect(error).toMatchObject({ status: 529, message: 'Overloaded', details: { upstreamType: 'overloaded_error' } });
    expect(received.map((chunk) => chunk.choices[0].delta.content)).toEqual(['', 'par']);
  });

  it('fails a stream that ends before message_stop as a connection error', async () => {
    const client = await clientFor([{ kind: 'stream', events: sse(events.messageStart(), events.textStart(0), events.textDelta(0, 'cut')) }]);
    const error = await failure(collect(await client.stream({ ...REQUEST, stream: true }, callOptions())));
    expect(error).toBeInstanceOf(UpstreamConnectionError);
  });

  it('aborts the upstream request when the consumer stops reading', async () => {
    const client = await clientFor([{ kind: 'stream', events: sse(events.messageStart()), holdOpen: true }]);
    for await (const chunk of await client.stream({ ...REQUEST, stream: true }, callOptions())) {
      expect(chunk.choices[0].delta.role).toBe('assistant');
      break;
    }
    await upstream!.requests[0].closed;
    expect(upstream!.requests[0].clientClosedEarly).toBe(true);
  });
});

const STATUS_CASES = [
  { status: 400, type: 'invalid_request_error', retryAfter: undefined },
  { status: 401, type: 'authentication_error', retryAfter: undefined },
  { status: 429, type: 'rate_limit_error', retryAfter: '7' },
  { status: 500, type: 'api_error', retryAfter: undefined },
  { status: 529, type: 'overloaded_error', retryAfter: undefined },
];

describe('anthropic provider: errors', () => {
  it.each(STATUS_CASES)('complete maps HTTP $status $type to UpstreamStatusError without retrying', async ({ status, type, retryAfter }) => {
    const client = await clientFor([{ kind: 'error', status, type, message: `upstream says ${type}`, retryAfter }]);
    const error = await failure(client.complete(REQUEST, callOptions()));
    expect(error).toBeInstanceOf(UpstreamStatusError);
    expect(error).toMatchObject({ status, message: `upstream says ${type}`, details: { upstreamType: type } });
    expect((error as UpstreamStatusError).details.retryAfterSeconds).toBe(retryAfter === undefined ? undefined : 7);
    expect(upstream!.requests).toHaveLength(1);
  });

  it.each(STATUS_CASES)('stream() itself rejects on HTTP $status, before any chunk', async ({ status, type, retryAfter }) => {
    const client = await clientFor([{ kind: 'error', status, type, message: 'nope', retryAfter }]);
    const error = await failure(client.stream({ ...REQUEST, stream: true }, callOptions()));
    expect(error).toMatchObject({ name: 'UpstreamStatusError', status });
  });

  it('never puts the API key in an error message, whether from a status or a stream error', async () => {
    const echo = `invalid x-api-key: ${API_KEY}`;
    const client = await clientFor([
      { kind: 'error', status: 401, type: 'authentication_error', message: echo },
      { kind: 'stream', events: [...sse(events.messageStart()), errorEvent('api_error', echo)] },
    ]);
    const statusError = await failure(client.complete(REQUEST, callOptions()));
    const streamError = await failure(collect(await client.stream({ ...REQUEST, stream: true }, callOptions())));
    for (const error of [statusError, streamError]) {
      expect(error.message).toBe('invalid x-api-key: [redacted]');
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain(API_KEY);
    }
  });

  it('maps a refused connection to UpstreamConnectionError', async () => {
    const closed = await startAnthropicUpstream([]);
    await closed.close();
    const client = anthropicProvider.createClient({ model: 'claude-sonnet-4-6', apiKey: API_KEY, apiBase: closed.url });
    expect(await failure(client.complete(REQUEST, callOptions()))).toBeInstanceOf(UpstreamConnectionError);
    expect(await failure(client.stream({ ...REQUEST, stream: true }, callOptions()))).toBeInstanceOf(UpstreamConnectionError);
  });

  it('maps an upstream slower than timeoutMs to UpstreamTimeoutError', async () => {
    const client = await clientFor([{ kind: 'hang' }, { kind: 'hang' }]);
    expect(await failure(client.complete(REQUEST, callOptions({ timeoutMs: 150 })))).toBeInstanceOf(UpstreamTimeoutError);
    expect(await failure(client.stream({ ...REQUEST, stream: true }, callOptions({ timeoutMs: 150 })))).toBeInstanceOf(
      UpstreamTimeoutError,
    );
  });

  it('times out a stream that goes silent after its headers', async () => {
    const client = await clientFor([{ kind: 'stream', events: sse(events.messageStart()), holdOpen: true }]);
    const chunks = await client.stream({ ...REQUEST, stream: true }, callOptions({ timeoutMs: 200 }));
    expect(await failure(collect(chunks))).toBeInstanceOf(UpstreamTimeoutError);
    await upstream!.requests[0].closed;
    expect(upstream!.requests[0].clientClosedEarly).toBe(true);
  });

  it('aborts a pending call when the signal fires, and the upstream sees the connection close', async () => {
    const { arrived, script } = holdOpen();
    const client = await clientFor(script);
    const controller = new AbortController();
    const pending = client.complete(REQUEST, callOptions({ signal: controller.signal }));
    await arrived;
    controller.abort();
    expect(await failure(pending)).toBeInstanceOf(UpstreamAbortedError);
    await upstream!.requests[0].closed;
    expect(upstream!.requests[0].clientClosedEarly).toBe(true);
  });

  it('aborts a stream mid-flight when the signal fires', async () => {
    const client = await clientFor([{ kind: 'stream', events: sse(events.messageStart()), holdOpen: true }]);
    const controller = new AbortController();
    const iterator = (await client.stream({ ...REQUEST, stream: true }, callOptions({ signal: controller.signal })))[
      Symbol.asyncIterator
    ]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort();
    expect(await failure(iterator.next())).toBeInstanceOf(UpstreamAbortedError);
    await upstream!.requests[0].closed;
    expect(upstream!.requests[0].clientClosedEarly).toBe(true);
  });

  it('does not call the upstream when the signal is already aborted', async () => {
    const client = await clientFor([{ kind: 'message', message: buildMessage() }]);
    const error = await failure(client.complete(REQUEST, callOptions({ signal: AbortSignal.abort() })));
    expect(error).toBeInstanceOf(UpstreamAbortedError);
    expect(upstream!.requests).toHaveLength(0);
  });
});
