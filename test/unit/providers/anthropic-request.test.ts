import { describe, expect, it } from 'vitest';
import { defaultMaxTokens } from '../../../providers/anthropic/max-tokens.js';
import { toMessagesRequest } from '../../../providers/anthropic/request.js';
import type { ChatRequest } from '../../../providers/provider.js';
import { UnsupportedRequestError } from '../../../providers/upstream-errors.js';

const MODEL = 'claude-sonnet-4-6';
const user = (content: string) => ({ role: 'user' as const, content });
const base = (fields: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'alias', messages: [user('Hi')], ...fields });
const WEATHER_TOOL = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

function rejection(request: ChatRequest): UnsupportedRequestError {
  try {
    toMessagesRequest(request, MODEL);
  } catch (error) {
    if (error instanceof UnsupportedRequestError) return error;
    throw error;
  }
  throw new Error('expected UnsupportedRequestError');
}

describe('toMessagesRequest: system prompt and turns', () => {
  it('sends one plain system message as a string and keeps only user/assistant turns', () => {
    const body = toMessagesRequest(base({ messages: [{ role: 'system', content: 'Be brief.' }, user('Hi')] }), MODEL);
    expect(body.system).toBe('Be brief.');
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('moves every system and developer message, in order, into system text blocks', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: 'One.' },
      user('Hi'),
      { role: 'developer', content: [{ type: 'text', text: 'Two.' }, { type: 'text', text: 'Three.' }] },
    ];
    const body = toMessagesRequest(base({ messages }), MODEL);
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
      { type: 'text', text: 'Three.' },
    ]);
    expect(body.messages.map((m) => m.role)).toEqual(['user']);
  });

  it('omits system when there is none, and maps a cache breakpoint to cache_control', () => {
    expect(toMessagesRequest(base(), MODEL)).not.toHaveProperty('system');
    const cached = { type: 'text' as const, text: 'Long context', prompt_cache_breakpoint: { mode: 'explicit' as const } };
    const body = toMessagesRequest(base({ messages: [{ role: 'system', content: [cached] }, user('Hi')] }), MODEL);
    expect(body.system).toEqual([{ type: 'text', text: 'Long context', cache_control: { type: 'ephemeral' } }]);
  });

  it('merges consecutive same-role turns', () => {
    const messages: ChatRequest['messages'] = [user('a'), user('b'), { role: 'assistant', content: 'c' }, { role: 'assistant', content: 'd' }];
    expect(toMessagesRequest(base({ messages }), MODEL).messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'c' }, { type: 'text', text: 'd' }] },
    ]);
  });

  it('maps data: images to base64 sources and http(s) images to url sources', () => {
    const messages: ChatRequest['messages'] = [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
        ],
      },
    ];
    expect(toMessagesRequest(base({ messages }), MODEL).messages[0].content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it('rejects images Anthropic cannot take, naming the content part', () => {
    const bmp = { role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'data:image/bmp;base64,Qk0=' } }] };
    expect(rejection(base({ messages: [bmp] })).param).toBe('messages[0].content[0].image_url');
    const ftp = { role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'ftp://x/y.png' } }] };
    expect(rejection(base({ messages: [ftp] })).param).toBe('messages[0].content[0].image_url');
  });
});

describe('toMessagesRequest: tool calls and results', () => {
  it('turns assistant tool_calls into tool_use blocks, with {} for empty or invalid arguments', () => {
    const messages: ChatRequest['messages'] = [
      user('Weather?'),
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
          { id: 'call_3', type: 'function', function: { name: 'get_date', arguments: '{not json' } },
          { id: 'call_4', type: 'function', function: { name: 'get_list', arguments: '[1,2]' } },
        ],
      },
    ];
    expect(toMessagesRequest(base({ messages }), MODEL).messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
        { type: 'tool_use', id: 'call_3', name: 'get_date', input: {} },
        { type: 'tool_use', id: 'call_4', name: 'get_list', input: {} },
      ],
    });
  });

  it('puts consecutive tool messages into one user turn, tool_result blocks before the text that follows', () => {
    const messages: ChatRequest['messages'] = [
      user('Weather and time?'),
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Noon' }] },
      user('Thanks'),
    ];
    const body = toMessagesRequest(base({ messages }), MODEL);
    expect(body.messages).toHaveLength(3);
    expect(body.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'Sunny' },
        { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: 'Noon' }] },
        { type: 'text', text: 'Thanks' },
      ],
    });
  });

  it('places tool results ahead of user text already in the same turn', () => {
    const messages: ChatRequest['messages'] = [
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      user('note'),
      { role: 'tool', tool_call_id: 'c1', content: 'done' },
    ];
    expect(toMessagesRequest(base({ messages }), MODEL).messages[1].content).toEqual([
      { type: 'tool_result', tool_use_id: 'c1', content: 'done' },
      { type: 'text', text: 'note' },
    ]);
  });

  it('maps tools, defaulting a missing parameters schema to an empty object schema', () => {
    const bare = { type: 'function' as const, function: { name: 'ping' } };
    expect(toMessagesRequest(base({ tools: [WEATHER_TOOL, bare] }), MODEL).tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'ping', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, { type: 'tool', name: 'get_weather' }],
  ] as const)('maps tool_choice %j to %j', (choice, expected) => {
    expect(toMessagesRequest(base({ tools: [WEATHER_TOOL], tool_choice: choice }), MODEL).tool_choice).toEqual(expected);
  });

  it('maps parallel_tool_calls: false to disable_parallel_tool_use on the tool choice', () => {
    const request = (fields: Partial<ChatRequest>) => toMessagesRequest(base({ tools: [WEATHER_TOOL], parallel_tool_calls: false, ...fields }), MODEL);
    expect(request({}).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(request({ tool_choice: 'required' }).tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(toMessagesRequest(base({ tools: [WEATHER_TOOL] }), MODEL)).not.toHaveProperty('tool_choice');
  });
});

describe('toMessagesRequest: sampling and limits', () => {
  it('renames stop, user, and passes temperature and top_p through unchanged', () => {
    const body = toMessagesRequest(base({ stop: 'END', user: 'u-1', temperature: 0.3, top_p: 0.9 }), MODEL);
    expect(body).toMatchObject({ stop_sequences: ['END'], metadata: { user_id: 'u-1' }, temperature: 0.3, top_p: 0.9 });
    expect(toMessagesRequest(base({ stop: ['a', 'b'] }), MODEL).stop_sequences).toEqual(['a', 'b']);
  });

  it('rejects temperature above 1 instead of clamping it', () => {
    const error = rejection(base({ temperature: 1.5 }));
    expect(error.param).toBe('temperature');
    expect(error.message).toContain('1.5');
  });

  it('uses max_completion_tokens, then max_tokens, then the model default', () => {
    expect(toMessagesRequest(base({ max_completion_tokens: 100, max_tokens: 200 }), MODEL).max_tokens).toBe(100);
    expect(toMessagesRequest(base({ max_tokens: 200 }), MODEL).max_tokens).toBe(200);
    expect(toMessagesRequest(base(), 'claude-3-5-haiku-20241022').max_tokens).toBe(8_192);
  });

  it.each([
    ['claude-opus-4-1', 32_000],
    ['claude-sonnet-4-5-20250929', 64_000],
    ['claude-3-7-sonnet-latest', 64_000],
    ['claude-3-5-sonnet-20241022', 8_192],
    ['claude-3-haiku-20240307', 4_096],
    ['some-future-model', 4_096],
  ])('defaults max_tokens for %s to %i', (model, expected) => {
    expect(defaultMaxTokens(model)).toBe(expected);
  });

  it.each([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['top_logprobs', { top_logprobs: 3 }],
    ['presence_penalty', { presence_penalty: 0.5 }],
    ['frequency_penalty', { frequency_penalty: -0.5 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['seed', { seed: 7 }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['response_format', { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: {} } } }],
  ] as const)('rejects %s with UnsupportedRequestError naming it', (param, fields) => {
    expect(rejection(base(fields)).param).toBe(param);
  });

  it('accepts no-op values of unsupported fields', () => {
    const noOps: Partial<ChatRequest> = {
      n: 1,
      logprobs: false,
      presence_penalty: 0,
      frequency_penalty: 0,
      logit_bias: {},
      seed: null,
      response_format: { type: 'text' },
    };
    expect(() => toMessagesRequest(base(noOps), MODEL)).not.toThrow();
  });
});
