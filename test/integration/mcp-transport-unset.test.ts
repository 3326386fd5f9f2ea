/**
 * A config server with no `transport` (LiteLLM's examples write `url: …/sse` alone for SSE servers): Gatehouse
 * tries Streamable HTTP and, when `initialize` is answered 400/404/405, uses legacy SSE on the same URL. Upstreams:
 * the real server-everything over SSE and over Streamable HTTP, both configured without `transport`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { textOf } from './mcp-downstream.js';

let gatehouse: RunningGatehouse;
const upstreams: RunningEverything[] = [];
let client: Client;

beforeAll(async () => {
  upstreams.push(...(await Promise.all([startEverything('sse'), startEverything('streamableHttp')])));
  const [sse, http] = upstreams;
  gatehouse = await startGatehouse(`
model_list: []
mcp_servers:
  legacy:
    url: ${sse.url}
  modern:
    url: ${http.url}
`);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}/mcp`)));
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

describe('mcp_servers entries without transport', () => {
  it('reach an SSE-only server through the fallback and a Streamable HTTP one directly', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('legacy-echo');
    expect(names).toContain('modern-echo');
    expect(textOf(await client.callTool({ name: 'legacy-echo', arguments: { message: 'over sse' } }))).toContain('over sse');
    expect(textOf(await client.callTool({ name: 'modern-echo', arguments: { message: 'over http' } }))).toContain('over http');
  });
});
