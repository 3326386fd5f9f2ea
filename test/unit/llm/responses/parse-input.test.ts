/** Issue #4 point 1: Responses input items are validated and normalised to their stored form, errors naming the field. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import { parseInput } from '../../../../src/llm/responses/parse-input.js';

function rejection(run: () => unknown): InvalidRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error;
    throw error;
  }
  throw new Error('expected an InvalidRequestError');
}

describe('parseInput', () => {
  it('turns a string into one user message with an input_text part and a msg_ id', () => {
    const [item] = parseInput('Hello');
    expect(item).toMatchObject({ type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: 'Hello' }] });
    expect(item.id).toMatch(/^msg_[0-9a-f]{32}$/);
  });

  it('normalises message content by role: input_* parts for users, output_text for the assistant', () => {
    const items = parseInput([
      { role: 'user', content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'https://x/y.png' }] },
      { role: 'assistant', content: 'Nice picture' },
      { type: 'message', role: 'developer', content: 'Be brief', id: 'msg_given' },
    ]);
    expect(items[0]).toMatchObject({
      content: [{ type: 'input_text', text: 'Look' }, { type: 'input_image', image_url: 'https://x/y.png', detail: 'auto' }],
    });
    expect(items[1]).toMatchObject({ role: 'assistant', content: [{ type: 'output_text', text: 'Nice picture', annotations: [] }] });
    expect(items[2]).toMatchObject({ id: 'msg_given', role: 'developer', content: [{ type: 'input_text', text: 'Be brief' }] });
  });

  it('keeps function calls and their outputs, giving ids where none were sent', () => {
    const items = parseInput([
      { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'Snow' },
    ]);
    expect(items[0]).toMatchObject({ type: 'function_call', call_id: 'call_1', status: 'completed' });
    expect(items[0].id).toMatch(/^fc_/);
    expect(items[1]).toMatchObject({ type: 'function_call_output', call_id: 'call_1', output: 'Snow', status: 'completed' });
    expect(items[1].id).toMatch(/^fco_/);
  });

  it('accepts the four MCP item kinds, with mcp_call errors in string or object form', () => {
    const items = parseInput([
      { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 's', tools: [{ name: 't', input_schema: { type: 'object' } }] },
      { type: 'mcp_approval_request', id: 'mcpr_1', server_label: 's', name: 't', arguments: '{}' },
      { type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false, reason: 'no' },
      { type: 'mcp_call', id: 'mcp_1', server_label: 's', name: 't', arguments: '{}', error: 'boom' },
      { type: 'mcp_call', id: 'mcp_2', server_label: 's', name: 't', arguments: '{}', error: { type: 'http_error', code: 502, message: 'bad' } },
    ]);
    expect(items.map((item) => item.type)).toEqual(['mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response', 'mcp_call', 'mcp_call']);
    expect(items[2]).toMatchObject({ approve: false, reason: 'no' });
    expect(items[3]).toMatchObject({ error: 'boom' });
    expect(items[4]).toMatchObject({ error: { type: 'http_error', code: 502, message: 'bad' } });
  });

  it('names the missing field of an item', () => {
    const error = rejection(() => parseInput([{ role: 'user', content: 'hi' }, { type: 'function_call_output', output: 'x' }]));
    expect(error.param).toBe('input[1].call_id');
    expect(error.message).toContain("Missing required parameter: 'input[1].call_id'");
  });

  it('keeps item_reference entries (type given or left out) for the conversation to resolve', () => {
    expect(parseInput([{ type: 'item_reference', id: 'msg_1' }, { id: 'fc_2' }])).toEqual([
      { type: 'item_reference', id: 'msg_1', index: 0 },
      { type: 'item_reference', id: 'fc_2', index: 1 },
    ]);
  });

  it('refuses unsupported item types and content parts, naming them', () => {
    expect(rejection(() => parseInput([{ type: 'web_search_call', id: 'ws_1' }])).param).toBe('input[0].type');
    expect(rejection(() => parseInput([{ role: 'user', content: [{ type: 'output_text', text: 'x' }] }])).param).toBe(
      'input[0].content[0].type',
    );
    expect(rejection(() => parseInput([{ role: 'robot', content: 'x' }])).param).toBe('input[0].role');
  });

  it('refuses a wrongly typed field, saying what it expected', () => {
    const error = rejection(() => parseInput([{ type: 'function_call', call_id: 'c', name: 'f', arguments: { city: 'Oslo' } }]));
    expect(error.param).toBe('input[0].arguments');
    expect(error.message).toContain('expected a string, but got an object');
  });
});
