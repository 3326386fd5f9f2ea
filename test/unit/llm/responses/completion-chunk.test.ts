/** A non-streamed completion is shown to the emitter as the one chunk its stream would add up to. */
import { describe, expect, it } from 'vitest';
import { completionAsChunk } from '../../../../src/llm/responses/completion-chunk.js';
import { completion } from '../../../fixtures/openai-upstream.js';

describe('completionAsChunk', () => {
  it('keeps text, refusal and the client function calls (renumbered), dropping MCP calls', () => {
    const answer = completion(
      {
        content: 'Both.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'every__echo', arguments: '{}' } },
          { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      { finish_reason: 'tool_calls' },
    );
    const chunk = completionAsChunk(answer, (name) => name === 'get_weather');
    expect(chunk.choices).toEqual([
      {
        index: 0,
        delta: {
          role: 'assistant',
          content: 'Both.',
          tool_calls: [{ index: 0, id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ]);
  });
});
