/**
 * The HTTP+SSE transport (MCP 2024-11-05) for old clients: `GET /sse` and `GET /mcp/sse` open a session whose
 * first event names the message URL, POSTs there are answered 202 with replies on the stream. Driven by the SDK's
 * SSEClientTransport (and raw HTTP for the wire details) against real server-everything upstreams.
 */
import { request as httpRequest } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const KEY = 'sk-sse-master';
const AUTH = { authorization: `Bearer ${KEY}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let gatehouse: RunningGatehouse;
let yaml: string;
const upstreams: RunningEverything[] = [];
const clients: Client[] = [];

async function connect(path: string, headers: Record<string, string> = {}, origin = gatehouse.origin): Promise<Client> {
  const client = new Client({ name: 'old-client', version: '1.0.0' });
  await client.connect(new SSEClientTransport(new URL(`${origin}${path}`), { requestInit: { headers: { ...AUTH, ...headers } } }));
  clients.push(client);
  return client;
}

interface SseEvent {
  event: string;
  data: string;
}

/** A GET stream read by hand: its events in order, and a way to hang up. */
async function openStream(path: string, headers: Record<string, string> = AUTH) {
  const controller = new AbortController();
  const response = await fetch(`${gatehouse.origin}${path}`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const next = async (): Promise<SseEvent> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const field = (name: string) => frame.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2) ?? '';
        return { event: field('event'), data: field('data') };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += value;
    }
  };
  return { response, next, close: () => controller.abort() };
}

function post(path: string, body: unknown, headers: Record<string, string> = AUTH) {
  return fetch(`${gatehouse.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

beforeAll(async () => {
  const [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
  upstreams.push(sse, http);
  yaml = `
general_settings:
  master_key: ${KEY}
  mcp_allowed_hosts: ["gatehouse.test"]
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  every_sse:
    url: ${sse.url}
    transport: sse
  every_http:
    url: ${http.url}
`;
  gatehouse = await startGatehouse(yaml);
}, 60_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

describe('legacy SSE transport', () => {
  it('opens GET /sse with an endpoint event naming /messages?sessionId=<uuid>, and GET /mcp/sse with /mcp/messages', async () => {
    for (const [path, messages] of [
      ['/sse', '/messages'],
      ['/mcp/sse', '/mcp/messages'],
    ]) {
      const stream = await openStream(path);
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
      const first = await stream.next();
      expect(first.event).toBe('endpoint');
      const url = new URL(first.data, gatehouse.origin);
      expect(url.pathname).toBe(messages);
      expect(url.searchParams.get('sessionId')).toMatch(UUID);
      stream.close();
    }
  });

  it('answers POSTed messages with 202 and puts the reply on the stream', async () => {
    const stream = await openStream('/sse');
    const endpoint = (await stream.next()).data;
    const accepted = await post(endpoint, INITIALIZE);
    expect(accepted.status).toBe(202);
    const reply = await stream.next();
    expect(reply.event).toBe('message');
    const message = JSON.parse(reply.data) as { id: number; result: { serverInfo: { name: string } } };
    expect(message.id).toBe(1);
    expect(message.result.serverInfo.name).toBe('gatehouse');
    stream.close();
  });

  it('lists and calls tools and gets a prompt across servers through SSEClientTransport on /sse', async () => {
    const client = await connect('/sse');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['every_sse-echo', 'every_http-echo']));
    for (const prefix of ['every_sse', 'every_http']) {
      const result = await client.callTool({ name: `${prefix}-echo`, arguments: { message: `old ${prefix}` } });
      expect(result.content).toEqual([{ type: 'text', text: `Echo: old ${prefix}` }]);
    }
    const { prompts } = await client.listPrompts();
    const simple = prompts.find((prompt) => prompt.name === 'every_http-simple-prompt');
    expect(simple).toBeDefined();
    const got = await client.getPrompt({ name: simple!.name });
    expect(got.messages.length).toBeGreaterThan(0);
  });

  it('scopes the session on the GET: ?server= gives one server under its own names, x-mcp-servers narrows', async () => {
    const one = await connect('/mcp/sse?server=every_http');
    const own = (await one.listTools()).tools.map((tool) => tool.name);
    expect(own).toContain('echo');
    expect(own.some((name) => name.startsWith('every_'))).toBe(false);
    expect((await one.callTool({ name: 'echo', arguments: { message: 'one' } })).content).toEqual([{ type: 'text', text: 'Echo: one' }]);

    const narrowed = await connect('/sse', { 'x-mcp-servers': 'every_sse' });
    const names = (await narrowed.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('every_sse-echo');
    expect(names.some((name) => name.startsWith('every_http-'))).toBe(false);
  });

  it('answers 404 with a JSON-RPC error naming an unknown server chosen on the GET', async () => {
    const response = await fetch(`${gatehouse.origin}/sse`, { headers: { ...AUTH, 'x-mcp-servers': 'nope' } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.message).toContain('"nope"');
    expect(body.error.data.code).toBe('mcp_server_not_found');
  });

  it('answers 404 JSON-RPC for an unknown sessionId and 400 without one', async () => {
    const unknown = await post('/messages?sessionId=00000000-0000-4000-8000-000000000000', INITIALIZE);
    expect(unknown.status).toBe(404);
    const body = (await unknown.json()) as { jsonrpc: string; error: { code: number; message: string } };
    expect(body.jsonrpc).toBe('2.0');
    expect(body.error.message).toContain('Session not found');
    expect((await post('/mcp/messages', INITIALIZE)).status).toBe(400);
  });

  it('does not accept a Streamable HTTP session id on /messages', async () => {
    const response = await post('/mcp', INITIALIZE, { ...AUTH, accept: 'application/json, text/event-stream' });
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId).toMatch(UUID);
    await response.body?.cancel();
    expect((await post(`/messages?sessionId=${sessionId}`, INITIALIZE)).status).toBe(404);
    await fetch(`${gatehouse.origin}/mcp`, { method: 'DELETE', headers: { ...AUTH, 'mcp-session-id': sessionId! } });
  });

  it('removes the session when its GET stream closes', async () => {
    const stream = await openStream('/sse');
    const endpoint = (await stream.next()).data;
    expect((await post(endpoint, INITIALIZE)).status).toBe(202);
    stream.close();
    let status = 202;
    for (let attempt = 0; attempt < 50 && status !== 404; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await post(endpoint, { jsonrpc: '2.0', method: 'notifications/initialized' })).status;
    }
    expect(status).toBe(404);
  });

  it('requires the proxy key on the GET and on POSTs (401 with WWW-Authenticate)', async () => {
    const stream = await openStream('/sse');
    const endpoint = (await stream.next()).data;
    for (const response of [await fetch(`${gatehouse.origin}/sse`), await fetch(`${gatehouse.origin}/mcp/sse`), await post(endpoint, INITIALIZE, {})]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(((await response.json()) as { jsonrpc: string }).jsonrpc).toBe('2.0');
    }
    stream.close();
  });

  it('refuses a foreign Host with 403 (DNS-rebinding protection)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${gatehouse.origin}/sse`, { headers: { ...AUTH, host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('ends open SSE streams when the app closes, so close() does not wait on them', async () => {
    const second = await startGatehouse(yaml);
    const client = new Client({ name: 'old-client', version: '1.0.0' });
    const transport = new SSEClientTransport(new URL(`${second.origin}/sse`), { requestInit: { headers: AUTH } });
    await client.connect(transport);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const closed = new Promise<void>((resolve) => {
      client.onerror = () => resolve();
      client.onclose = () => resolve();
    });
    await second.close();
    await closed;
    await client.close();
  });
});
