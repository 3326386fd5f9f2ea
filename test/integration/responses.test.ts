/**
 * Issue #4 point 1: /v1/responses on the `demo` model (embedded config.yaml) through the official `openai` client:
 * text and function-call answers, previous_response_id continuation, storage (GET, DELETE, input_items,
 * store: false), streaming with OpenAI's event sequence, and the errors of a bad request.
 */
import { readFile } from 'node:fs/promises';
import type { FunctionTool, ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { both, expectSameStructure, streamed } from './responses-streams.js';

const WEATHER: FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: null,
};

let gatehouse: RunningGatehouse;

beforeAll(async () => {
  gatehouse = await startGatehouse(await readFile(new URL('../../config.yaml', import.meta.url), 'utf8'));
});
afterAll(() => gatehouse.close());

const functionCall = (output: readonly { type: string }[]) => output.find((item): item is ResponseFunctionToolCall => item.type === 'function_call');

describe('POST /v1/responses on the demo model', () => {
  it('answers text as one message item with output_text, annotations and mapped usage', async () => {
    const response = await gatehouse.client().responses.create({ model: 'demo', input: 'Hello there', instructions: 'Be nice.' });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'demo', instructions: 'Be nice.', error: null, incomplete_details: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toHaveLength(1);
    expect(response.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'This is a mock response to: "Hello there"', annotations: [] }],
    });
    expect(response.output[0].id).toMatch(/^msg_/);
    expect(response.output_text).toBe('This is a mock response to: "Hello there"');
    const usage = response.usage!;
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(usage.input_tokens_details.cached_tokens).toBe(0);
  });

  it('calls a function tool, then answers from function_call_output continued by previous_response_id', async () => {
    const client = gatehouse.client();
    const first = await client.responses.create({ model: 'demo', input: 'What is the weather in Paris?', tools: [WEATHER], instructions: 'Use tools.' });
    const call = functionCall(first.output)!;
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', status: 'completed' });
    expect(call.id).toMatch(/^fc_/);
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });

    const second = await client.responses.create({
      model: 'demo',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21°C' }],
      tools: [WEATHER],
    });
    expect(second.output_text).toBe('The tool get_weather returned: "Sunny, 21°C".');
    expect(second.previous_response_id).toBe(first.id);
    // Instructions are not carried over through previous_response_id.
    expect(second.instructions).toBeNull();
  });

  it('streams the same answers: client.responses.stream parses every event, sequence numbers are continuous, the final response equals the non-streamed one', async () => {
    const client = gatehouse.client();
    const text = await both(client, { model: 'demo', input: 'Tell me a story', temperature: 0.5 });
    expect(text.events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...text.events.filter((event) => event.type === 'response.output_text.delta').map(() => 'response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(text.final.temperature).toBe(0.5);
    const tool = await both(client, { model: 'demo', input: 'What is the weather in Paris?', tools: [WEATHER] });
    expect(tool.events.filter((event) => event.type === 'response.function_call_arguments.delta').length).toBeGreaterThan(1);
    expect(functionCall(tool.final.output)?.call_id).toBe(functionCall(tool.plain.output)?.call_id);
  });

  it('echoes the request\'s settings on the response, streamed, non-streamed and stored', async () => {
    const client = gatehouse.client();
    const format = { type: 'json_schema' as const, name: 'reply', schema: { type: 'object' }, strict: true };
    const settings = {
      temperature: 0.2,
      top_p: 0.9,
      max_output_tokens: 200,
      parallel_tool_calls: false,
      tool_choice: 'none' as const,
      metadata: { ticket: '42' },
      user: 'u-1',
      safety_identifier: 'hashed-user-1',
      prompt_cache_key: 'cache-1',
      text: { format },
    };
    const { plain, final } = await both(client, { model: 'demo', input: 'Echo', ...settings });
    for (const response of [plain, final, await client.responses.retrieve(plain.id)]) {
      expect(response).toMatchObject({ ...settings, text: { format } });
    }
  });

  it('frames every event as event: + data: with the same type, and sends no [DONE]', async () => {
    const response = await fetch(`${gatehouse.origin}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', input: 'Hi', stream: true }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const body = await response.text();
    expect(body).not.toContain('[DONE]');
    const frames = body.split('\n\n').filter((frame) => frame !== '');
    for (const [index, frame] of frames.entries()) {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse(dataLine.replace(/^data: /, '')) as { type: string; sequence_number: number };
      expect(eventLine).toBe(`event: ${data.type}`);
      expect(data.sequence_number).toBe(index);
    }
  });

  it('answers on /responses without the /v1 prefix too', async () => {
    const response = await fetch(`${gatehouse.origin}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', input: 'Hi' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe('response');
  });
});

describe('stored responses', () => {
  it('GET returns the stored response; DELETE answers OpenAI\'s shape and it is gone', async () => {
    const client = gatehouse.client();
    const created = await client.responses.create({ model: 'demo', input: 'Remember me' });
    const fetched = await client.responses.retrieve(created.id);
    expect(fetched).toEqual(created);
    const deleted = await fetch(`${gatehouse.origin}/v1/responses/${created.id}`, { method: 'DELETE' });
    // The API reference's example (developers.openai.com …/responses/methods/delete); the SDK itself returns void.
    expect(await deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404, code: 'response_not_found' });
    await expect(client.responses.delete(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('cancel answers OpenAI\'s 400 for a synchronous response, and 404 for an unknown one', async () => {
    const client = gatehouse.client();
    const created = await client.responses.create({ model: 'demo', input: 'Too late to stop' });
    await expect(client.responses.cancel(created.id)).rejects.toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      message: expect.stringContaining('Cannot cancel a synchronous response.'),
    });
    expect((await client.responses.retrieve(created.id)).status).toBe('completed');
    await expect(client.responses.cancel('resp_unknown')).rejects.toMatchObject({ status: 404, code: 'response_not_found' });
  });

  it('stores streamed responses too, as the final response', async () => {
    const client = gatehouse.client();
    const { final } = await streamed(client, { model: 'demo', input: 'Stream and store' });
    const fetched = await client.responses.retrieve(final.id);
    expect(fetched.output.map((item) => item.id)).toEqual(final.output.map((item) => item.id));
    expectSameStructure(fetched, final);
    expect(fetched.status).toBe('completed');
  });

  it('does not keep store: false responses: not retrievable, not continuable', async () => {
    const client = gatehouse.client();
    const created = await client.responses.create({ model: 'demo', input: 'Forget me', store: false });
    expect((created as { store?: boolean }).store).toBe(false);
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.responses.create({ model: 'demo', input: 'and?', previous_response_id: created.id })).rejects.toMatchObject({
      status: 404,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
    });
  });

  it('lists input items newest first by default, pages with limit/after/order, and the SDK iterates every page', async () => {
    const client = gatehouse.client();
    const created = await client.responses.create({
      model: 'demo',
      input: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'user', content: 'First' },
        { role: 'user', content: [{ type: 'input_text', text: 'Second' }] },
      ],
    });
    const page = await client.responses.inputItems.list(created.id);
    expect(page.data.map((item) => item.type === 'message' && item.role)).toEqual(['user', 'user', 'developer']);
    for (const item of page.data) expect(item.id).toMatch(/^msg_/);

    const raw = await fetch(`${gatehouse.origin}/v1/responses/${created.id}/input_items?limit=2&order=asc`);
    const list = (await raw.json()) as { object: string; data: { id: string }[]; first_id: string; last_id: string; has_more: boolean };
    expect(list).toMatchObject({ object: 'list', has_more: true, first_id: list.data[0].id, last_id: list.data[1].id });
    const rest = await fetch(`${gatehouse.origin}/v1/responses/${created.id}/input_items?limit=2&order=asc&after=${list.last_id}`);
    expect(((await rest.json()) as { data: unknown[]; has_more: boolean }).has_more).toBe(false);

    const all = [];
    for await (const item of client.responses.inputItems.list(created.id, { limit: 1, order: 'asc' })) all.push(item.id);
    expect(all).toEqual([...page.data].reverse().map((item) => item.id));
  });
});

describe('errors', () => {
  it('returns 404 model_not_found for an unknown model, streaming or not', async () => {
    const client = gatehouse.client();
    await expect(client.responses.create({ model: 'gpt-nope', input: 'hi' })).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    await expect(streamed(client, { model: 'gpt-nope', input: 'hi' })).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('returns 400 naming the field for bad input', async () => {
    const client = gatehouse.client();
    await expect(
      client.responses.create({ model: 'demo', input: [{ type: 'function_call_output', output: 'x' } as never] }),
    ).rejects.toMatchObject({ status: 400, code: 'invalid_request', param: 'input[0].call_id' });
    await expect(client.responses.create({ model: 'demo', input: 'hi', temperature: 3 })).rejects.toMatchObject({ status: 400, param: 'temperature' });
    await expect(client.responses.create({ model: 'demo', input: 'hi', tools: [{ type: 'web_search' }] })).rejects.toMatchObject({
      status: 400,
      param: 'tools[0].type',
    });
    await expect(client.responses.create({ model: 'demo' })).rejects.toMatchObject({ status: 400, param: 'input' });
  });

  it('returns 404 previous_response_not_found for an unknown previous_response_id, with OpenAI\'s message', async () => {
    await expect(gatehouse.client().responses.create({ model: 'demo', input: 'hi', previous_response_id: 'resp_unknown' })).rejects.toMatchObject({
      status: 404,
      code: 'previous_response_not_found',
      param: 'previous_response_id',
      message: expect.stringContaining("Previous response with id 'resp_unknown' not found."),
    });
  });

  it('requires the proxy key when a master key is set, as the chat route does', async () => {
    const locked = await startGatehouse('model_list:\n  - model_name: demo\n    litellm_params: { model: mock/demo }\ngeneral_settings: { master_key: sk-master }\n');
    try {
      await expect(locked.client('sk-wrong').responses.create({ model: 'demo', input: 'hi' })).rejects.toMatchObject({ status: 401 });
      await expect(locked.client('sk-wrong').responses.retrieve('resp_x')).rejects.toMatchObject({ status: 401 });
      expect((await locked.client('sk-master').responses.create({ model: 'demo', input: 'hi' })).status).toBe('completed');
    } finally {
      await locked.close();
    }
  });
});
