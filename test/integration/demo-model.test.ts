/**
 * Issue #2 acceptance: the `demo` model (mock provider, embedded config.yaml) — a tool-offering request gets
 * a tool call; the follow-up with the tool result gets a text answer quoting it. Streaming agrees.
 */
import { readFile } from 'node:fs/promises';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const TOOLS: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Get the current weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
  {
    type: 'function',
    function: {
      name: 'send_email',
      description: 'Send an email to someone',
      parameters: { type: 'object', properties: { to: { type: 'string' }, body: { type: 'string' } }, required: ['to', 'body'] },
    },
  },
];

let gatehouse: RunningGatehouse;

beforeAll(async () => {
  gatehouse = await startGatehouse(await readFile(new URL('../../config.yaml', import.meta.url), 'utf8'));
});
afterAll(() => gatehouse.close());

describe('demo model from the embedded config.yaml', () => {
  it('calls the matching tool, then answers quoting the tool result', async () => {
    const client = gatehouse.client();
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'demo', messages, tools: TOOLS });
    expect(first.choices[0].finish_reason).toBe('tool_calls');
    const call = first.choices[0].message.tool_calls![0];
    if (call.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' });

    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21°C' });
    const second = await client.chat.completions.create({ model: 'demo', messages, tools: TOOLS });
    expect(second.choices[0].finish_reason).toBe('stop');
    expect(second.choices[0].message.content).toContain('Sunny, 21°C');
  });

  it('streams the same tool call and answer', async () => {
    const client = gatehouse.client();
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.stream({ model: 'demo', messages, tools: TOOLS, stream: true }).finalChatCompletion();
    const call = first.choices[0].message.tool_calls![0];
    expect(call.function.name).toBe('get_weather');
    messages.push({ role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: 'Sunny, 21°C' });
    const usage = [];
    let text = '';
    const stream = await client.chat.completions.create({ model: 'demo', messages, stream: true, stream_options: { include_usage: true } });
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      if (part.usage) usage.push(part.usage);
    }
    expect(text).toContain('Sunny, 21°C');
    expect(usage).toHaveLength(1);
    expect(usage[0].total_tokens).toBe(usage[0].prompt_tokens + usage[0].completion_tokens);
  });

  it('runs open without a master key and says so at start', async () => {
    expect(gatehouse.logs.join('')).toContain('no general_settings.master_key configured');
    const response = await fetch(`${gatehouse.origin}/v1/models`);
    expect(response.status).toBe(200);
  });

  it('loads the OpenAI and Anthropic entries without their keys and names the variable when called', async () => {
    const models = await gatehouse.client().models.list();
    expect(models.data.map((model) => model.id)).toEqual(['demo', 'gpt-4o-mini', 'claude-sonnet-4']);
    await expect(
      gatehouse.client().chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toMatchObject({ status: 401, message: expect.stringContaining('ANTHROPIC_API_KEY') });
  });
});
