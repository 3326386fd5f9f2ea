/**
 * Issue #6, acceptance point 2: the `/v1/mcp/server` admin API round trip with the Terraform resource's field
 * names (create HTTP and stdio servers, read back, update, import by id, delete), each change live on the next
 * request without a restart, and secrets never in any GET. Driven over real HTTP and the MCP SDK client.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { stdioProbeCommand } from '../fixtures/mcp/stdio-probe-server.js';
import { adminRequest } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const MASTER = 'sk-master-admin-test';
const SECRET = 'upstream-token-never-shown';
const ENV_SECRET = 'stdio-env-secret-value';

let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();

beforeAll(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list: []
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
mcp_servers:
  from_config:
    url: ${upstream.origin}/config
    access_groups: [config_group]
    env: {}
`);
});

afterEach(async () => {
  await downstream.closeAll();
});

afterAll(async () => {
  await gatehouse.close();
  await upstream.close();
});

const api = (method: string, path: string, body?: unknown, key: string = MASTER) => adminRequest(gatehouse.origin, method, path, { key, body });

async function toolNames(path = '/mcp'): Promise<string[]> {
  const client = await downstream.connect(gatehouse.origin, path, { authorization: `Bearer ${MASTER}` });
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((tool) => tool.name).sort();
}

describe('/v1/mcp/server round trip (issue #6 acceptance 2)', () => {
  it('creates an HTTP server with the Terraform fields (201), serves it on the next request, and never shows its credentials', async () => {
    const created = await api('POST', '/v1/mcp/server', {
      server_id: 'tf_http',
      server_name: 'example_http_server',
      alias: 'httpx',
      description: 'Example HTTP MCP server',
      url: `${upstream.origin}/tf`,
      transport: 'http',
      auth_type: 'bearer',
      spec_version: '2025-06-18',
      credentials: { auth_value: SECRET },
      mcp_access_groups: ['dev_group', 'prod_group'],
      mcp_info: {
        server_name: 'Example',
        description: 'info',
        logo_url: 'https://example.com/logo.png',
        mcp_server_cost_info: { default_cost_per_query: 0.01, tool_name_to_cost_per_query: { add: 0.05 } },
      },
      extra_headers: ['x-trace'],
      allowed_tools: ['add', 'whoami'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      server_id: 'tf_http',
      server_name: 'example_http_server',
      alias: 'httpx',
      url: `${upstream.origin}/tf`,
      transport: 'http',
      auth_type: 'bearer',
      spec_version: '2025-06-18',
      credentials: null,
      mcp_access_groups: ['dev_group', 'prod_group'],
      mcp_info: { mcp_server_cost_info: { default_cost_per_query: 0.01, tool_name_to_cost_per_query: { add: 0.05 } } },
      created_by: 'proxy_admin',
      status: 'unknown',
    });
    expect(created.text).not.toContain(SECRET);

    // Live on the very next request: listed (only allowed_tools) and callable with the decrypted credential.
    expect(await toolNames()).toEqual(expect.arrayContaining(['httpx-add', 'httpx-whoami', 'from_config-add']));
    expect(await toolNames()).not.toContain('httpx-slow');
    const client = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${MASTER}` });
    const whoami = JSON.parse(textOf(await client.callTool({ name: 'httpx-whoami', arguments: {} }))) as { authorization: string | null };
    expect(whoami.authorization).toBe(`Bearer ${SECRET}`);

    // Read back: by id (terraform import) and in the list, never with the secret.
    const byId = await api('GET', '/v1/mcp/server/tf_http');
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({ server_id: 'tf_http', alias: 'httpx', credentials: null, source: 'db' });
    const list = await api('GET', '/v1/mcp/server');
    expect(list.status).toBe(200);
    const ids = (list.body as { server_id: string }[]).map((server) => server.server_id);
    expect(ids).toEqual(expect.arrayContaining(['from_config', 'tf_http']));
    for (const response of [byId, list, await api('GET', '/v1/mcp/server/health')]) expect(response.text).not.toContain(SECRET);
  });

  it('creates a stdio server whose (encrypted) env reaches the child and reads back to the admin', async () => {
    const probe = stdioProbeCommand('admin-api');
    const created = await api('POST', '/v1/mcp/server', {
      server_name: 'local_tools',
      alias: 'local',
      url: 'stdio://local',
      transport: 'stdio',
      auth_type: 'none',
      command: probe.command,
      args: probe.args,
      env: { PROBE_SECRET: ENV_SECRET },
      mcp_access_groups: ['local_dev'],
    });
    expect(created.status).toBe(201);
    const id = (created.body as { server_id: string }).server_id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const client = await downstream.connect(gatehouse.origin, '/local/mcp', { authorization: `Bearer ${MASTER}` });
    const result = await client.callTool({ name: 'env', arguments: { name: 'PROBE_SECRET' } });
    expect(JSON.parse(textOf(result))).toEqual({ value: ENV_SECRET });
    const read = await api('GET', `/v1/mcp/server/${id}`);
    expect(read.body).toMatchObject({ transport: 'stdio', command: probe.command, args: probe.args, env: { PROBE_SECRET: ENV_SECRET } });
    expect(await api('DELETE', `/v1/mcp/server/${id}`)).toMatchObject({ status: 202 });
  });

  it('updates with PUT (server_id in the body, 202): the new alias and URL are live at once, the old name is gone', async () => {
    const before = upstream.initializes('/tf2').length;
    const updated = await api('PUT', '/v1/mcp/server', { server_id: 'tf_http', alias: 'renamed', url: `${upstream.origin}/tf2` });
    expect(updated.status).toBe(202);
    expect(updated.body).toMatchObject({ server_id: 'tf_http', alias: 'renamed', url: `${upstream.origin}/tf2`, updated_by: 'proxy_admin' });
    // Fields not sent are kept, credentials included.
    expect(updated.body).toMatchObject({ server_name: 'example_http_server', mcp_access_groups: ['dev_group', 'prod_group'] });
    const names = await toolNames();
    expect(names).toContain('renamed-add');
    expect(names.some((name) => name.startsWith('httpx-'))).toBe(false);
    expect(upstream.initializes('/tf2').length).toBeGreaterThan(before);
    const client = await downstream.connect(gatehouse.origin, '/mcp/renamed', { authorization: `Bearer ${MASTER}` });
    const whoami = JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as { authorization: string | null };
    expect(whoami.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('tells an open session that has the server in scope that its lists changed, and routes it to the updated server', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${MASTER}` });
    let notified = 0;
    const { ToolListChangedNotificationSchema } = await import('@modelcontextprotocol/sdk/types.js');
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    await client.listTools();
    expect((await api('PUT', '/v1/mcp/server', { server_id: 'tf_http', url: `${upstream.origin}/tf3` })).status).toBe(202);
    await expect.poll(() => notified, { timeout: 5_000 }).toBeGreaterThan(0);
    await client.callTool({ name: 'renamed-whoami', arguments: {} });
    expect(upstream.requests.some((request) => request.path === '/tf3' && request.rpcMethods.includes('tools/call'))).toBe(true);
  });

  it('deletes (202): gone from the next request and from GET (404)', async () => {
    expect((await api('DELETE', '/v1/mcp/server/tf_http')).status).toBe(202);
    expect((await api('GET', '/v1/mcp/server/tf_http')).status).toBe(404);
    expect((await toolNames()).some((name) => name.startsWith('renamed-'))).toBe(false);
    expect((await api('DELETE', '/v1/mcp/server/tf_http')).status).toBe(404);
  });

  it('lists access groups from config and stored servers, and the caller’s tools across servers', async () => {
    expect((await api('POST', '/v1/mcp/server', { server_name: 'grouped', url: `${upstream.origin}/g`, transport: 'http', mcp_access_groups: ['zeta'] })).status).toBe(201);
    const groups = await api('GET', '/v1/mcp/access_groups');
    expect(groups.body).toEqual({ access_groups: ['config_group', 'zeta'] });
    const tools = await api('GET', '/v1/mcp/tools');
    const twice = await api('GET', '/v1/mcp/tools?server_id=a&server_id=b');
    expect(twice.status).toBe(400);
    expect(twice.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'server_id' } });
    const names = (tools.body as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['from_config-add', 'grouped-add']));
  });
});

describe('/v1/mcp/server refusals', () => {
  const base = { url: 'http://127.0.0.1:9/mcp', transport: 'http' };

  it.each([
    ['a name that breaks SEP-986', { ...base, server_name: 'bad name!' }, 'server_name'],
    ["a name nesting with a config server's around the separator", { ...base, server_name: 'from_config-more' }, 'server_name'],
    ["an alias nesting with a config server's name", { ...base, server_name: 'okname', alias: 'from_config-x' }, 'alias'],
    ['stdio without command', { server_name: 'nocmd', transport: 'stdio' }, 'command'],
    ['http with a command', { ...base, server_name: 'withcmd', command: 'node' }, 'command'],
    ['http without url', { server_name: 'nourl', transport: 'http' }, 'url'],
    ['an unknown transport', { ...base, server_name: 'badtransport', transport: 'carrier-pigeon' }, 'transport'],
    ['interactive oauth2 (no token_url) on stdio', { server_name: 'oauthstdio', transport: 'stdio', command: 'node', auth_type: 'oauth2' }, 'auth_type'],
    ['a list field that is not a list', { ...base, server_name: 'badgroups', mcp_access_groups: 'x' }, 'mcp_access_groups'],
  ])('answers 400 for %s, naming the field', async (_what, body, param) => {
    const response = await api('POST', '/v1/mcp/server', body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { type: 'invalid_request_error', param } });
  });

  it('answers 400 mcp_server_exists for a duplicate server_id, a name used by a config server, or an alias used as a name', async () => {
    expect((await api('POST', '/v1/mcp/server', { ...base, server_id: 'dup', server_name: 'dup_one' })).status).toBe(201);
    for (const body of [
      { ...base, server_id: 'dup', server_name: 'dup_two' },
      { ...base, server_name: 'from_config' },
      { ...base, server_name: 'other', alias: 'DUP_ONE' },
    ]) {
      const response = await api('POST', '/v1/mcp/server', body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ error: { code: 'mcp_server_exists' } });
    }
  });

  it('answers 404 for PUT or DELETE of an unknown id, and 400 for a config server', async () => {
    expect((await api('PUT', '/v1/mcp/server', { server_id: 'nope', description: 'x' })).status).toBe(404);
    expect((await api('DELETE', '/v1/mcp/server/nope')).status).toBe(404);
    expect((await api('GET', '/v1/mcp/server/nope')).status).toBe(404);
    const config = await api('PUT', '/v1/mcp/server', { server_id: 'from_config', description: 'x' });
    expect(config.status).toBe(400);
    expect(config.body).toMatchObject({ error: { param: 'server_id' } });
  });

  it('answers 401 without a key, and 403 admin_required for a virtual key that writes', async () => {
    expect((await adminRequest(gatehouse.origin, 'GET', '/v1/mcp/server')).status).toBe(401);
    expect((await api('POST', '/v1/mcp/server', { ...base, server_name: 'nokey' }, 'sk-wrong')).status).toBe(401);
    const generated = await api('POST', '/key/generate', {});
    expect(generated.status).toBe(200);
    const key = (generated.body as { key: string }).key;
    const write = await api('POST', '/v1/mcp/server', { ...base, server_name: 'by_key' }, key);
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ error: { code: 'admin_required', type: 'permission_error' } });
    expect((await api('DELETE', '/v1/mcp/server/dup', undefined, key)).status).toBe(403);
    // Reads are allowed; the reduced view shows no url, command, env or headers.
    const list = await api('GET', '/v1/mcp/server', undefined, key);
    expect(list.status).toBe(200);
    for (const server of list.body as Record<string, unknown>[]) expect(server).toMatchObject({ url: null, env: null, static_headers: null, command: null });
  });

  it('takes a DELETE that says Content-Type: application/json with no body (as the Terraform provider sends it)', async () => {
    const created = await api('POST', '/v1/mcp/server', { ...base, server_id: 'tf_empty_body', server_name: 'tf_empty_body' });
    expect(created.status).toBe(201);
    const send = (method: string, path: string) =>
      fetch(`${gatehouse.origin}${path}`, { method, headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' } });
    expect((await send('DELETE', '/v1/mcp/server/tf_empty_body')).status).toBe(202);
    // A route that needs a body still says so, in the OpenAI shape.
    const noBody = await send('POST', '/v1/mcp/server');
    expect(noBody.status).toBe(400);
    expect(await noBody.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const mcp = await fetch(`${gatehouse.origin}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    });
    expect(mcp.status).toBe(400);
    expect(await mcp.json()).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
  });

  it('shows a virtual key the health of the servers it may use, and of no other', async () => {
    const none = (await api('POST', '/key/generate', {})).body as { key: string };
    expect((await api('GET', '/v1/mcp/server/health', undefined, none.key)).body).toEqual([]);
    const granted = (await api('POST', '/key/generate', { object_permission: { mcp_servers: ['from_config'] } })).body as { key: string };
    const health = (await api('GET', '/v1/mcp/server/health', undefined, granted.key)).body as { server_id: string }[];
    expect(health.map((entry) => entry.server_id)).toEqual(['from_config']);
    const everything = (await api('GET', '/v1/mcp/server/health')).body as { server_id: string }[];
    expect(everything.length).toBeGreaterThan(1);
  });
});

describe('/v1/mcp/server secrets without a key', () => {
  it('refuses credentials with 400 secret_key_missing when neither LITELLM_SALT_KEY nor a master key is set, and accepts them with LITELLM_SALT_KEY', async () => {
    const open = await startGatehouse('model_list: []\ngeneral_settings:\n  mcp_health_check_interval: 0\n');
    const salted = await startGatehouse('model_list: []\ngeneral_settings:\n  mcp_health_check_interval: 0\n', { env: { LITELLM_SALT_KEY: 'salt-key-for-test' } });
    try {
      const body = { server_name: 'needs_key', url: 'http://127.0.0.1:9/mcp', transport: 'http', credentials: { auth_value: 'x' } };
      const refused = await adminRequest(open.origin, 'POST', '/v1/mcp/server', { body });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ error: { code: 'secret_key_missing' } });
      expect((await adminRequest(open.origin, 'POST', '/v1/mcp/server', { body: { ...body, credentials: null } })).status).toBe(201);
      expect((await adminRequest(salted.origin, 'POST', '/v1/mcp/server', { body })).status).toBe(201);
    } finally {
      await open.close();
      await salted.close();
    }
  });
});
