/**
 * Issue #3 point 8: a hostile upstream (a huge response, invalid JSON, a stream that never ends) cannot take
 * the proxy down: each such call fails on its own with an error naming the server, and the gateway keeps
 * serving that server's well-behaved tools and everything else.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileServer, type HostileServer } from '../fixtures/mcp/hostile-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

/** Larger than the gateway's per-message limit (32 MiB). */
const HUGE_BYTES = 64 * 1024 * 1024;

let hostile: HostileServer;
let gatehouse: RunningGatehouse;
let client: Client;

beforeAll(async () => {
  hostile = await startHostileServer(HUGE_BYTES);
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  mcp_call_timeout: 1
mcp_servers:
  hostile:
    url: ${hostile.url}
`);
  client = new Client({ name: 'test', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}/hostile/mcp`)));
});

afterAll(async () => {
  await client?.close();
  await gatehouse?.close();
  await hostile?.close();
});

async function expectFailureNamingServer(name: string, reason?: RegExp): Promise<void> {
  const result = await client.callTool({ name, arguments: {} });
  expect(result.isError).toBe(true);
  const [first] = result.content as { type: string; text: string }[];
  expect(first.text).toContain('MCP server "hostile"');
  if (reason) expect(first.text).toMatch(reason);
  const echo = await client.callTool({ name: 'echo', arguments: { message: `after ${name}` } });
  expect(echo.content).toEqual([{ type: 'text', text: `echo after ${name}` }]);
}

describe('a hostile upstream', () => {
  it('cannot make the gateway buffer an unbounded response', async () => {
    // The 64 MiB answer is cut at the 32 MiB per-message limit, not parsed.
    await expectFailureNamingServer('huge', /exceeds the \d+-byte limit/);
  });

  it('cannot make the gateway buffer an unbounded SSE event, and the call fails at once, not at its timeout', async () => {
    // The call timeout here is 1 s; a call left waiting would say "did not answer in time" instead.
    await expectFailureNamingServer('huge-event', /exceeds the \d+-byte limit/);
  });

  it('answering invalid JSON fails only that call', async () => {
    await expectFailureNamingServer('garbage');
  });

  it('never finishing a stream is cut off by the call timeout', async () => {
    await expectFailureNamingServer('forever');
  });
});
