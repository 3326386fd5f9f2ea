/**
 * Issue #4 (chat approvals): reading back the `mcp_tool_calls` a client echoes — the extension fields dropped, and
 * the earlier assistant message's MCP calls the proxy ran answered with the tool messages the model was given.
 */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { resolveMcpExtension } from '../../../src/llm/chat-mcp-extension.js';

const call = (id: string, args = '{}') => ({ id, type: 'function' as const, function: { name: 's__t', arguments: args } });
const asks = (...ids: string[]): ChatCompletionMessageParam => ({ role: 'assistant', content: null, tool_calls: ids.map((id) => call(id)) });
const entry = (id: string, fields: Record<string, unknown>) => ({
  id: 'mcp_1', tool_call_id: id, server_label: 's', name: 't', arguments: '{}', output: null, error: null, status: 'completed', ...fields,
});
const answer = (entries: unknown, fields: Record<string, unknown> = {}) =>
  ({ role: 'assistant', content: 'done', mcp_tool_calls: entries, ...fields }) as unknown as ChatCompletionMessageParam;
const user = (content: string): ChatCompletionMessageParam => ({ role: 'user', content });

describe('resolveMcpExtension', () => {
  it('gives the very same array back when no message carries the extension', () => {
    const messages = [user('go'), asks('a'), user('next')];
    expect(resolveMcpExtension(messages, 100)).toBe(messages);
  });

  it('answers each call from the nearest later entry, after the tool messages already there, in tool_calls order', () => {
    const messages = [
      user('go'),
      asks('a', 'b', 'c', 'd'),
      { role: 'tool', tool_call_id: 'c', content: 'client answer' },
      answer([
        entry('b', { output: 'B' }),
        entry('a', { status: 'failed', error: { type: 'mcp_protocol_error', code: -32602, message: 'bad arguments' } }),
        entry('d', { status: 'failed', error: { type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'x'.repeat(12) }, { type: 'image', data: '', mimeType: 'image/png' }] } }),
      ], { mcp_limit_reached: 'max_rounds' }),
      user('next'),
      answer([entry('b', { output: 'a later, unrelated B' })]),
    ] as ChatCompletionMessageParam[];
    expect(resolveMcpExtension(messages, 20)).toEqual([
      user('go'),
      asks('a', 'b', 'c', 'd'),
      { role: 'tool', tool_call_id: 'c', content: 'client answer' },
      { role: 'tool', tool_call_id: 'a', content: 'Tool error: bad arguments' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
      { role: 'tool', tool_call_id: 'd', content: 'Tool error: xxxxxxxxxxxx\n[image/\n[truncated: 4 more characters]' },
      { role: 'assistant', content: 'done' },
      user('next'),
      { role: 'assistant', content: 'done' },
    ]);
  });

  it('leaves the last assistant message\'s calls unanswered: they are the approval the loop runs', () => {
    const messages = [user('go'), answer([entry('a', { output: 'A' })], { tool_calls: [call('a')] })];
    expect(resolveMcpExtension(messages, 100)).toEqual([user('go'), { role: 'assistant', content: 'done', tool_calls: [call('a')] }]);
  });

  it('does not answer a call that did not run, whose arguments differ, or whose entry is malformed', () => {
    const messages = [
      user('go'),
      { role: 'assistant', content: null, tool_calls: [call('pending'), call('deferred'), call('other', '{"k":1}'), call('bad'), call('junk')] },
      answer([
        entry('pending', { id: 'mcpr_1', status: 'approval_required' }),
        entry('deferred', { id: null, status: 'deferred' }),
        entry('other', { output: 'for other arguments' }),
        entry('bad', { status: 'failed', error: { type: 'mcp_tool_execution_error', content: [{ type: 'resource' }] } }),
        entry('junk', { output: 7 }),
        null,
        5,
        { tool_call_id: 3 },
      ]),
      answer('not a list'),
    ] as ChatCompletionMessageParam[];
    const resolved = resolveMcpExtension(messages, 100);
    expect(resolved.map((message) => message.role)).toEqual(['user', 'assistant', 'assistant', 'assistant']);
    expect(resolved.slice(2)).toEqual([{ role: 'assistant', content: 'done' }, { role: 'assistant', content: 'done' }]);
  });
});
