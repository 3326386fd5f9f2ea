/**
 * Issue #4: `max_tool_calls` on /v1/chat/completions with `type: "mcp"` tools (Gatehouse's extension, as Responses has
 * it): the loop runs at most that many MCP calls, then ends clearly — finish_reason "length" and
 * `mcp_limit_reached: "max_tool_calls"` — streaming or not; the upstream never sees the field.
 */
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessage, ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { scriptedReply, toolMessages } from '../fixtures/scripted-chat.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

type Extended = ChatCompletionMessage & { mcp_tool_calls: unknown[]; mcp_limit_reached?: string };

const LOOKUP = [{ type: 'mcp', server_label: 'count', server_url: 'litellm_proxy/mcp/count', require_approval: 'never' }] as unknown as ChatCompletionTool[];

let gatehouse: RunningGatehouse;
let upstream: OpenAIUpstream;
let counting: CountingServer;

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  // A model that never stops calling: one lookup per round.
  upstream = await startOpenAIUpstream((request) =>
    scriptedReply(request, { calls: [{ id: `call_${toolMessages(request).length + 1}`, name: 'count__lookup', arguments: '{"key":"k"}' }] }),
  );
  gatehouse = await startGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
mcp_servers:
  count: { url: "${counting.url}" }
`);
}, 30_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([upstream?.close(), counting?.close()]);
});

describe('max_tool_calls in chat completions', () => {
  const body = { model: 'scripted', messages: [{ role: 'user', content: 'loop' }], tools: LOOKUP, max_tool_calls: 2 } as ChatCompletionCreateParamsNonStreaming;

  it('runs at most max_tool_calls MCP calls and ends with finish_reason "length" and mcp_limit_reached, streaming or not', async () => {
    for (const stream of [false, true]) {
      counting.reset();
      const first = upstream.requests.length;
      const completion = stream
        ? await gatehouse.client().chat.completions.stream({ ...body, stream: true }).finalChatCompletion()
        : await gatehouse.client().chat.completions.create(body);
      const message = completion.choices[0].message as Extended;
      expect(counting.calls).toHaveLength(2);
      expect(upstream.requests.length - first).toBe(3);
      expect(completion.choices[0].finish_reason).toBe('length');
      expect(message.mcp_limit_reached).toBe('max_tool_calls');
      expect(message.mcp_tool_calls).toHaveLength(2);
      expect(message.tool_calls ?? []).toEqual([]);
      for (const request of upstream.requests.slice(first)) expect(request.body).not.toHaveProperty('max_tool_calls');
    }
  });

  it('refuses a max_tool_calls that is not a positive integer with a 400 naming it', async () => {
    await expect(gatehouse.client().chat.completions.create({ ...body, max_tool_calls: 0 } as ChatCompletionCreateParamsNonStreaming)).rejects.toMatchObject({
      status: 400,
    });
  });
});
