import { describe, expect, it } from 'vitest';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages/messages';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import { AnthropicStreamTranslator } from '../../../providers/anthropic/stream.js';
import { UpstreamStatusError } from '../../../providers/upstream-errors.js';
import { buildUsage, events } from '../../fixtures/anthropic-upstream.js';

const CREATED = 1_760_000_000;

function translate(list: RawMessageStreamEvent[], includeUsage = false): ChatCompletionChunk[] {
  const translator = new AnthropicStreamTranslator({ created: CREATED, includeUsage });
  return list.flatMap((event) => translator.push(event));
}

const textEvents = (): RawMessageStreamEvent[] => [
  events.messageStart({ id: 'msg_s', model: 'claude-x-2' }),
  events.textStart(0),
  events.textDelta(0, 'Hel'),
  events.textDelta(0, ''),
  events.textDelta(0, 'lo'),
  events.blockStop(0),
  events.messageDelta('end_turn', { output_tokens: 12 }),
  events.messageStop(),
];

describe('AnthropicStreamTranslator', () => {
  it('emits a role chunk, one chunk per non-empty text delta and a finish chunk, all sharing id/created/model', () => {
    const chunks = translate(textEvents());
    expect(chunks.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { content: 'Hel' }, finish_reason: null, logprobs: null },
      { index: 0, delta: { content: 'lo' }, finish_reason: null, logprobs: null },
      { index: 0, delta: {}, finish_reason: 'stop', logprobs: null },
    ]);
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-msg_s', object: 'chat.completion.chunk', created: CREATED, model: 'claude-x-2' });
      expect(chunk).not.toHaveProperty('usage');
    }
  });

  it('with include_usage, sets usage: null on choice chunks and ends with a choices: [] usage chunk', () => {
    const list = textEvents();
    list[0] = events.messageStart({ usage: buildUsage({ input_tokens: 7, cache_creation_input_tokens: 3, cache_read_input_tokens: 30, output_tokens: 1 }) });
    const chunks = translate(list, true);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52, prompt_tokens_details: { cached_tokens: 30 } },
    });
  });

  it('takes final input counters from message_delta when the upstream sends them there', () => {
    const list = textEvents();
    list[6] = events.messageDelta('end_turn', { output_tokens: 12, input_tokens: 100, cache_read_input_tokens: 50 });
    expect(translate(list, true).at(-1)?.usage).toMatchObject({ prompt_tokens: 150, completion_tokens: 12 });
  });

  it('numbers tool calls by a tool counter, not the Anthropic block index, and routes interleaved JSON by block', () => {
    const chunks = translate([
      events.messageStart(),
      events.textStart(0),
      events.textDelta(0, 'Let me look.'),
      events.blockStop(0),
      events.toolUseStart(1, 'toolu_A', 'get_weather'),
      events.toolUseStart(2, 'toolu_B', 'get_time'),
      events.jsonDelta(2, '{"tz":'),
      events.jsonDelta(1, '{"city":'),
      events.jsonDelta(1, ''),
      events.jsonDelta(2, '"UTC"}'),
      events.jsonDelta(1, '"Oslo"}'),
      events.blockStop(2),
      events.blockStop(1),
      events.messageDelta('tool_use'),
      events.messageStop(),
    ]);
    expect(chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])).toEqual([
      { index: 0, id: 'toolu_A', type: 'function', function: { name: 'get_weather', arguments: '' } },
      { index: 1, id: 'toolu_B', type: 'function', function: { name: 'get_time', arguments: '' } },
      { index: 1, function: { arguments: '{"tz":' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 1, function: { arguments: '"UTC"}' } },
      { index: 0, function: { arguments: '"Oslo"}' } },
    ]);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('skips thinking blocks and their deltas', () => {
    const chunks = translate([
      events.messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'abc' } },
      events.blockStop(0),
      events.messageDelta('end_turn'),
      events.messageStop(),
    ]);
    expect(chunks.map((chunk) => chunk.choices[0].delta)).toEqual([{ role: 'assistant', content: '' }, {}]);
  });

  it('maps the stop reason of message_delta, e.g. max_tokens to length', () => {
    const list = textEvents();
    list[6] = events.messageDelta('max_tokens');
    expect(translate(list).at(-1)?.choices[0].finish_reason).toBe('length');
  });

  it('reports finished only after message_stop and ignores anything after it', () => {
    const translator = new AnthropicStreamTranslator({ created: CREATED, includeUsage: false });
    const list = textEvents();
    for (const event of list.slice(0, -1)) translator.push(event);
    expect(translator.isFinished).toBe(false);
    translator.push(list.at(-1)!);
    expect(translator.isFinished).toBe(true);
    expect(translator.push(events.textDelta(0, 'late'))).toEqual([]);
  });

  it('rejects content that arrives before message_start as a 502', () => {
    const translator = new AnthropicStreamTranslator({ created: CREATED, includeUsage: false });
    expect(() => translator.push(events.textDelta(0, 'x'))).toThrow(UpstreamStatusError);
  });
});
