/** Conversation items → a native upstream's input items (native-input.ts): MCP items rewritten as function calls, ids dropped. */
import { describe, expect, it } from 'vitest';
import { replayItem, toNativeInput } from '../../../../src/llm/responses/native-input.js';
import type { ConversationItem } from '../../../../src/llm/responses/response-types.js';

const user = (text: string): ConversationItem => ({ id: 'msg_u', type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text }] });

describe('toNativeInput', () => {
  it('rewrites an mcp_call as function_call + output, drops mcp_list_tools and unanswered approval requests', () => {
    const history: ConversationItem[] = [
      user('hi'),
      { id: 'mcpl_1', type: 'mcp_list_tools', server_label: 'every', tools: [] },
      { id: 'mcp_1', type: 'mcp_call', server_label: 'every', name: 'echo', arguments: '{"m":1}', output: 'Echo', error: null, status: 'completed', approval_request_id: null },
      { id: 'mcpr_1', type: 'mcp_approval_request', server_label: 'every', name: 'echo', arguments: '{}' },
    ];
    const native = toNativeInput({ history, input: [user('again')] }, 10_000);
    expect(native.items).toEqual([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'function_call', call_id: 'mcp_1', name: 'every__echo', arguments: '{"m":1}' },
      { type: 'function_call_output', call_id: 'mcp_1', output: 'Echo' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'again' }] },
    ]);
    expect([...native.listedLabels]).toEqual(['every']);
  });

  it('turns an approval into its function call: approved for the loop to run, declined with the refusal as output', () => {
    const request: ConversationItem = { id: 'mcpr_1', type: 'mcp_approval_request', server_label: 'rec', name: 'add', arguments: '{"a":1}' };
    const approved = toNativeInput({ history: [request], input: [{ id: 'mcpa_1', type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: true }] }, 10_000);
    expect(approved.items).toEqual([{ type: 'function_call', call_id: 'mcpr_1', name: 'rec__add', arguments: '{"a":1}' }]);
    expect(approved.approved).toEqual([expect.objectContaining({ toolCallId: 'mcpr_1', functionName: 'rec__add', inputIndex: 0 })]);
    const declined = toNativeInput({ history: [request], input: [{ id: 'mcpa_1', type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false, reason: 'no' }] }, 10_000);
    expect(declined.items[1]).toEqual({ type: 'function_call_output', call_id: 'mcpr_1', output: 'The user declined to run this tool call: no' });
    expect(declined.approved).toEqual([]);
  });
});

describe('replayItem', () => {
  it('keeps a reasoning item only with encrypted_content, and drops message and call ids', () => {
    expect(replayItem({ type: 'reasoning', id: 'rs_1', summary: [] })).toBeUndefined();
    expect(replayItem({ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'x' })).toEqual({ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'x' });
    expect(replayItem({ type: 'function_call', id: 'fc_1', call_id: 'c', name: 'f', arguments: '{}' })).toEqual({ type: 'function_call', call_id: 'c', name: 'f', arguments: '{}' });
    expect(replayItem({ type: 'web_search_call', id: 'ws_1', status: 'completed' })).toEqual({ type: 'web_search_call', id: 'ws_1', status: 'completed' });
  });
});
