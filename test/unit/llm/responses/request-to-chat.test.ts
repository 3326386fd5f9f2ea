/** Issue #4 point 1: a Responses create request → the chat request sent upstream (fields, tools, tool_choice, text.format). */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import type { ResponsesRequest } from '../../../../src/llm/responses/request-schema.js';
import { rejectUnsupported, toChatRequest } from '../../../../src/llm/responses/request-to-chat.js';
import { splitTools, toChatToolChoice } from '../../../../src/llm/responses/tools-to-chat.js';

const USER = [{ role: 'user' as const, content: 'hi' }];
const WEATHER = { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: true };

function chatFor(request: Partial<ResponsesRequest>) {
  const body = { model: 'm', ...request } as ResponsesRequest;
  return toChatRequest(body, USER, splitTools(body.tools));
}

function paramOf(run: () => unknown): string | null {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.param;
    throw error;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('toChatRequest', () => {
  it('renames max_output_tokens and passes the sampling and identity fields through', () => {
    const chat = chatFor({ max_output_tokens: 64, temperature: 0.2, top_p: 0.9, user: 'u1', safety_identifier: 's', prompt_cache_key: 'k', metadata: { a: 'b' } });
    expect(chat).toEqual({
      model: 'm',
      messages: USER,
      max_completion_tokens: 64,
      temperature: 0.2,
      top_p: 0.9,
      user: 'u1',
      safety_identifier: 's',
      prompt_cache_key: 'k',
    });
  });

  it('turns flat function tools into nested chat tools and sends parallel_tool_calls only with tools', () => {
    expect(chatFor({ parallel_tool_calls: false }).parallel_tool_calls).toBeUndefined();
    const chat = chatFor({ tools: [WEATHER] as ResponsesRequest['tools'], parallel_tool_calls: false });
    expect(chat.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object' }, strict: true } },
    ]);
    expect(chat.parallel_tool_calls).toBe(false);
  });

  it('maps text.format to response_format (text means none) and text.verbosity / reasoning.effort', () => {
    expect(chatFor({ text: { format: { type: 'text' } } }).response_format).toBeUndefined();
    expect(chatFor({ text: { format: { type: 'json_object' } } }).response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const chat = chatFor({ text: { format: { type: 'json_schema', name: 'thing', schema, strict: true }, verbosity: 'low' }, reasoning: { effort: 'low' } });
    expect(chat.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'thing', schema, strict: true } });
    expect(chat.verbosity).toBe('low');
    expect(chat.reasoning_effort).toBe('low');
  });

  it('refuses a json_schema format without a schema, naming the field', () => {
    expect(paramOf(() => chatFor({ text: { format: { type: 'json_schema', name: 'x' } as never } }))).toBe('text.format.schema');
  });
});

describe('tools and tool_choice', () => {
  it('sets type "mcp" tools aside for the loop and refuses hosted tools by index', () => {
    const split = splitTools([WEATHER, { type: 'mcp', server_label: 's', server_url: 'litellm_proxy' }]);
    expect(split.functions).toHaveLength(1);
    expect(split.mcp).toEqual([{ index: 1, tool: { type: 'mcp', server_label: 's', server_url: 'litellm_proxy' } }]);
    expect(paramOf(() => splitTools([WEATHER, { type: 'web_search' }]))).toBe('tools[1].type');
    expect(paramOf(() => splitTools([{ type: 'function' }]))).toBe('tools[0].name');
  });

  it('maps tool_choice to the chat forms', () => {
    expect(toChatToolChoice('required')).toBe('required');
    expect(toChatToolChoice({ type: 'function', name: 'get_weather' })).toEqual({ type: 'function', function: { name: 'get_weather' } });
    expect(toChatToolChoice({ type: 'allowed_tools', mode: 'auto', tools: [{ type: 'function', name: 'a' }] })).toEqual({
      type: 'allowed_tools',
      allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'a' } }] },
    });
    expect(toChatToolChoice({ type: 'mcp', server_label: 's' })).toBeUndefined();
    expect(paramOf(() => toChatToolChoice({ type: 'file_search' }))).toBe('tool_choice.type');
  });
});

describe('rejectUnsupported', () => {
  it.each([
    ['background', { background: true }],
    ['conversation', { conversation: 'conv_1' }],
    ['truncation', { truncation: 'auto' }],
    ['top_logprobs', { top_logprobs: 3 }],
  ] as const)('refuses %s with a 400 naming it', (param, fields) => {
    expect(paramOf(() => rejectUnsupported({ model: 'm', ...fields } as ResponsesRequest))).toBe(param);
  });

  it('accepts the no-op values of those fields', () => {
    expect(() => rejectUnsupported({ model: 'm', background: false, truncation: 'disabled', top_logprobs: 0 })).not.toThrow();
  });
});
