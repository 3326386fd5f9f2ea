/**
 * A config server with no `transport` (LiteLLM's examples write `url: …/sse` alone for SSE servers): Gatehouse
 * tries Streamable HTTP and, when `initialize` is answered 400/404/405, uses legacy SSE on the same URL. Upstreams:
 * the real server-everything over SSE and over Streamable HTTP, both configured without `transport`.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { textOf } from './mcp-downstream.js';

let gatehouse: RunningGatehouse;
const upstreams: RunningEverything[] = [];
let client: Client;
/** Answers every POST 400 with its own message and every GET 405: neither transport works. */
let refusing: Server;

beforeAll(async () => {
  upstreams.push(...(await Promise.all([startEverything('sse'), startEverything('streamableHttp')])));
  const [sse, http] = upstreams;
  refusing = createServer((req, res) => {
    res.writeHead(req.method === 'POST' ? 400 : 405, { 'content-type': 'text/plain' });
    res.end(req.method === 'POST' ? 'unsupported protocol version' : 'no');
  });
  await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
  gatehouse = await startGatehouse(`
model_list: []
mcp_servers:
  legacy:
    url: ${sse.url}
  modern:
    url: ${http.url}
  refusing:
    url: http://127.0.0.1:${(refusing.address() as AddressInfo).port}/mcp
`);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}/mcp`)));
}, 60_000);

afterAll(async () => {
  await client?.close().catch(() => undefined);
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
  await new Promise((done) => refusing?.close(done));
});

describe('mcp_servers entries without transport', () => {
  it('reach an SSE-only server through the fallback and a Streamable HTTP one directly', async () => {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('legacy-echo');
    expect(names).toContain('modern-echo');
    expect(textOf(await client.callTool({ name: 'legacy-echo', arguments: { message: 'over sse' } }))).toContain('over sse');
    expect(textOf(await client.callTool({ name: 'modern-echo', arguments: { message: 'over http' } }))).toContain('over http');
  });

  it("reports the server's own answer to initialize when the SSE fallback fails too", async () => {
    const listed = await client.listTools();
    const failures = listed._meta?.['gatehouse/unavailable_servers'] as { server: string; message: string }[];
    expect(failures.map((failure) => failure.server)).toEqual(['refusing']);
    expect(failures[0].message).toContain('HTTP 400');
  });
});
