/**
 * Issue #2 acceptance: the official `openai` client, pointed at Gatehouse, gets correct results non-streaming
 * and streaming (text, tool calls, usage) from an upstream speaking the OpenAI wire format over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, completion, json, startOpenAIUpstream, usageChunk, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const UPSTREAM_KEY = 'sk-upstream-secret-0123456789';
const TOOLS = [
  {
    type: 'function' as const,
    function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];

let upstream: OpenAIUpstream;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  upstream = await startOpenAIUpstream((request) => {
    const body = request.body;
    const wantsTool = Array.isArray(body.tools);
    if (body.stream === true) {
      const chunks: unknown[] = [chunk({ role: 'assistant', content: '' })];
      if (wantsTool) {
        chunks.push(
          chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
          chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Oslo"}' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
          chunk({}, 'tool_calls'),
        );
      } else {
        chunks.push(chunk({ content: 'Hello' }), chunk({ content: ', world' }), chunk({}, 'stop'));
      }
      const options = body.stream_options as { include_usage?: boolean } | undefined;
      // Model "gpt-upstream-nousage" plays an upstream that ignores include_usage.
      if (options?.include_usage && body.model !== 'gpt-upstream-nousage') chunks.push(usageChunk({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }));
      return { kind: 'stream', chunks };
    }
    if (wantsTool) {
      return json(
        completion(
          { tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { finish_reason: 'tool_calls' },
        ),
      );
    }
    return json(completion({ content: 'Hello, world' }));
  });
  gatehouse = await startGatehouse(`
model_list:
  - model_name: gpt-test
    litellm_params:
      model: openai/gpt-upstream
      api_base: ${upstream.url}
      api_key: os.environ/TEST_UPSTREAM_KEY
  - model_name: gpt-nousage
    litellm_params:
      model: openai/gpt-upstream-nousage
      api_base: ${upstream.url}
      api_key: os.environ/TEST_UPSTREAM_KEY
`, { env: { TEST_UPSTREAM_KEY: UPSTREAM_KEY } });
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

describe('chat completions through an OpenAI-compatible upstream', () => {
  it('returns text and usage non-streaming, sending the upstream model name and key', async () => {
    const result = await gatehouse.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.choices[0].message.content).toBe('Hello, world');
    expect(result.choices[0].finish_reason).toBe('stop');
    expect(result.usage).toEqual({ prompt_tokens: 11, completion_tokens: 7, total_tokens: 18 });
    const sent = upstream.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.model).toBe('gpt-upstream');
    expect(sent.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
  });

  it('passes unknown request fields through unchanged', async () => {
    await gatehouse.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      // @ts-expect-error: a vendor field the SDK does not know
      top_k: 7,
      chat_template_kwargs: { enable_thinking: false },
    });
    const sent = upstream.requests.at(-1)!;
    expect(sent.body.top_k).toBe(7);
    expect(sent.body.chat_template_kwargs).toEqual({ enable_thinking: false });
  });

  it('returns a tool call non-streaming', async () => {
    const result = await gatehouse.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'weather in Paris?' }],
      tools: TOOLS,
    });
    expect(result.choices[0].finish_reason).toBe('tool_calls');
    expect(result.choices[0].message.tool_calls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
  });

  it('streams text chunk by chunk and passes the upstream usage chunk on', async () => {
    const stream = await gatehouse.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const usages = [];
    let finish: string | null = null;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      finish = part.choices[0]?.finish_reason ?? finish;
      if (part.usage) usages.push(part.usage);
    }
    expect(text).toBe('Hello, world');
    expect(finish).toBe('stop');
    expect(usages).toEqual([{ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 }]);
  });

  it('synthesises the usage chunk when the upstream sends none', async () => {
    const stream = await gatehouse.client().chat.completions.create({
      model: 'gpt-nousage',
      messages: [{ role: 'user', content: 'hi there, how are you today?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const parts = [];
    for await (const part of stream) parts.push(part);
    const last = parts.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(last.usage!.total_tokens).toBe(last.usage!.prompt_tokens + last.usage!.completion_tokens);
    expect(parts.filter((part) => part.usage)).toHaveLength(1);
  });

  it('sends no usage chunk when the client did not ask for one', async () => {
    const stream = await gatehouse.client().chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    for await (const part of stream) expect(part.usage ?? null).toBeNull();
  });

  it('streams two interleaved tool calls that the SDK reassembles', async () => {
    const stream = gatehouse.client().chat.completions.stream({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: TOOLS,
      stream: true,
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.tool_calls?.map((call) => [call.id, call.function.arguments])).toEqual([
      ['call_a', '{"city":"Paris"}'],
      ['call_b', '{"city":"Oslo"}'],
    ]);
  });

  it('lists configured models on /v1/models and /models', async () => {
    const models = await gatehouse.client().models.list();
    expect(models.data.map((model) => model.id)).toEqual(['gpt-test', 'gpt-nousage']);
    const bare = await fetch(`${gatehouse.origin}/models`);
    expect(((await bare.json()) as { data: { id: string }[] }).data[0].id).toBe('gpt-test');
    const one = await gatehouse.client().models.retrieve('gpt-test');
    expect(one).toMatchObject({ id: 'gpt-test', object: 'model', owned_by: 'openai' });
  });
});
