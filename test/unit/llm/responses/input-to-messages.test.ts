/** Issue #4 point 1 (wire-formats.md §1.6): conversation items → chat messages, including MCP history and approvals. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import { toChatMessages } from '../../../../src/llm/responses/input-to-messages.js';
import { parseInput } from '../../../../src/llm/responses/parse-input.js';
import type { ConversationItem } from '../../../../src/llm/responses/response-types.js';

const convert = (history: unknown[], input: unknown[], instructions?: string) =>
  toChatMessages({ history: parseInput(history) as ConversationItem[], input: parseInput(input) as ConversationItem[] }, instructions, 10_000);

describe('toChatMessages', () => {
  it('puts instructions first as the system message and keeps message roles and parts', () => {
    const { messages } = convert([], [
      { role: 'developer', content: 'Short answers.' },
      { role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: 'https://x/a.png', detail: 'low' }] },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Thanks' },
    ], 'Be kind.');
    expect(messages).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'developer', content: 'Short answers.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'https://x/a.png', detail: 'low' } },
        ],
      },
      { role: 'assistant', content: 'A cat.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('merges consecutive function calls (and the text before them) into one assistant message', () => {
    const { messages } = convert([], [
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_a', output: 'Sun' },
      { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: 'Snow' }] },
    ]);
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_a', content: 'Sun' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'Snow' }] },
    ]);
  });

  it('shows earlier mcp_call items to the model as a tool call and its result; mcp_list_tools only marks the server listed', () => {
    const result = convert(
      [
        { role: 'user', content: 'Echo hi' },
        { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'every', tools: [{ name: 'echo', input_schema: {} }] },
        { type: 'mcp_call', id: 'mcp_1', server_label: 'every', name: 'echo', arguments: '{"message":"hi"}', output: 'Echo: hi' },
        { type: 'mcp_call', id: 'mcp_2', server_label: 'every', name: 'echo', arguments: '{}', error: { type: 'mcp_protocol_error', code: -32602, message: 'bad args' } },
        { role: 'assistant', content: 'It said hi.' },
      ],
      [{ role: 'user', content: 'Again' }],
    );
    expect(result.listedLabels).toEqual(new Set(['every']));
    expect(result.messages).toEqual([
      { role: 'user', content: 'Echo hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'mcp_1', type: 'function', function: { name: 'every__echo', arguments: '{"message":"hi"}' } }] },
      { role: 'tool', tool_call_id: 'mcp_1', content: 'Echo: hi' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'mcp_2', type: 'function', function: { name: 'every__echo', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'mcp_2', content: 'Tool error: bad args' },
      { role: 'assistant', content: 'It said hi.' },
      { role: 'user', content: 'Again' },
    ]);
  });

  it("replays a failed mcp_call with the loop's own wording: a tool's isError content as its result text, capped as the loop caps it", () => {
    const failed = (error: unknown) => ({ type: 'mcp_call', id: 'mcp_9', server_label: 'every', name: 'echo', arguments: '{}', error });
    const text = (result: ReturnType<typeof toChatMessages>) => result.messages.find((message) => message.role === 'tool')?.content;
    const blocks = [{ type: 'text', text: 'boom' }, { type: 'text', text: 'again' }];
    expect(text(convert([failed({ type: 'mcp_tool_execution_error', content: blocks })], [{ role: 'user', content: 'next' }]))).toBe('Tool error: boom\nagain');
    const capped = toChatMessages(
      { history: parseInput([failed({ type: 'mcp_tool_execution_error', content: blocks })]) as ConversationItem[], input: parseInput([{ role: 'user', content: 'next' }]) as ConversationItem[] },
      undefined,
      4,
    );
    expect(text(capped)).toBe('Tool error: boom\n[truncated: 6 more characters]');
    expect(text(convert([failed({ type: 'http_error', code: 503, message: 'upstream down' })], [{ role: 'user', content: 'next' }]))).toBe('Tool error: upstream down');
  });

  const asked = [
    { role: 'user', content: 'Delete it' },
    { type: 'mcp_approval_request', id: 'mcpr_1', server_label: 'fs', name: 'delete', arguments: '{"path":"/a"}' },
  ];

  it('turns an approval given in this request into a call for the loop to run', () => {
    const result = convert(asked, [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true }]);
    expect(result.approved).toEqual([
      { toolCallId: 'mcpr_1', functionName: 'fs__delete', arguments: '{"path":"/a"}', approvalRequestId: 'mcpr_1', serverLabel: 'fs', name: 'delete', inputIndex: 0 },
    ]);
    expect(result.messages.at(-1)).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 'mcpr_1', type: 'function', function: { name: 'fs__delete', arguments: '{"path":"/a"}' } }],
    });
  });

  it('tells the model about a declined call and runs nothing', () => {
    const result = convert(asked, [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false, reason: 'too risky' }]);
    expect(result.approved).toEqual([]);
    expect(result.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'mcpr_1', content: 'The user declined to run this tool call: too risky' });
  });

  it('never runs an approved call twice: not when an mcp_call carries its id, nor when an earlier response approved it', () => {
    const executed = [...asked, { type: 'mcp_call', id: 'mcp_9', server_label: 'fs', name: 'delete', arguments: '{}', output: 'ok', approval_request_id: 'mcpr_1' }];
    expect(convert(executed, [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true }]).approved).toEqual([]);
    const approvedBefore = [...asked, { type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true }];
    expect(convert(approvedBefore, [{ role: 'user', content: 'and now?' }]).approved).toEqual([]);
  });

  it('refuses an approval response with no matching request, naming the input item', () => {
    try {
      convert(asked, [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_unknown', approve: true }]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).param).toBe('input[0].approval_request_id');
    }
  });

  it('refuses content a chat upstream cannot take, such as an image in a tool output', () => {
    expect(() =>
      convert([], [
        { type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', image_url: 'https://x/a.png' }] },
      ]),
    ).toThrow(InvalidRequestError);
  });
});
