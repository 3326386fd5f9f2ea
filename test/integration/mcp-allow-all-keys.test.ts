/**
 * LiteLLM's `allow_all_keys` on an MCP server: every virtual key may use it, whatever its grants (a key with no
 * MCP grant at all included), while other servers stay behind the grants. Set in config.yaml and through
 * `/v1/mcp/server`, shown in the server views, and cleared again by an update.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const MASTER_KEY = 'sk-allow-all-master-51c2';
const downstream = new DownstreamClients();
let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
let admin: AdminClient;

beforeAll(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(
    `
model_list: []
general_settings:
  master_key: ${MASTER_KEY}
mcp_servers:
  everyone:
    url: ${upstream.origin}/everyone
    allow_all_keys: true
  granted:
    url: ${upstream.origin}/granted
`,
    { env: { LITELLM_SALT_KEY: 'salt-allow-all-keys' } },
  );
  admin = new AdminClient(gatehouse.origin, MASTER_KEY);
});

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
});

async function toolNames(key: string): Promise<string[]> {
  const session = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${key}` });
  return (await session.listTools()).tools.map((tool) => tool.name).sort();
}

describe('allow_all_keys', () => {
  it('gives a key with no MCP grant the allow_all_keys server and nothing else', async () => {
    const key = await admin.generateKey({});
    const names = await toolNames(key);
    expect(names).toContain('everyone-whoami');
    expect(names.filter((name) => !name.startsWith('everyone-'))).toEqual([]);

    const session = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${key}` });
    expect(JSON.parse(textOf(await session.callTool({ name: 'everyone-add', arguments: { a: 2, b: 3 } })))).toBe(5);
    await expect(session.callTool({ name: 'granted-whoami', arguments: {} })).rejects.toThrow(/not allowed to use MCP server "granted"/);
    expect(upstream.requests.some((request) => request.path === '/granted' && request.rpcMethods.includes('tools/call'))).toBe(false);
  });

  it('adds the server to a key whose grant names other servers, and keeps its tool permissions', async () => {
    const other = await admin.generateKey({ object_permission: { mcp_servers: ['granted'] } });
    const otherNames = await toolNames(other);
    expect(otherNames).toEqual(expect.arrayContaining(['everyone-whoami', 'granted-whoami']));

    const limited = await admin.generateKey({ object_permission: { mcp_tool_permissions: { everyone: ['add'] } } });
    expect(await toolNames(limited)).toEqual(['everyone-add']);
  });

  it('is set, shown and cleared through /v1/mcp/server, and checked for type', async () => {
    const created = await admin.post('/v1/mcp/server', {
      server_name: 'stored_open',
      url: `${upstream.origin}/stored`,
      transport: 'http',
      allow_all_keys: true,
    });
    expect(created.status).toBe(201);
    expect(created.body.allow_all_keys).toBe(true);
    const serverId = created.body.server_id as string;
    const listed = await admin.get<Array<Record<string, unknown>>>('/v1/mcp/server');
    expect(listed.body.find((server) => server.server_name === 'everyone')?.allow_all_keys).toBe(true);
    expect(listed.body.find((server) => server.server_name === 'granted')?.allow_all_keys).toBe(false);

    const key = await admin.generateKey({});
    expect(await toolNames(key)).toContain('stored_open-whoami');

    const updated = await admin.call('PUT', '/v1/mcp/server', { server_id: serverId, allow_all_keys: false });
    expect(updated.status).toBe(202);
    expect(updated.body.allow_all_keys).toBe(false);
    expect((await toolNames(key)).some((name) => name.startsWith('stored_open-'))).toBe(false);

    const invalid = await admin.post<{ error: { message: string; param: string | null } }>('/v1/mcp/server', {
      server_name: 'stored_bad',
      url: `${upstream.origin}/bad`,
      allow_all_keys: 'yes',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.param).toBe('allow_all_keys');
  });
});
