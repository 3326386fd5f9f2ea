/**
 * Issue #5 acceptance 3 (hostile inputs: path traversal in a path parameter, a 50 MB response, a slow upstream,
 * a circular schema, a spec URL that answers HTML — each a clear error, no crash, nothing sent where validation
 * should stop it) and point 5 (a URL spec reloaded on `spec_refresh_interval` raises tools/list_changed downstream).
 */
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRestFixture, type RestFixture } from '../fixtures/rest/rest-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf, waitUntil } from './mcp-downstream.js';

const downstream = new DownstreamClients();
let rest: RestFixture;
let gatehouse: RunningGatehouse;

const liveSpec = (operations: string[]) =>
  JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'Live', version: '1' },
    servers: [{ url: '/live' }],
    paths: Object.fromEntries(operations.map((id) => [`/${id}`, { get: { operationId: id, responses: { 200: { description: 'ok' } } } }])),
  });

beforeAll(async () => {
  rest = await startRestFixture();
  rest.replaceSpec('live.json', liveSpec(['first']));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  catalog:
    spec_path: "${rest.origin}/specs/catalog-3.1.yaml"
    request_timeout: 0.5
  broken:
    spec_path: "${rest.origin}/specs/page.html"
  live:
    spec_path: "${rest.origin}/specs/live.json"
    spec_refresh_interval: 1
`);
});

beforeEach(() => {
  rest.requests.length = 0;
});
afterEach(() => downstream.closeAll());
afterAll(async () => {
  await gatehouse?.close();
  await rest?.close();
});

describe('hostile inputs (issue #5 acceptance 3)', () => {
  it.each([
    ['../../etc/passwd', 'must not contain "/" or "\\"'],
    ['..', 'must not be "." or ".."'],
    ['%2e%2e', 'must not be "." or ".."'],
    ['a%2Fb', 'must not contain "/" or "\\"'],
    ['..\\secret', 'must not contain "/" or "\\"'],
    ['line\r\nbreak', 'must not contain control characters'],
  ])('path traversal %j in a path parameter: isError, no request sent', async (name, problem) => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const result = await client.callTool({ name: 'readfile', arguments: { name } });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(`path parameter "name" ${problem}`);
    expect(textOf(result)).toContain('nothing was sent');
    expect(rest.requests).toEqual([]);
  });

  it('an ordinary file name with dots and spaces is encoded into one segment', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    await client.callTool({ name: 'readfile', arguments: { name: 'my notes.v2.txt' } });
    expect(rest.requests.map((request) => request.path)).toEqual(['/catalog/v2/files/my%20notes.v2.txt']);
  });

  it('a 50 MB response is cut off at the size cap with a clear error, and the server keeps serving', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const result = await client.callTool({ name: 'exportall', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'REST API of MCP server "catalog" answered HTTP 200 with a body larger than the 10485760 byte limit; it was not read.',
    );
    expect(textOf(await client.callTool({ name: 'readme', arguments: {} }))).toBe('plain words');
  });

  it('a slow upstream fails the call with a timeout error naming the server (request_timeout), and others still answer', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const result = await client.callTool({ name: 'slowreport', arguments: {} });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('REST API of MCP server "catalog" did not answer within 0.5 s.');
    expect(rest.requests.map((request) => request.path)).toEqual(['/catalog/v2/slow']);
    expect(textOf(await client.callTool({ name: 'readme', arguments: {} }))).toBe('plain words');
  });

  it('a spec with a circular schema loads and lists its tools', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/catalog');
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'putcategory')?.inputSchema.$defs).toBeDefined();
  });

  it('a spec URL that answers HTML: logged at start-up naming the server and cause; its lists fail clearly; others work', async () => {
    await waitUntil(() => gatehouse.logs.some((line) => line.includes('OpenAPI spec failed to load') && line.includes('"broken"')), 'the spec error log line');
    const line = gatehouse.logs.find((entry) => entry.includes('OpenAPI spec failed to load') && entry.includes('"broken"')) ?? '';
    expect(JSON.parse(line)).toMatchObject({
      level: 50,
      mcp_server: 'broken',
      err: { message: expect.stringContaining('answered with an HTML page') },
    });

    const only = await downstream.connect(gatehouse.origin, '/mcp/broken');
    const error = await only.listTools().then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toContain(`OpenAPI spec of MCP server "broken" could not be loaded from ${rest.origin}/specs/page.html`);
    expect(error?.message).toContain('answered with an HTML page (text/html; charset=utf-8), not an OpenAPI document');

    const all = await downstream.connect(gatehouse.origin, '/mcp');
    const listed = await all.listTools();
    expect(listed.tools.some((tool) => tool.name === 'catalog-getitem')).toBe(true);
    expect(listed._meta?.['gatehouse/unavailable_servers']).toEqual([expect.objectContaining({ server: 'broken', message: expect.stringContaining('HTML page') })]);
    expect(textOf(await all.callTool({ name: 'catalog-readme', arguments: {} }))).toBe('plain words');
  });
});

describe('spec refresh (issue #5 point 5)', () => {
  it('a changed URL spec is picked up on spec_refresh_interval and downstream sessions get tools/list_changed', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/live');
    let notified = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      notified++;
    });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['first']);
    rest.replaceSpec('live.json', liveSpec(['first', 'second']));
    await waitUntil(() => notified > 0, 'tools/list_changed', 10_000);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['first', 'second']);
    await client.callTool({ name: 'second', arguments: {} });
    expect(rest.requests.map((request) => request.path)).toEqual(['/live/second']);
  });
});

describe('spec status on the admin API (issue #5 points 1 and 5)', () => {
  it('reports a broken spec as unhealthy on /v1/mcp/server/health, naming the cause, and a good one as ok', async () => {
    const response = await fetch(`${gatehouse.origin}/v1/mcp/server/health?server_ids=broken,catalog`);
    expect(response.status).toBe(200);
    const entries = (await response.json()) as { server_id: string; status: string; spec?: { state: string; error: string | null; tool_count: number } }[];
    const broken = entries.find((entry) => entry.server_id === 'broken');
    const catalog = entries.find((entry) => entry.server_id === 'catalog');
    expect(broken?.status).toBe('unhealthy');
    expect(broken?.spec?.state).toBe('error');
    expect(broken?.spec?.error).toContain('broken');
    expect(catalog?.spec).toMatchObject({ state: 'ok', error: null });
    expect(catalog?.spec?.tool_count).toBeGreaterThan(0);
  });

  it('reloads a spec on POST /v1/mcp/server/{id}/spec/refresh, and refuses servers without one', async () => {
    rest.replaceSpec('live.json', liveSpec(['first', 'second', 'third']));
    const refreshed = await fetch(`${gatehouse.origin}/v1/mcp/server/live/spec/refresh`, { method: 'POST' });
    expect(refreshed.status).toBe(200);
    expect(await refreshed.json()).toMatchObject({ server_id: 'live', spec: { state: 'ok', tool_count: 3 } });
    const unknown = await fetch(`${gatehouse.origin}/v1/mcp/server/nope/spec/refresh`, { method: 'POST' });
    expect(unknown.status).toBe(404);
  });
});
