/** A non-streamed completion is shown to the emitter as the one chunk its stream would add up to. */
import { describe, expect, it } from 'vitest';
import { completionAsChunk } from '../../../../src/llm/responses/response-model.js';
import { toResponseUsage } from '../../../../src/llm/responses/usage.js';
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

describe('toResponseUsage', () => {
  it('renames the chat counters and their details (wire-formats.md §1.6)', () => {
    expect(
      toResponseUsage({
        prompt_tokens: 10,
        completion_tokens: 4,
        total_tokens: 14,
        prompt_tokens_details: { cached_tokens: 3 },
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
    ).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 3, cache_write_tokens: 0 },
      output_tokens: 4,
      output_tokens_details: { reasoning_tokens: 2 },
      total_tokens: 14,
    });
  });
});
