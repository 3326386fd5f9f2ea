/**
 * Issue #4 points 6 and 7: an OpenAI tool call run on an MCP session and answered as the tool loop answers its own
 * calls — a model's mistake or a server's error becomes a tool error the model reads; the caller's abort and a lost
 * session are thrown.
 */
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callOpenAIToolCall } from '../../../src/bridge/call-tool-call.js';
import { listMcpToolsAsOpenAITools } from '../../../src/bridge/list-tools.js';
import { InvalidRequestError } from '../../../src/http/errors.js';
import { startInMemorySession, type InMemorySession } from '../../fixtures/mcp/in-memory-session.js';

let session: InMemorySession;
let names: Map<string, string>;
beforeEach(async () => {
  session = await startInMemorySession();
  ({ names } = await listMcpToolsAsOpenAITools(session.client, { serverLabel: 'fx' }));
});
afterEach(() => session.close());

const chatCall = (name: string, args: string): ChatCompletionMessageToolCall => ({ id: 'call_1', type: 'function', function: { name, arguments: args } });

describe('callOpenAIToolCall', () => {
  it('runs a chat tool call on the session and answers with a tool message', async () => {
    expect(await callOpenAIToolCall(session.client, chatCall('fx__echo', '{"message":"hi"}'), names)).toEqual({
      role: 'tool',
      tool_call_id: 'call_1',
      content: 'Echo: hi',
    });
    expect(session.calls).toEqual([{ name: 'echo', arguments: { message: 'hi' } }]);
  });

  it('answers a Responses function_call item with a function_call_output item', async () => {
    const call: ResponseFunctionToolCall = { type: 'function_call', call_id: 'call_9', name: 'fx__echo', arguments: '{"message":"yo"}' };
    expect(await callOpenAIToolCall(session.client, call, names)).toEqual({ type: 'function_call_output', call_id: 'call_9', output: 'Echo: yo' });
  });

  it('answers arguments that are not JSON and unknown functions with a tool error, without calling the server', async () => {
    const bad = await callOpenAIToolCall(session.client, chatCall('fx__echo', '{message:'), names);
    expect(bad.content).toMatch(/^Tool error: The arguments are not valid JSON/);
    const unknown = await callOpenAIToolCall(session.client, chatCall('fx__nope', '{}'), names);
    expect(unknown.content).toBe('Tool error: there is no tool named "fx__nope". Available tools: fx__echo, fx__fail, fx__reject, fx__hang.');
    expect(session.calls).toEqual([]);
  });

  it('answers an isError result and a JSON-RPC error with a tool error', async () => {
    expect((await callOpenAIToolCall(session.client, chatCall('fx__fail', ''), names)).content).toBe('Tool error: the disk is full');
    expect((await callOpenAIToolCall(session.client, chatCall('fx__reject', ''), names)).content).toMatch(/^Tool error: MCP error -32602: .*no tool "reject" here$/);
  });

  it('answers a call that outlives timeoutMs with a tool error and cancels it at the server', async () => {
    const message = await callOpenAIToolCall(session.client, chatCall('fx__hang', '{}'), names, { timeoutMs: 50 });
    expect(message.content).toBe('Tool error: MCP error -32001: Request timed out');
    await session.hangCancelled;
  });

  it("throws on the caller's abort, and when the session is gone", async () => {
    const controller = new AbortController();
    const pending = callOpenAIToolCall(session.client, chatCall('fx__hang', '{}'), names, { signal: controller.signal });
    controller.abort(new Error('user pressed stop'));
    await expect(pending).rejects.toThrow('user pressed stop');
    await session.hangCancelled;

    const lost = callOpenAIToolCall(session.client, chatCall('fx__hang', '{}'), names);
    await session.dropServer();
    await expect(lost).rejects.toThrow(/Connection closed/);
  });

  it('throws for a custom tool call, which is not an MCP call', async () => {
    const custom: ChatCompletionMessageToolCall = { id: 'call_3', type: 'custom', custom: { name: 'fx__echo', input: 'hi' } };
    await expect(callOpenAIToolCall(session.client, custom, names)).rejects.toThrow(InvalidRequestError);
  });
});
