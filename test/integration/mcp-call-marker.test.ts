/**
 * The per-call marker (src/mcp/upstream/stream-attribution.ts) is put on a request only when the upstream's
 * transport takes it out again (`stripsCallMarker` in src/mcp/upstream/upstream.ts): no upstream ever sees it,
 * and over Streamable HTTP it tells which downstream session a server-to-client request belongs to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { metaEchoCommand, startMetaEchoServer, type MetaEchoServer } from '../fixtures/mcp/meta-echo-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

let upstream: MetaEchoServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();
const sampling: Client[] = [];

beforeAll(async () => {
  upstream = await startMetaEchoServer();
  const stdio = metaEchoCommand();
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  viahttp:
    url: ${upstream.url}
  viastdio:
    command: ${stdio.command}
    args: ${JSON.stringify(stdio.args)}
`);
});

afterAll(async () => {
  await downstream.closeAll();
  await Promise.all(sampling.map((client) => client.close().catch(() => undefined)));
  await gatehouse?.close();
  await upstream?.close();
});

/** A session on `/viahttp/mcp` whose sampling handler answers with its own name. */
async function samplingClient(name: string): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant',
    model: 'test',
    content: { type: 'text', text: `answered by ${name}` },
  }));
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}/viahttp/mcp`)));
  sampling.push(client);
  return client;
}

describe('the call marker', () => {
  it.each(['viahttp', 'viastdio'])('never reaches the upstream (%s); the client’s own _meta does', async (server) => {
    const client = await downstream.connect(gatehouse.origin, `/${server}/mcp`);
    const result = await client.callTool({ name: 'meta', arguments: {} }, undefined, { onprogress: () => undefined });
    expect(JSON.parse(textOf(result))).toEqual(['progressToken']);
  });

  it('sends sampling from a shared Streamable HTTP upstream to the session whose call asked, with both calls in flight', async () => {
    const [first, second] = await Promise.all([samplingClient('first'), samplingClient('second')]);
    // The fixture holds both calls until both are in progress, so "the latest call in flight" would be wrong for one.
    const [fromFirst, fromSecond] = await Promise.all([
      first.callTool({ name: 'sample', arguments: { together: 2 } }),
      second.callTool({ name: 'sample', arguments: { together: 2 } }),
    ]);
    expect(textOf(fromFirst)).toBe('answered by first');
    expect(textOf(fromSecond)).toBe('answered by second');
  });
});
