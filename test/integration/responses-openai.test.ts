/**
 * Issue #4 point 1: /v1/responses bridged to an OpenAI-wire chat upstream (wire-formats.md §1.6; the deployment sets
 * `use_chat_completions_api`, an `openai/` one would be native), through the official `openai` client: what the
 * upstream receives, text and function-call answers, continuation, streaming, an answer cut by max_output_tokens,
 * and failures before and after the stream started.
 */
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, completion, json, openAIError, startOpenAIUpstream, usageChunk, type OpenAIUpstream, type RecordedRequest, type UpstreamReply } from '../fixtures/openai-upstream.js';
import { SCRIPTED_USAGE, scriptedReply, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { both, streamed } from './responses-streams.js';

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: false,
};

let upstream: OpenAIUpstream;
let gatehouse: RunningGatehouse;
let script: (request: RecordedRequest) => UpstreamReply = () => openAIError(500, 'unscripted');
const turn = (scripted: ScriptedTurn) => (request: RecordedRequest) => scriptedReply(request, scripted);

beforeAll(async () => {
  upstream = await startOpenAIUpstream((request) => script(request));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: gpt
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture, use_chat_completions_api: true }
router_settings: { num_retries: 0 }
`);
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

const lastBody = () => upstream.requests.at(-1)!.body;

describe('/v1/responses on an OpenAI-wire chat upstream', () => {
  it('sends instructions as the system message and maps max_output_tokens, text.format and tools; maps usage back', async () => {
    script = () =>
      json(
        completion(
          { content: '{"greeting":"Bonjour"}' },
          { usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26, prompt_tokens_details: { cached_tokens: 8 } } },
        ),
      );
    const schema = { type: 'object', properties: { greeting: { type: 'string' } }, required: ['greeting'], additionalProperties: false };
    const response = await gatehouse.client().responses.create({
      model: 'gpt',
      instructions: 'Be French.',
      input: 'Hello',
      max_output_tokens: 50,
      text: { format: { type: 'json_schema', name: 'greeting', schema, strict: true } },
      tools: [WEATHER],
      tool_choice: 'auto',
      metadata: { ticket: '42' },
      user: 'u-1',
    });
    expect(lastBody()).toEqual({
      model: 'gpt-fixture',
      messages: [
        { role: 'system', content: 'Be French.' },
        { role: 'user', content: 'Hello' },
      ],
      max_completion_tokens: 50,
      response_format: { type: 'json_schema', json_schema: { name: 'greeting', schema, strict: true } },
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: WEATHER.parameters, strict: false } }],
      tool_choice: 'auto',
      user: 'u-1',
      stream: false,
    });
    expect(response.output_text).toBe('{"greeting":"Bonjour"}');
    expect(response.metadata).toEqual({ ticket: '42' });
    expect(response.text).toEqual({ format: { type: 'json_schema', name: 'greeting', schema, strict: true } });
    expect(response.usage).toEqual({
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 8, cache_write_tokens: 0 },
      output_tokens: 6,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 26,
    });
  });

  it('returns function calls, and continues with their outputs as assistant tool_calls + tool messages upstream', async () => {
    const client = gatehouse.client();
    script = turn({ content: 'Checking.', calls: [{ id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const first = await client.responses.create({ model: 'gpt', input: 'Weather in Oslo?', tools: [WEATHER] });
    expect(first.output.map((item) => item.type)).toEqual(['message', 'function_call']);
    const call = first.output[1] as ResponseFunctionToolCall;
    expect(call).toMatchObject({ call_id: 'call_w', name: 'get_weather', arguments: '{"city":"Oslo"}' });

    script = turn({ content: 'It snows in Oslo.' });
    const second = await client.responses.create({
      model: 'gpt',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'call_w', output: 'Snow' }],
      tools: [WEATHER],
    });
    expect(second.output_text).toBe('It snows in Oslo.');
    expect(lastBody().messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'call_w', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_w', content: 'Snow' },
    ]);
  });

  it('streams text and two parallel calls with interleaved fragments, asking the upstream for usage; the final response equals the non-streamed one', async () => {
    script = turn({
      content: 'Looking both up.',
      calls: [
        { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { id: 'call_b', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      ],
    });
    const { plain, final, events } = await both(gatehouse.client(), { model: 'gpt', input: 'Paris and Oslo?', tools: [WEATHER] });
    expect(lastBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(final.output.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call']);
    expect((final.output[2] as ResponseFunctionToolCall).arguments).toBe('{"city":"Oslo"}');
    expect(final.usage?.total_tokens).toBe(SCRIPTED_USAGE.total_tokens);
    expect(plain.output_text).toBe('Looking both up.');
    expect(events.filter((event) => event.type === 'response.function_call_arguments.delta')).toHaveLength(4);
  });

  it('marks an answer cut by max_output_tokens incomplete, both ways', async () => {
    script = (request) =>
      request.body.stream === true
        ? { kind: 'stream', chunks: [chunk({ role: 'assistant', content: 'Once upon' }), chunk({}, 'length'), usageChunk(SCRIPTED_USAGE)] }
        : json(completion({ content: 'Once upon' }, { finish_reason: 'length', usage: SCRIPTED_USAGE }));
    const { plain, events } = await both(gatehouse.client(), { model: 'gpt', input: 'A story', max_output_tokens: 16 });
    expect(plain).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
    expect(plain.output[0]).toMatchObject({ status: 'incomplete' });
    expect(events.at(-1)?.type).toBe('response.incomplete');
  });

  it('ends a stream that fails mid-way with response.failed, and stores the failed response', async () => {
    for (const end of ['error-frame', 'cut'] as const) {
      // Spaced out, so the upstream's headers and first chunks arrive before it breaks off.
      script = () => ({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Half an ans' })], end, delayMs: 10 });
      const { final, events } = await streamed(gatehouse.client(), { model: 'gpt', input: 'Go' });
      expect(events.at(-1)?.type).toBe('response.failed');
      expect(final.status).toBe('failed');
      expect(final.error).toMatchObject({ code: 'server_error' });
      expect(final.output[0]).toMatchObject({ type: 'message', status: 'incomplete', content: [{ text: 'Half an ans' }] });
      expect((await gatehouse.client().responses.retrieve(final.id)).status).toBe('failed');
    }
  });

  it('passes an upstream 400 through as an HTTP error, streaming or not', async () => {
    script = () => json({ error: { message: 'Bad tool schema', type: 'invalid_request_error', param: 'tools', code: null } }, 400);
    await expect(gatehouse.client().responses.create({ model: 'gpt', input: 'x' })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Bad tool schema') });
    await expect(streamed(gatehouse.client(), { model: 'gpt', input: 'x' })).rejects.toMatchObject({ status: 400 });
  });
});
