/**
 * Issue #6: background MCP health checks ping each server on the pooled upstream session — the one requests use,
 * so no extra `initialize` — and fill `status`, `last_health_check`, `health_check_error` (also in the store for
 * API-created servers). The recording fixture counts `initialize` requests and JSON-RPC methods per path.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { adminRequest } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER = 'sk-health-master';
let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();

beforeAll(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list: []
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0.2
mcp_servers:
  watched:
    url: ${upstream.origin}/watched
`);
});

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse.close();
  await upstream.close();
});

const api = (method: string, path: string, body?: unknown) => adminRequest(gatehouse.origin, method, path, { key: MASTER, body });
const pings = (path: string) => upstream.requests.filter((request) => request.path === path && request.rpcMethods.includes('ping')).length;

describe('MCP server health checks', () => {
  it('pings on the pooled session requests use: several checks, one initialize, status healthy', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${MASTER}` });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('watched-add');
    await expect.poll(() => pings('/watched'), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await client.callTool({ name: 'watched-add', arguments: { a: 1, b: 2 } });
    expect(upstream.initializes('/watched')).toHaveLength(1);
    const read = await api('GET', '/v1/mcp/server/watched');
    expect(read.body).toMatchObject({ server_id: 'watched', status: 'healthy', health_check_error: null, source: 'config' });
    expect(Date.parse((read.body as { last_health_check: string }).last_health_check)).toBeGreaterThan(0);
    expect((await api('GET', '/v1/mcp/server/health?server_ids=watched')).body).toEqual([{ server_id: 'watched', status: 'healthy' }]);
  });

  it('marks an unreachable stored server unhealthy with the error it failed with', async () => {
    const created = await api('POST', '/v1/mcp/server', { server_id: 'dead', server_name: 'dead', url: 'http://127.0.0.1:9/mcp', transport: 'http' });
    expect(created.status).toBe(201);
    await expect.poll(async () => ((await api('GET', '/v1/mcp/server/dead')).body as { status: string }).status, { timeout: 10_000 }).toBe('unhealthy');
    const read = (await api('GET', '/v1/mcp/server/dead')).body as { health_check_error: string | null; last_health_check: string | null };
    expect(read.health_check_error).toMatch(/dead/);
    expect(read.last_health_check).not.toBeNull();
    const list = (await api('GET', '/v1/mcp/server/health')).body as { server_id: string; status: string }[];
    expect(list).toEqual(expect.arrayContaining([{ server_id: 'dead', status: 'unhealthy' }, { server_id: 'watched', status: 'healthy' }]));
  });
});
