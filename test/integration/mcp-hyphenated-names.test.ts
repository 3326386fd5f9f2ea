/**
 * Server names and aliases that contain the tool name separator, as in LiteLLM's Terraform examples
 * (`example-http-server`, alias `http-example`): tools are listed and called under the prefixed name, and
 * `x-mcp-{server}-{header}` headers reach the right server, parsed by the longest registered prefix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer, type WhoamiAnswer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();

beforeAll(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list: []
mcp_servers:
  example-http-server:
    url: ${upstream.origin}/example
    alias: http-example
  zapier-server:
    url: ${upstream.origin}/zapier
`);
});

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
});

describe('server names with the separator in them', () => {
  it('lists and calls tools under the hyphenated prefix, and routes x-mcp-{server}-* headers by it', async () => {
    const session = await downstream.connect(gatehouse.origin, '/mcp', {
      'x-mcp-http-example-authorization': 'Bearer for-example',
      'x-mcp-zapier-server-authorization': 'Bearer for-zapier',
    });
    const names = (await session.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('http-example-whoami');
    expect(names).toContain('zapier-server-whoami');
    const example = JSON.parse(textOf(await session.callTool({ name: 'http-example-whoami', arguments: {} }))) as WhoamiAnswer;
    const zapier = JSON.parse(textOf(await session.callTool({ name: 'zapier-server-whoami', arguments: {} }))) as WhoamiAnswer;
    expect(example.authorization).toBe('Bearer for-example');
    expect(zapier.authorization).toBe('Bearer for-zapier');
    expect(upstream.requests.filter((request) => request.path === '/example' && request.rpcMethods.includes('tools/call'))).toHaveLength(1);
  });

  it('serves the per-server endpoint of a hyphenated name', async () => {
    const session = await downstream.connect(gatehouse.origin, '/mcp/zapier-server');
    expect((await session.listTools()).tools.map((tool) => tool.name)).toContain('whoami');
  });
});
