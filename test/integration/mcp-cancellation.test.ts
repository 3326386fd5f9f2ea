/**
 * Cancellation through the gateway, both ways a client gives up on a `tools/call`: the MCP SDK client cancels
 * it (`notifications/cancelled`), or the HTTP connection of the call goes away. Either way the upstream is told
 * (`notifications/cancelled` on the pooled session) and its tool stops; the session stays usable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf, waitUntil } from './mcp-downstream.js';

let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();

beforeEach(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  rec:
    url: ${upstream.origin}/rec
`);
});

afterEach(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
});

const upstreamSaw = (method: string) => upstream.requests.filter((record) => record.rpcMethods.includes(method)).length;

describe('cancelling a tools/call through /mcp', () => {
  it('relays the client’s notifications/cancelled upstream and rejects the call; the session goes on', async () => {
    const client = await downstream.connect(gatehouse.origin, '/rec/mcp');
    const controller = new AbortController();
    const call = client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, undefined, { signal: controller.signal });
    await waitUntil(() => upstreamSaw('tools/call') === 1, 'the call to reach the upstream');
    controller.abort('changed my mind');
    await expect(call).rejects.toThrow();
    await waitUntil(() => upstreamSaw('notifications/cancelled') === 1, 'the cancellation to reach the upstream');
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } }))).toBe('5');
  });

  it('cancels the upstream call when the client drops the connection of a call it cannot resume', async () => {
    const client = await downstream.connect(gatehouse.origin, '/rec/mcp');
    await client.listTools();
    const transport = client.transport as { sessionId?: string } | undefined;
    const sessionId = transport?.sessionId;
    expect(sessionId).toBeTypeOf('string');
    const aborter = new AbortController();
    const agent = new Agent();
    // An older protocol has no priming events, so a dropped stream cannot be resumed: the call is given up.
    const response = request(`${gatehouse.origin}/rec/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId as string,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'drop-1', method: 'tools/call', params: { name: 'slow', arguments: { ms: 10_000 } } }),
      signal: aborter.signal,
      dispatcher: agent,
    });
    await waitUntil(() => upstreamSaw('tools/call') === 1, 'the call to reach the upstream');
    aborter.abort();
    await expect(response).rejects.toThrow();
    await agent.destroy();
    await waitUntil(() => upstreamSaw('notifications/cancelled') === 1, 'the cancellation to reach the upstream');
  });
});
