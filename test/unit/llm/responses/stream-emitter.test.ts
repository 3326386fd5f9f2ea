/**
 * Issue #4 points 1 and 5: the emitter turns chat chunks and tool-loop events into OpenAI's event sequence — one
 * lifecycle, continuous sequence numbers and output indexes — that the `openai` SDK's accumulator rebuilds into the
 * same response the emitter returns.
 */
import { accumulateResponse } from 'openai/lib/responses/ResponseAccumulator';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions/completions';
import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import type { ResponseIdentity } from '../../../../src/llm/responses/response-object.js';
import type { ResponseEvent } from '../../../../src/llm/responses/response-types.js';
import { ResponseEmitter } from '../../../../src/llm/responses/stream-emitter.js';
import type { McpCallRecord } from '../../../../src/llm/tool-loop/loop-types.js';
import { checkEventOrder } from '../../../fixtures/response-event-order.js';

const IDENTITY: ResponseIdentity = { id: 'resp_test', createdAt: 1, request: { model: 'm' }, store: true, ownerId: null };
const USAGE = { input_tokens: 1, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: 2, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 3 };

function chunk(delta: ChatCompletionChunk.Choice.Delta): ChatCompletionChunk {
  return { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] };
}

function recorder() {
  const events: ResponseEvent[] = [];
  const emitter = new ResponseEmitter(IDENTITY, async (event) => {
    events.push(JSON.parse(JSON.stringify(event)) as ResponseEvent);
  });
  return { events, emitter };
}

/** What the SDK makes of the stream: its final snapshot. */
function accumulate(events: readonly ResponseEvent[]): Response | undefined {
  let snapshot: Response | undefined;
  for (const event of events) snapshot = accumulateResponse(event as unknown as ResponseStreamEvent, snapshot);
  return snapshot;
}

async function finish(emitter: ResponseEmitter, status: 'completed' | 'incomplete' = 'completed') {
  const response = await emitter.conclude({ status, usage: USAGE, ...(status === 'incomplete' ? { incompleteReason: 'max_output_tokens' as const } : {}) });
  await emitter.terminate(response);
  return response;
}

describe('ResponseEmitter', () => {
  it('streams a text answer as message → content part → deltas with logprobs → done events', async () => {
    const { events, emitter } = recorder();
    await emitter.start();
    for (const piece of ['Hello', ' there']) await emitter.chunk(chunk({ content: piece }));
    const response = await finish(emitter);
    checkEventOrder(events);
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events[4]).toMatchObject({ delta: 'Hello', logprobs: [], content_index: 0, output_index: 0 });
    expect(response.output_text).toBe('Hello there');
    expect(response.output[0]).toMatchObject({ type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Hello there', annotations: [] }] });
    expect(accumulate(events)).toMatchObject({ status: 'completed', output: response.output, usage: USAGE });
  });

  it('closes the message when a tool call starts and keeps interleaved tool calls open until the round ends', async () => {
    const { events, emitter } = recorder();
    await emitter.start();
    await emitter.chunk(chunk({ content: 'Checking.' }));
    await emitter.chunk(chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'w', arguments: '' } }] }));
    await emitter.chunk(chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'w', arguments: '{"c":' } }] }));
    await emitter.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"c":"P"}' } }] }));
    await emitter.chunk(chunk({ tool_calls: [{ index: 1, function: { arguments: '"O"}' } }] }));
    const response = await finish(emitter);
    checkEventOrder(events);
    expect(response.output.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call']);
    expect(response.output[1]).toMatchObject({ call_id: 'call_a', name: 'w', arguments: '{"c":"P"}', status: 'completed' });
    expect(response.output[2]).toMatchObject({ call_id: 'call_b', arguments: '{"c":"O"}' });
    const done = events.filter((event) => event.type === 'response.function_call_arguments.done');
    expect(done.map((event) => event.type === 'response.function_call_arguments.done' && [event.output_index, event.name])).toEqual([
      [1, 'w'],
      [2, 'w'],
    ]);
    expect(accumulate(events)?.output).toEqual(response.output);
  });

  it('streams a refusal as its own content part', async () => {
    const { events, emitter } = recorder();
    await emitter.start();
    await emitter.chunk(chunk({ refusal: 'No.' }));
    const response = await finish(emitter);
    checkEventOrder(events);
    expect(events.map((event) => event.type)).toContain('response.refusal.done');
    expect(response.output[0]).toMatchObject({ content: [{ type: 'refusal', refusal: 'No.' }] });
  });

  it('answers with one empty message when the model said nothing, and marks an incomplete answer', async () => {
    const { events, emitter } = recorder();
    await emitter.start();
    const response = await finish(emitter, 'incomplete');
    checkEventOrder(events);
    expect(events.at(-1)?.type).toBe('response.incomplete');
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output_text: '' });
    expect(response.output).toEqual([
      expect.objectContaining({ type: 'message', status: 'incomplete', content: [{ type: 'output_text', text: '', annotations: [], logprobs: [] }] }),
    ]);
  });

  it('keeps one lifecycle and continuous output indexes across tool rounds, rendering loop events as MCP items', async () => {
    const { events, emitter } = recorder();
    const call: McpCallRecord = {
      id: 'mcp_1',
      toolCallId: 'call_1',
      serverLabel: 'every',
      name: 'echo',
      arguments: '{"message":"hi"}',
      output: 'Echo: hi',
      error: null,
      status: 'completed',
      approvalRequestId: null,
    };
    await emitter.start();
    await emitter.loopEvent({ type: 'tools_listed', serverLabel: 'every', tools: [{ name: 'echo', inputSchema: { type: 'object' } }] });
    await emitter.loopEvent({ type: 'round_started', round: 1 });
    await emitter.loopEvent({ type: 'chunk', chunk: chunk({ content: 'Let me echo.' }) });
    await emitter.loopEvent({ type: 'mcp_call_started', call: { ...call, output: null, status: 'in_progress' } });
    await emitter.loopEvent({ type: 'mcp_call_finished', call });
    await emitter.loopEvent({ type: 'round_started', round: 2 });
    await emitter.loopEvent({ type: 'chunk', chunk: chunk({ content: 'It said hi.' }) });
    const response = await finish(emitter);
    checkEventOrder(events);
    expect(response.output.map((item) => item.type)).toEqual(['mcp_list_tools', 'message', 'mcp_call', 'message']);
    expect(response.output[2]).toMatchObject({ id: 'mcp_1', arguments: '{"message":"hi"}', output: 'Echo: hi', status: 'completed', error: null });
    expect(accumulate(events)?.output).toEqual(response.output);
  });
});
