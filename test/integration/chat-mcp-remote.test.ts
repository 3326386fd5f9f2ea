/**
 * Issue #4 acceptance: a `server_url` pointing at 127.0.0.1, 169.254.169.254 or 10.0.0.1 is refused (before
 * any connection) unless allow-listed; a remote (non-`litellm_proxy`) MCP server on an allow-listed loopback
 * port works with the tool's `headers`. Driven by the official `openai` client against the `demo` model.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

let upstream: RecordingServer;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  upstream = await startRecordingServer();
  const port = new URL(upstream.origin).port;
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  mcp_egress_allowlist: ["127.0.0.1:${port}"]
`);
});

afterAll(async () => {
  await gatehouse?.close();
  await upstream?.close();
});

const mcpTool = (serverUrl: string, headers?: Record<string, string>) => ({
  type: 'mcp',
  server_label: 'remote',
  server_url: serverUrl,
  require_approval: 'never',
  ...(headers ? { headers } : {}),
});

async function ask(tools: unknown[], content: string) {
  return gatehouse.client().chat.completions.create({
    model: 'demo',
    messages: [{ role: 'user', content }],
    tools: tools as OpenAI.Chat.Completions.ChatCompletionTool[],
  });
}

describe('remote MCP servers in type:"mcp" tools', () => {
  for (const target of ['http://127.0.0.1:9/mcp', 'http://169.254.169.254/mcp', 'http://10.0.0.1/mcp']) {
    it(`refuses ${new URL(target).hostname} with 403 before any model or upstream call`, async () => {
      const before = upstream.requests.length;
      const error = await ask([mcpTool(target)], 'who am i').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('mcp_egress_denied');
      expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain(new URL(target).hostname);
      expect(upstream.requests.length).toBe(before);
    });
  }

  it('calls an allow-listed loopback server with the tool headers and answers with its output', async () => {
    const completion = await ask([mcpTool(`${upstream.origin}/mcp`, { 'X-Api-Key': 'tool-key-123' })], 'whoami');
    const message = completion.choices[0].message as OpenAI.Chat.Completions.ChatCompletionMessage & {
      mcp_tool_calls?: { name: string; status: string; output: string | null }[];
    };
    expect(message.mcp_tool_calls?.map((call) => [call.name, call.status])).toEqual([['whoami', 'completed']]);
    expect(message.content).toContain('tool-key-123');
    const calls = upstream.requests.filter((request) => request.rpcMethods.includes('tools/call'));
    expect(calls.length).toBe(1);
    expect(calls[0].headers['x-api-key']).toBe('tool-key-123');
  });
});
