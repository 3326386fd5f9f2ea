/**
 * LiteLLM's `available_on_public_internet: false`: only callers inside `general_settings.mcp_internal_ip_ranges`
 * may use the server, on every access point (/mcp listing and calls, per-server endpoints, `litellm_proxy` tools in
 * the LLM routes, the server list of /v1/mcp/server), the master key included. The tests reach Gatehouse from
 * 127.0.0.1, so one Gatehouse declares only 10.0.0.0/8 internal (loopback is then external) and reads the address
 * from X-Forwarded-For; another keeps the default ranges (loopback internal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER_KEY = 'sk-public-internet-master-93d1';
const INTERNAL = { 'x-forwarded-for': '10.20.30.40' };
const EXTERNAL = { 'x-forwarded-for': '203.0.113.7' };
const downstream = new DownstreamClients();
let upstream: RecordingServer;
let behindProxy: RunningGatehouse;
let defaults: RunningGatehouse;

const servers = (origin: string) => `
mcp_servers:
  public_one:
    url: ${origin}/public
  internal_one:
    url: ${origin}/internal
    available_on_public_internet: false
`;

beforeAll(async () => {
  upstream = await startRecordingServer();
  behindProxy = await startGatehouse(
    `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER_KEY}
  mcp_internal_ip_ranges: ["10.0.0.0/8"]
  use_x_forwarded_for: true
${servers(upstream.origin)}`,
    { env: { LITELLM_SALT_KEY: 'salt-public-internet' } },
  );
  defaults = await startGatehouse(`
model_list: []
general_settings:
  master_key: ${MASTER_KEY}
${servers(upstream.origin)}`);
});

afterAll(async () => {
  await downstream.closeAll();
  await behindProxy?.close();
  await defaults?.close();
  await upstream?.close();
});

async function toolNames(gatehouse: RunningGatehouse, headers: Record<string, string>, path = '/mcp'): Promise<string[]> {
  const session = await downstream.connect(gatehouse.origin, path, { authorization: `Bearer ${MASTER_KEY}`, ...headers });
  return (await session.listTools()).tools.map((tool) => tool.name);
}

describe('available_on_public_internet: false', () => {
  it('shows an internal caller both servers and an external one only the public server', async () => {
    const internal = await toolNames(behindProxy, INTERNAL);
    expect(internal).toEqual(expect.arrayContaining(['public_one-whoami', 'internal_one-whoami']));
    const external = await toolNames(behindProxy, EXTERNAL);
    expect(external).toContain('public_one-whoami');
    expect(external.filter((name) => name.startsWith('internal_one-'))).toEqual([]);
  });

  it('refuses an external caller the server by name, by endpoint and in an LLM request, before any upstream call', async () => {
    const before = upstream.requests.filter((request) => request.path === '/internal' && request.rpcMethods.includes('tools/call')).length;
    const session = await downstream.connect(behindProxy.origin, '/mcp', { authorization: `Bearer ${MASTER_KEY}`, ...EXTERNAL });
    await expect(session.callTool({ name: 'internal_one-whoami', arguments: {} })).rejects.toThrow(/MCP server "internal_one"/);
    await expect(toolNames(behindProxy, EXTERNAL, '/mcp/internal_one')).rejects.toThrow(/403/);

    const client = behindProxy.client(MASTER_KEY);
    const refused = await client.chat.completions
      .create(
        {
          model: 'demo',
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ type: 'mcp', server_label: 'x', server_url: 'litellm_proxy/mcp/internal_one', require_approval: 'never' }] as never,
        },
        { headers: EXTERNAL },
      )
      .catch((error: unknown) => error as { status?: number });
    expect(refused).toMatchObject({ status: 403 });
    const after = upstream.requests.filter((request) => request.path === '/internal' && request.rpcMethods.includes('tools/call')).length;
    expect(after).toBe(before);

    // The same request from inside is served.
    expect(await toolNames(behindProxy, INTERNAL, '/mcp/internal_one')).toContain('whoami');
  });

  it('does not let a session opened from inside be used from outside', async () => {
    const response = await fetch(`${behindProxy.origin}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...INTERNAL },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });
    const sessionId = response.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    await response.text();
    const listFrom = (headers: Record<string, string>) =>
      fetch(`${behindProxy.origin}/mcp`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${MASTER_KEY}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId ?? '',
          ...headers,
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
      });
    const outside = await listFrom(EXTERNAL);
    await outside.text();
    expect(outside.status).toBe(404);
    const inside = await listFrom(INTERNAL);
    expect(inside.status).toBe(200);
    expect(await inside.text()).toContain('internal_one-whoami');
  });

  it('keeps loopback internal with the default ranges, and ignores X-Forwarded-For unless told to read it', async () => {
    expect(await toolNames(defaults, EXTERNAL)).toEqual(expect.arrayContaining(['public_one-whoami', 'internal_one-whoami']));
  });

  it('is a field of /v1/mcp/server, and the server list hides internal servers from external callers', async () => {
    const admin = new AdminClient(behindProxy.origin, MASTER_KEY);
    const created = await admin.post('/v1/mcp/server', {
      server_name: 'stored_internal',
      url: `${upstream.origin}/stored-internal`,
      transport: 'http',
      available_on_public_internet: false,
    });
    expect(created.status).toBe(201);
    expect(created.body.available_on_public_internet).toBe(false);
    const listedFrom = async (headers: Record<string, string>) => {
      const response = await fetch(`${behindProxy.origin}/v1/mcp/server`, { headers: { authorization: `Bearer ${MASTER_KEY}`, ...headers } });
      return ((await response.json()) as Array<{ server_name: string }>).map((server) => server.server_name);
    };
    expect(await listedFrom(INTERNAL)).toEqual(expect.arrayContaining(['public_one', 'internal_one', 'stored_internal']));
    const external = await listedFrom(EXTERNAL);
    expect(external).toContain('public_one');
    expect(external).not.toContain('internal_one');
    expect(external).not.toContain('stored_internal');
    expect(await toolNames(behindProxy, EXTERNAL)).not.toContain('stored_internal-whoami');
    expect(await toolNames(behindProxy, INTERNAL)).toContain('stored_internal-whoami');
  });
});
