/**
 * Issue #4 point 1: /v1/responses served on an Anthropic-wire upstream (Responses → chat → Messages and back),
 * through the official `openai` client: text with instructions, a tool call and its continuation, and a stream
 * whose two parallel tool calls interleave their fragments.
 */
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMessage,
  buildUsage,
  events,
  sse,
  startAnthropicUpstream,
  textBlock,
  toolUseBlock,
  type AnthropicUpstream,
  type UpstreamReply,
} from '../fixtures/anthropic-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { both } from './responses-streams.js';

const WEATHER = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: null,
};

let upstream: AnthropicUpstream;
let gatehouse: RunningGatehouse;
let script: (streaming: boolean) => UpstreamReply = () => ({ kind: 'error', status: 500, type: 'api_error', message: 'unscripted' });

beforeAll(async () => {
  upstream = await startAnthropicUpstream((request) => script((request.body as { stream?: boolean }).stream === true));
  gatehouse = await startGatehouse(
    `
model_list:
  - model_name: claude
    litellm_params: { model: anthropic/claude-sonnet-4-6, api_base: "${upstream.url}", api_key: os.environ/ANTHROPIC_TEST_KEY }
router_settings: { num_retries: 0 }
`,
    { env: { ANTHROPIC_TEST_KEY: 'sk-ant-test' } },
  );
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

const lastBody = () => upstream.requests.at(-1)!.body as Record<string, unknown>;

describe('/v1/responses on an Anthropic-wire upstream', () => {
  it('answers text, sending instructions as the system prompt, with usage mapped', async () => {
    script = () => ({
      kind: 'message',
      message: buildMessage({ content: [textBlock('Bonjour')], usage: buildUsage({ input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 4 }) }),
    });
    const response = await gatehouse.client().responses.create({ model: 'claude', instructions: 'Be French.', input: 'Hello', max_output_tokens: 100 });
    expect(lastBody()).toMatchObject({ model: 'claude-sonnet-4-6', system: 'Be French.', max_tokens: 100, messages: [{ role: 'user' }] });
    expect(response.output_text).toBe('Bonjour');
    expect(response.usage).toMatchObject({ input_tokens: 15, input_tokens_details: { cached_tokens: 5 }, output_tokens: 4, total_tokens: 19 });
  });

  it('returns a tool_use as a function_call and sends its output back as a tool_result', async () => {
    const client = gatehouse.client();
    script = () => ({
      kind: 'message',
      message: buildMessage({ content: [toolUseBlock('toolu_1', 'get_weather', { city: 'Paris' })], stop_reason: 'tool_use' }),
    });
    const first = await client.responses.create({ model: 'claude', input: 'Weather in Paris?', tools: [WEATHER] });
    expect(first.output).toEqual([expect.objectContaining({ type: 'function_call', call_id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' })]);

    script = () => ({ kind: 'message', message: buildMessage({ content: [textBlock('Sunny in Paris.')] }) });
    const second = await client.responses.create({
      model: 'claude',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: 'toolu_1', output: 'Sunny' }],
      tools: [WEATHER],
    });
    expect(second.output_text).toBe('Sunny in Paris.');
    expect(lastBody().messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
    ]);
  });

  it('streams text and two parallel tool calls whose fragments interleave; the final response equals the non-streamed one', async () => {
    script = (streaming) =>
      streaming
        ? {
            kind: 'stream',
            events: sse(
              events.messageStart(),
              events.textStart(0),
              events.textDelta(0, 'Checking both.'),
              events.blockStop(0),
              events.toolUseStart(1, 'toolu_a', 'get_weather'),
              events.toolUseStart(2, 'toolu_b', 'get_weather'),
              events.jsonDelta(1, '{"city":'),
              events.jsonDelta(2, '{"ci'),
              events.jsonDelta(1, '"Paris"}'),
              events.jsonDelta(2, 'ty":"Oslo"}'),
              events.blockStop(1),
              events.blockStop(2),
              events.messageDelta('tool_use', { output_tokens: 5 }),
              events.messageStop(),
            ),
          }
        : {
            kind: 'message',
            message: buildMessage({
              content: [textBlock('Checking both.'), toolUseBlock('toolu_a', 'get_weather', { city: 'Paris' }), toolUseBlock('toolu_b', 'get_weather', { city: 'Oslo' })],
              stop_reason: 'tool_use',
            }),
          };
    const { final, events: streamEvents } = await both(gatehouse.client(), { model: 'claude', input: 'Paris and Oslo?', tools: [WEATHER] });
    expect(final.output.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call']);
    expect(final.output.slice(1).map((item) => [(item as ResponseFunctionToolCall).call_id, (item as ResponseFunctionToolCall).arguments])).toEqual([
      ['toolu_a', '{"city":"Paris"}'],
      ['toolu_b', '{"city":"Oslo"}'],
    ]);
    // Interleaved fragments go out as they arrive, each on its own item's output_index.
    const deltas = streamEvents.flatMap((event) => (event.type === 'response.function_call_arguments.delta' ? [event.output_index] : []));
    expect(deltas).toEqual([1, 2, 1, 2]);
  });
});
