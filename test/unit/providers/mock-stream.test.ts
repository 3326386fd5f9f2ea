import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
} from 'openai/resources/chat/completions/completions';
import { describe, expect, it } from 'vitest';
import { createMockClient } from '../../../providers/mock/index.js';
import type { CallOptions, ChatRequest } from '../../../providers/provider.js';
import { UpstreamAbortedError } from '../../../providers/upstream-errors.js';

const OPTIONS: CallOptions = { signal: new AbortController().signal, timeoutMs: 1000 };

const SEARCH: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: 'search_docs',
    description: 'Search the documentation',
    parameters: {
      type: 'object',
      properties: { query: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
      required: ['query', 'limit'],
    },
  },
};

function ask(content: string, fields: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'public-mock', messages: [{ role: 'user', content }], ...fields };
}

async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

/** Joins chunks the way a client does: content concatenated, tool-call fragments joined by index. */
function join(chunks: ChatCompletionChunk[]) {
  let content = '';
  let finishReason: string | null = null;
  const calls: { id?: string; name?: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      for (const fragment of choice.delta.tool_calls ?? []) {
        const call = (calls[fragment.index] ??= { arguments: '' });
        call.id ??= fragment.id;
        call.name ??= fragment.function?.name;
        call.arguments += fragment.function?.arguments ?? '';
      }
      finishReason = choice.finish_reason ?? finishReason;
    }
  }
  return { content, finishReason, calls };
}

async function both(request: ChatRequest): Promise<{ completion: ChatCompletion; chunks: ChatCompletionChunk[] }> {
  const client = createMockClient({ model: 'x' });
  const completion = await client.complete(request, OPTIONS);
  const chunks = await collect(await client.stream({ ...request, stream: true }, OPTIONS));
  return { completion, chunks };
}

describe('mock provider: stream()', () => {
  it('streams word-sized pieces that join to the complete() text', async () => {
    const { completion, chunks } = await both(ask('tell me a short story'));
    const joined = join(chunks);
    expect(joined.content).toBe(completion.choices[0].message.content);
    expect(joined.finishReason).toBe('stop');
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.length).toBeGreaterThan(4);
    const last = chunks[chunks.length - 1];
    expect(last.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(new Set(chunks.map((c) => c.id))).toEqual(new Set([completion.id]));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'public-mock')).toBe(true);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('streams a tool call whose fragments join to the complete() call', async () => {
    const { completion, chunks } = await both(ask('search docs for "rate limits", top 5', { tools: [SEARCH] }));
    const call = completion.choices[0].message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function call');
    const joined = join(chunks);
    expect(joined.calls).toEqual([{ id: call.id, name: 'search_docs', arguments: call.function.arguments }]);
    expect(JSON.parse(call.function.arguments)).toEqual({ query: 'rate limits', limit: 5 });
    expect(joined.finishReason).toBe('tool_calls');
    const first = chunks[1].choices[0].delta.tool_calls?.[0];
    expect(first).toEqual({ index: 0, id: call.id, type: 'function', function: { name: 'search_docs', arguments: '' } });
    expect(chunks.filter((c) => c.choices[0]?.delta.tool_calls).length).toBeGreaterThan(2);
  });

  it('ends with a choices:[] usage chunk, and usage:null on every other chunk, when include_usage is set', async () => {
    const request = ask('count my tokens', { stream_options: { include_usage: true } });
    const { completion, chunks } = await both(request);
    const last = chunks[chunks.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual(completion.usage);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('streams the same chunks for the same request, apart from created', async () => {
    const request = ask('search docs for tokens', { tools: [SEARCH], stream: true });
    const first = await collect(await createMockClient({ model: 'x' }).stream(request, OPTIONS));
    const second = await collect(await createMockClient({ model: 'x' }).stream(structuredClone(request), OPTIONS));
    expect(second.map((c) => ({ ...c, created: 0 }))).toEqual(first.map((c) => ({ ...c, created: 0 })));
  });

  it('stops with UpstreamAbortedError when the signal aborts mid-stream', async () => {
    const controller = new AbortController();
    const stream = await createMockClient({ model: 'x' }).stream(ask('one two three four five', { stream: true }), {
      signal: controller.signal,
      timeoutMs: 1000,
    });
    const received: ChatCompletionChunk[] = [];
    const run = (async () => {
      for await (const chunk of stream) {
        received.push(chunk);
        if (received.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toBeInstanceOf(UpstreamAbortedError);
    expect(received).toHaveLength(2);
  });
});
