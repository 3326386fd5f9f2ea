import { describe, expect, it } from 'vitest';
import type { ContentBlock, StopReason } from '@anthropic-ai/sdk/resources/messages/messages';
import { toChatCompletion } from '../../../providers/anthropic/response.js';
import { buildMessage, buildUsage, textBlock, toolUseBlock } from '../../fixtures/anthropic-upstream.js';

const CREATED = 1_760_000_000;
const thinking: ContentBlock = { type: 'thinking', thinking: 'hmm', signature: 'sig' };

describe('toChatCompletion', () => {
  it('builds a chat.completion with a deterministic id, the upstream model and the given created time', () => {
    const completion = toChatCompletion(buildMessage({ id: 'msg_9', model: 'claude-x-1', content: [textBlock('Hi')] }), CREATED);
    expect(completion).toEqual({
      id: 'chatcmpl-msg_9',
      object: 'chat.completion',
      created: CREATED,
      model: 'claude-x-1',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hi', refusal: null }, finish_reason: 'stop', logprobs: null },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it('joins text blocks and drops thinking blocks', () => {
    const message = buildMessage({ content: [thinking, textBlock('Hel'), textBlock('lo')] });
    expect(toChatCompletion(message, CREATED).choices[0].message.content).toBe('Hello');
  });

  it('maps tool_use blocks to tool_calls and uses null content when there is no text', () => {
    const message = buildMessage({
      content: [toolUseBlock('toolu_1', 'get_weather', { city: 'Paris' }), toolUseBlock('toolu_2', 'get_time', {})],
      stop_reason: 'tool_use',
    });
    const { message: chat, finish_reason } = toChatCompletion(message, CREATED).choices[0];
    expect(finish_reason).toBe('tool_calls');
    expect(chat.content).toBeNull();
    expect(chat.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('keeps text next to tool calls and leaves tool_calls out when there are none', () => {
    const withBoth = toChatCompletion(buildMessage({ content: [textBlock('Let me check.'), toolUseBlock('t', 'f', {})] }), CREATED);
    expect(withBoth.choices[0].message.content).toBe('Let me check.');
    const textOnly = toChatCompletion(buildMessage({ content: [textBlock('x')] }), CREATED);
    expect(textOnly.choices[0].message).not.toHaveProperty('tool_calls');
  });

  it.each<[StopReason | null, string]>([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['model_context_window_exceeded', 'length'],
    ['pause_turn', 'stop'],
    [null, 'stop'],
  ])('maps stop_reason %s to finish_reason %s', (stopReason, finishReason) => {
    expect(toChatCompletion(buildMessage({ stop_reason: stopReason }), CREATED).choices[0].finish_reason).toBe(finishReason);
  });

  it('counts cache writes and reads as prompt tokens and reports reads as cached_tokens', () => {
    const usage = buildUsage({ input_tokens: 5, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000, output_tokens: 40 });
    expect(toChatCompletion(buildMessage({ usage }), CREATED).usage).toEqual({
      prompt_tokens: 1205,
      completion_tokens: 40,
      total_tokens: 1245,
      prompt_tokens_details: { cached_tokens: 1000 },
    });
  });
});
