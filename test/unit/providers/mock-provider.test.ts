import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { createMockClient, mockProvider } from '../../../providers/mock/index.js';
import type { CallOptions, ChatRequest } from '../../../providers/provider.js';
import {
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from '../../../providers/upstream-errors.js';

const OPTIONS: CallOptions = { signal: new AbortController().signal, timeoutMs: 1000 };

const ADD: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'add',
    description: 'Add two numbers',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  },
};
const WEATHER: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function ask(content: string, fields: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'public-mock', messages: [{ role: 'user', content }], ...fields };
}

describe('mock provider: complete()', () => {
  it('registers under the kind "mock"', () => {
    expect(mockProvider.kind).toBe('mock');
  });

  it('calls add with {a: 3, b: 4} for "add 3 and 4"', async () => {
    const client = createMockClient({ model: 'anything' });
    const response = await client.complete(ask('add 3 and 4', { tools: [WEATHER, ADD] }), OPTIONS);
    const choice = response.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toHaveLength(1);
    const call = choice.message.tool_calls?.[0];
    expect(call?.type).toBe('function');
    expect(call?.id).toMatch(/^call_[0-9a-f]+$/);
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('add');
    expect(JSON.parse(call.function.arguments)).toEqual({ a: 3, b: 4 });
    expect(response.object).toBe('chat.completion');
    expect(response.model).toBe('public-mock');
  });

  it('answers a tool result in text that quotes it and names the tool', async () => {
    const client = createMockClient({ model: 'anything' });
    const request: ChatRequest = {
      model: 'public-mock',
      tools: [WEATHER],
      messages: [
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'Sunny, 21°C' }] },
      ],
    };
    const response = await client.complete(request, OPTIONS);
    expect(response.choices[0].finish_reason).toBe('stop');
    expect(response.choices[0].message.content).toBe('The tool get_weather returned: "Sunny, 21°C".');
    expect(response.choices[0].message.tool_calls).toBeUndefined();
  });

  it('calls a tool again once a new user message follows the tool results', async () => {
    const client = createMockClient({ model: 'anything' });
    const request: ChatRequest = {
      model: 'public-mock',
      tools: [ADD],
      messages: [
        { role: 'user', content: 'add 1 and 2' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'add', arguments: '{"a":1,"b":2}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '3' },
        { role: 'assistant', content: 'It is 3.' },
        { role: 'user', content: 'now add 5 and 6' },
      ],
    };
    const call = (await client.complete(request, OPTIONS)).choices[0].message.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ a: 5, b: 6 });
  });

  it('echoes the last user message when no tools are offered', async () => {
    const response = await createMockClient({ model: 'x' }).complete(ask('Hello, mock!'), OPTIONS);
    expect(response.choices[0].message.content).toBe('This is a mock response to: "Hello, mock!"');
    expect(response.choices[0].finish_reason).toBe('stop');
  });

  it('answers with exactly the mock_response text, even when tools are offered', async () => {
    const client = createMockClient({ model: 'x', mockResponse: 'Fixed answer.' });
    const response = await client.complete(ask('add 3 and 4', { tools: [ADD] }), OPTIONS);
    expect(response.choices[0].message.content).toBe('Fixed answer.');
    expect(response.choices[0].finish_reason).toBe('stop');
  });

  it('estimates usage deterministically from message and answer characters', async () => {
    const response = await createMockClient({ model: 'x', mockResponse: '12345' }).complete(ask('abcdefghi'), OPTIONS);
    expect(response.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
  });

  it('truncates a generated answer to max_tokens with finish_reason "length"', async () => {
    const response = await createMockClient({ model: 'x' }).complete(ask('a long question', { max_tokens: 3 }), OPTIONS);
    expect(response.choices[0].finish_reason).toBe('length');
    expect(response.choices[0].message.content).toBe('This is a mo');
    expect(response.usage?.completion_tokens).toBe(3);
  });

  it('gives the same output for the same request, apart from created', async () => {
    const client = createMockClient({ model: 'x' });
    const request = ask('what is the weather in Oslo', { tools: [ADD, WEATHER] });
    const first = await client.complete(request, OPTIONS);
    const second = await createMockClient({ model: 'x' }).complete(structuredClone(request), OPTIONS);
    expect({ ...second, created: 0 }).toEqual({ ...first, created: 0 });
    const other = await client.complete(ask('what is the weather in Rome', { tools: [ADD, WEATHER] }), OPTIONS);
    expect(other.id).not.toBe(first.id);
  });

  it('throws UpstreamAbortedError when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      createMockClient({ model: 'x' }).complete(ask('hi'), { signal: controller.signal, timeoutMs: 1000 }),
    ).rejects.toBeInstanceOf(UpstreamAbortedError);
  });
});

describe('mock provider: LiteLLM error triggers', () => {
  const cases: [string, (error: unknown) => void][] = [
    [
      'litellm.RateLimitError',
      (error) => {
        expect(error).toBeInstanceOf(UpstreamStatusError);
        expect((error as UpstreamStatusError).status).toBe(429);
        expect((error as UpstreamStatusError).details.retryAfterSeconds).toBe(0);
      },
    ],
    ['litellm.InternalServerError', (error) => expect((error as UpstreamStatusError).status).toBe(500)],
    ['litellm.ServiceUnavailableError', (error) => expect((error as UpstreamStatusError).status).toBe(503)],
    ['litellm.Timeout', (error) => expect(error).toBeInstanceOf(UpstreamTimeoutError)],
    ['litellm.APIConnectionError', (error) => expect(error).toBeInstanceOf(UpstreamConnectionError)],
  ];

  for (const [trigger, check] of cases) {
    it(`mock_response "${trigger}" rejects complete() and stream() before any chunk`, async () => {
      const client = createMockClient({ model: 'x', mockResponse: trigger });
      const completeError = await client.complete(ask('hi'), OPTIONS).then(
        () => undefined,
        (error: unknown) => error,
      );
      check(completeError);
      const streamError = await client.stream(ask('hi', { stream: true }), OPTIONS).then(
        () => undefined,
        (error: unknown) => error,
      );
      check(streamError);
    });
  }

  it('treats any other mock_response text as the answer', async () => {
    const response = await createMockClient({ model: 'x', mockResponse: 'litellm.Something' }).complete(ask('hi'), OPTIONS);
    expect(response.choices[0].message.content).toBe('litellm.Something');
  });
});
