/** Chat usage → Responses usage (wire-formats.md §1.6). */
import { describe, expect, it } from 'vitest';
import { toResponseUsage } from '../../../../src/llm/responses/usage.js';

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
