/**
 * Issue #6 part 1: an MCP session belongs to the key (and grant version) that opened it — another key, the master
 * key, or the same key after its grants changed gets 404 and must initialize again, so a session never outlives a
 * revocation; a legacy SSE stream likewise. Without a master key the proxy stays open (no key needed).
 */
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER_KEY = 'sk-sessions-master-77';
const downstream = new DownstreamClients();
let recording: RecordingServer;
let gatehouse: RunningGatehouse;
let admin: AdminClient;

beforeAll(async () => {
  recording = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER_KEY}
mcp_servers:
  alpha: { url: "${recording.origin}/alpha" }
  beta: { url: "${recording.origin}/beta" }
`);
  admin = new AdminClient(gatehouse.origin, MASTER_KEY);
});

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await recording?.close();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** One JSON-RPC tools/list POST on an existing session, as `key`. */
async function listOnSession(path: string, sessionId: string, key: string) {
  const response = await fetch(`${gatehouse.origin}${path}`, {
    method: 'POST',
    headers: {
      ...bearer(key),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': sessionId,
      'mcp-protocol-version': '2025-06-18',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('MCP sessions are bound to the key that opened them (issue #6 part 1)', () => {
  it('another key, or the master key, presenting the session id gets 404', async () => {
    const a = await admin.generateKey({ object_permission: { mcp_servers: ['alpha'] } });
    const b = await admin.generateKey({ object_permission: { mcp_servers: ['alpha', 'beta'] } });
    const client = await downstream.connect(gatehouse.origin, '/mcp', bearer(a));
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId ?? '';
    expect(sessionId).not.toBe('');
    expect(await listOnSession('/mcp', sessionId, a)).toBe(200);
    expect(await listOnSession('/mcp', sessionId, b)).toBe(404);
    expect(await listOnSession('/mcp', sessionId, MASTER_KEY)).toBe(404);
    expect(await listOnSession('/mcp', sessionId, 'sk-unknown')).toBe(401);
  });

  it('a grant change ends the key\'s open sessions; a new session sees the new grants at once', async () => {
    const key = await admin.generateKey({ object_permission: { mcp_servers: ['alpha', 'beta'] } });
    const client = await downstream.connect(gatehouse.origin, '/mcp', bearer(key));
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('beta-whoami');
    await admin.expectOk('/key/update', { key, object_permission: { mcp_servers: ['alpha'] } });
    await expect(client.listTools()).rejects.toThrow(/404|Session not found/);
    const fresh = await downstream.connect(gatehouse.origin, '/mcp', bearer(key));
    const names = (await fresh.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('alpha-whoami');
    expect(names).not.toContain('beta-whoami');
    await admin.expectOk('/key/block', { key });
    await expect(fresh.listTools()).rejects.toThrow(/401|blocked/);
  });

  it('a legacy SSE stream only takes messages from the key that opened it', async () => {
    const a = await admin.generateKey({ object_permission: { mcp_servers: ['alpha'] } });
    const b = await admin.generateKey({ object_permission: { mcp_servers: ['alpha'] } });
    const stream = new AbortController();
    const response = await fetch(`${gatehouse.origin}/sse`, { headers: { ...bearer(a), accept: 'text/event-stream' }, signal: stream.signal });
    try {
      const endpoint = await firstEndpointEvent(response);
      const post = (key: string) =>
        fetch(`${gatehouse.origin}${endpoint}`, {
          method: 'POST',
          headers: { ...bearer(key), 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
        }).then(async (answer) => {
          await answer.body?.cancel();
          return answer.status;
        });
      expect(await post(b)).toBe(404);
      expect(await post(MASTER_KEY)).toBe(404);
      expect(await post(a)).toBe(202);
    } finally {
      stream.abort();
    }
  });
});

/** The path in the SSE stream's first `endpoint` event (`/messages?sessionId=…`). */
async function firstEndpointEvent(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`SSE stream ended before an endpoint event: ${text}`);
    text += decoder.decode(value, { stream: true });
    const match = /event: endpoint\r?\ndata: (\S+)/.exec(text);
    if (match) {
      reader.releaseLock();
      return match[1];
    }
  }
}

describe('without a master key (issue #6 part 1: the proxy stays open)', () => {
  it('accepts any or no key and shows every server', async () => {
    const open = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  alpha: { url: "${recording.origin}/alpha" }
  beta: { url: "${recording.origin}/beta" }
`);
    try {
      for (const headers of [{}, bearer('sk-whatever')]) {
        const client = await downstream.connect(open.origin, '/mcp', headers);
        const names = (await client.listTools()).tools.map((tool) => tool.name);
        expect(names).toEqual(expect.arrayContaining(['alpha-whoami', 'beta-whoami']));
      }
    } finally {
      await downstream.closeAll();
      await open.close();
    }
  });
});
