/**
 * Who may call the admin routes, the same way on every family (/key, /team, /organization, /spend, /v1/mcp/server):
 * no key or an unknown one is a 401 with `WWW-Authenticate`, a virtual key is a 403 admin_required (before its body
 * is read), and the MCP server reads stay open to any valid key. With no master key every caller is the admin.
 * One check decides it all (src/auth/proxy-admin.ts); this file proves each family goes through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRequest } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const MASTER = 'sk-master-admin-access-test';

/** Every admin-only route, one line per method and path. */
const ADMIN_ONLY: readonly (readonly [string, string])[] = [
  ['POST', '/key/generate'],
  ['POST', '/key/update'],
  ['POST', '/key/delete'],
  ['POST', '/key/block'],
  ['POST', '/key/unblock'],
  ['GET', '/key/info?key=sk-whatever'],
  ['GET', '/key/list'],
  ['POST', '/team/new'],
  ['POST', '/team/update'],
  ['POST', '/team/delete'],
  ['GET', '/team/info?team_id=t'],
  ['GET', '/team/list'],
  ['POST', '/organization/new'],
  ['PATCH', '/organization/update'],
  ['POST', '/organization/update'],
  ['DELETE', '/organization/delete'],
  ['POST', '/organization/delete'],
  ['GET', '/organization/info?organization_id=o'],
  ['GET', '/organization/list'],
  ['GET', '/spend/logs'],
  ['POST', '/v1/mcp/server'],
  ['PUT', '/v1/mcp/server'],
  ['PUT', '/v1/mcp/server/some_id'],
  ['DELETE', '/v1/mcp/server/some_id'],
  ['POST', '/v1/mcp/server/some_id/spec/refresh'],
];

/** The /v1/mcp routes any valid key may call. */
const READABLE = ['/v1/mcp/server', '/v1/mcp/server/health', '/v1/mcp/access_groups', '/v1/mcp/tools'];

const hasBody = (method: string) => method !== 'GET' && method !== 'DELETE';

/** A raw request whose JSON body is malformed, so a route that read the body first would answer 400. */
async function withBrokenBody(origin: string, method: string, path: string, key: string | undefined) {
  const response = await fetch(`${origin}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}) },
    body: '{"not json',
  });
  return { status: response.status, body: (await response.json()) as unknown, wwwAuthenticate: response.headers.get('www-authenticate') };
}

describe('admin routes with a master key', () => {
  let gatehouse: RunningGatehouse;
  let virtualKey: string;

  beforeAll(async () => {
    gatehouse = await startGatehouse(`
model_list: []
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
`);
    const generated = await adminRequest(gatehouse.origin, 'POST', '/key/generate', { key: MASTER, body: {} });
    expect(generated.status).toBe(200);
    virtualKey = (generated.body as { key: string }).key;
  });

  afterAll(async () => {
    await gatehouse?.close();
  });

  it.each(ADMIN_ONLY)('%s %s refuses a virtual key with 403 admin_required naming the route, never the key', async (method, path) => {
    const refused = await adminRequest(gatehouse.origin, method, path, { key: virtualKey, body: hasBody(method) ? {} : undefined });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'admin_required', type: 'permission_error' } });
    const message = (refused.body as { error: { message: string } }).error.message;
    expect(message).toContain(`${method} ${path.split('?')[0]?.replace('some_id', ':server_id')}`);
    expect(message).toContain('proxy admin key');
    expect(refused.text).not.toContain(virtualKey);
  });

  it.each(ADMIN_ONLY)('%s %s answers 401 missing_api_key with WWW-Authenticate when no key is sent', async (method, path) => {
    const response = await fetch(`${gatehouse.origin}${path}`, { method });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
    expect(await response.json()).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
  });

  it.each(ADMIN_ONLY.filter(([method]) => hasBody(method)))('%s %s decides who is calling before reading the body', async (method, path) => {
    const anonymous = await withBrokenBody(gatehouse.origin, method, path, undefined);
    expect(anonymous.status).toBe(401);
    expect(anonymous.wwwAuthenticate).toBe('Bearer realm="gatehouse"');
    const unknown = await withBrokenBody(gatehouse.origin, method, path, 'sk-not-a-known-key');
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key' } } });
    const virtual = await withBrokenBody(gatehouse.origin, method, path, virtualKey);
    expect(virtual).toMatchObject({ status: 403, body: { error: { code: 'admin_required' } } });
    // The master key gets past the check and is refused for the body itself.
    const master = await withBrokenBody(gatehouse.origin, method, path, MASTER);
    expect(master).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error' } } });
  });

  it.each(READABLE)('GET %s is open to a virtual key (200) and answers 401 with no key', async (path) => {
    expect((await adminRequest(gatehouse.origin, 'GET', path, { key: virtualKey })).status).toBe(200);
    const anonymous = await fetch(`${gatehouse.origin}${path}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="gatehouse"');
  });
});

describe('admin routes on an open proxy (no master key)', () => {
  let gatehouse: RunningGatehouse;

  beforeAll(async () => {
    gatehouse = await startGatehouse('model_list: []\ngeneral_settings:\n  mcp_health_check_interval: 0\n');
  });

  afterAll(async () => {
    await gatehouse?.close();
  });

  it('lets any caller manage keys and MCP servers, recorded as "anonymous"', async () => {
    expect((await adminRequest(gatehouse.origin, 'GET', '/key/list')).status).toBe(200);
    expect((await adminRequest(gatehouse.origin, 'GET', '/spend/logs')).status).toBe(200);
    const created = await adminRequest(gatehouse.origin, 'POST', '/v1/mcp/server', {
      body: { server_id: 'open_one', server_name: 'open_one', transport: 'http', url: 'http://127.0.0.1:9/mcp' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ created_by: 'anonymous', updated_by: 'anonymous' });
    // An open proxy shows the admin view: the url is not hidden.
    const read = await adminRequest(gatehouse.origin, 'GET', '/v1/mcp/server/open_one');
    expect(read.body).toMatchObject({ url: 'http://127.0.0.1:9/mcp' });
    expect((await adminRequest(gatehouse.origin, 'DELETE', '/v1/mcp/server/open_one')).status).toBe(202);
  });
});
