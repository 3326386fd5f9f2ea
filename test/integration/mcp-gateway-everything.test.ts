/**
 * Issue #3 acceptance: real upstreams — server-everything over stdio, SSE and Streamable HTTP, and
 * server-memory over stdio — all behind one /mcp: list, call, prompts, resources and templates work through
 * the aggregate and the per-server endpoints, driven by the MCP SDK Client.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING_ENTRY, MEMORY_ENTRY, startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

let gatehouse: RunningGatehouse;
const upstreams: RunningEverything[] = [];
const clients: Client[] = [];

async function connect(path: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}${path}`), { requestInit: { headers } }));
  clients.push(client);
  return client;
}

beforeAll(async () => {
  const [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
  upstreams.push(sse, http);
  const memoryDir = await mkdtemp(join(tmpdir(), 'gatehouse-memory-'));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  every_stdio:
    command: ${process.execPath}
    args: ["${EVERYTHING_ENTRY}", "stdio"]
    env: { GZIP_ALLOWED_DOMAINS: "127.0.0.1" }
  every_sse:
    url: ${sse.url}
    transport: sse
  every_http:
    url: ${http.url}
  memory:
    command: ${process.execPath}
    args: ["${MEMORY_ENTRY}"]
    env: { MEMORY_FILE_PATH: "${join(memoryDir, 'memory.jsonl')}" }
`);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

describe('gateway over real MCP servers', () => {
  it('aggregates every server on /mcp with prefixed names and routes prefixed calls', async () => {
    const client = await connect('/mcp');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const prefix of ['every_stdio', 'every_sse', 'every_http']) expect(names).toContain(`${prefix}-echo`);
    expect(names).toContain('memory-create_entities');
    for (const prefix of ['every_stdio', 'every_sse', 'every_http']) {
      const result = await client.callTool({ name: `${prefix}-echo`, arguments: { message: `hi ${prefix}` } });
      expect(result.content).toEqual([{ type: 'text', text: `Echo: hi ${prefix}` }]);
    }
  });

  it('serves one server unprefixed on /mcp/{server} and /{server}/mcp, accepting prefixed names too', async () => {
    for (const path of ['/mcp/every_http', '/every_sse/mcp']) {
      const client = await connect(path);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('echo');
      expect(tools.every((tool) => !tool.name.startsWith('every_'))).toBe(true);
      const plain = await client.callTool({ name: 'echo', arguments: { message: 'plain' } });
      expect(plain.content).toEqual([{ type: 'text', text: 'Echo: plain' }]);
    }
    const client = await connect('/mcp/every_http');
    const prefixed = await client.callTool({ name: 'every_http-echo', arguments: { message: 'prefixed' } });
    expect(prefixed.content).toEqual([{ type: 'text', text: 'Echo: prefixed' }]);
  });

  it('relays prompts, resources and templates, reading resources by URI across servers', async () => {
    const client = await connect('/mcp', { 'x-mcp-servers': 'every_stdio,every_http' });
    const { prompts } = await client.listPrompts();
    const simple = prompts.find((prompt) => prompt.name.endsWith('simple-prompt'));
    expect(simple?.name).toMatch(/^every_(stdio|http)-simple-prompt$/);
    const got = await client.getPrompt({ name: simple!.name });
    expect(got.messages.length).toBeGreaterThan(0);

    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const read = await client.readResource({ uri: resources[0].uri });
    expect(read.contents[0].uri).toBe(resources[0].uri);

    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.length).toBeGreaterThan(0);
  });

  it('calls server-memory over stdio: create then read an entity', async () => {
    const client = await connect('/memory/mcp');
    await client.callTool({
      name: 'create_entities',
      arguments: { entities: [{ name: 'Gatehouse', entityType: 'project', observations: ['an MCP gateway'] }] },
    });
    const graph = await client.callTool({ name: 'read_graph', arguments: {} });
    expect(JSON.stringify(graph.content)).toContain('an MCP gateway');
  });

  it('answers 404 naming an unknown server, never an empty list', async () => {
    const response = await fetch(`${gatehouse.origin}/mcp/nope`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.message).toContain('"nope"');
    expect(body.error.data.code).toBe('mcp_server_not_found');
  });

  it('answers a sessionless one-shot POST with the JSON result (curl style, no jsonrpc or id)', async () => {
    const response = await fetch(`${gatehouse.origin}/mcp/every_http`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'tools/call', params: { name: 'echo', arguments: { message: 'curl' } } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result: { content: unknown[] } };
    expect(body.result.content).toEqual([{ type: 'text', text: 'Echo: curl' }]);
  });

  it('serves /mcp/ (trailing slash) without a redirect', async () => {
    const client = await connect('/mcp/');
    expect((await client.listTools()).tools.length).toBeGreaterThan(10);
  });
});
