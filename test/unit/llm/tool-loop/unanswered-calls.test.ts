/** A chat client sending back a stopped round: which of the last assistant message's calls still wait for a result. */
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { unansweredToolCalls } from '../../../../src/llm/tool-loop/unanswered-calls.js';

const call = (id: string) => ({ id, type: 'function' as const, function: { name: `f_${id}`, arguments: '{}' } });

describe('unansweredToolCalls', () => {
  it('lists the last assistant message\'s calls that no following tool message answers', () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call('a'), call('b'), call('c')] },
      { role: 'tool', tool_call_id: 'b', content: 'done' },
    ];
    expect(unansweredToolCalls(messages).map((entry) => entry.id)).toEqual(['a', 'c']);
  });

  it('finds nothing once a new user turn follows, or when the last assistant message made no calls', () => {
    expect(
      unansweredToolCalls([
        { role: 'assistant', content: null, tool_calls: [call('a')] },
        { role: 'user', content: 'never mind' },
      ]),
    ).toEqual([]);
    expect(unansweredToolCalls([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }])).toEqual([]);
  });
});
