/**
 * Issue #6, acceptance point 4 over the API: 50 parallel creates and 50 parallel updates through
 * `/v1/mcp/server` lose nothing and corrupt nothing, every server is live, and a restarted Gatehouse on the same
 * SQLite file serves them all again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { adminRequest } from './admin-harness.js';
import { startGatehouse } from './harness.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER = 'sk-concurrency-master';
const CONFIG = `
model_list: []
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
`;
const root = mkdtempSync(join(tmpdir(), 'gatehouse-admin-concurrency-'));
const databaseUrl = `sqlite:${join(root, 'store.db')}`;
let upstream: RecordingServer;
const downstream = new DownstreamClients();

beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterAll(async () => {
  await downstream.closeAll();
  await upstream.close();
  rmSync(root, { recursive: true, force: true });
});

describe('concurrent admin writes (issue #6 acceptance 4)', () => {
  it('50 parallel creates and 50 parallel updates lose nothing; a restart keeps and serves everything', async () => {
    const first = await startGatehouse(CONFIG, { databaseUrl });
    const api = (origin: string, method: string, path: string, body?: unknown) => adminRequest(origin, method, path, { key: MASTER, body });
    const indexes = Array.from({ length: 50 }, (_, index) => index);
    try {
      const created = await Promise.all(
        indexes.map((index) =>
          api(first.origin, 'POST', '/v1/mcp/server', {
            server_id: `bulk${index}`,
            server_name: `bulk${index}`,
            url: `${upstream.origin}/bulk${index}`,
            transport: 'http',
            auth_type: 'bearer',
            credentials: { auth_value: `token-${index}` },
          }),
        ),
      );
      expect(created.map((response) => response.status)).toEqual(indexes.map(() => 201));
      const updated = await Promise.all(
        indexes.map((index) => api(first.origin, 'PUT', '/v1/mcp/server', { server_id: `bulk${index}`, description: `updated ${index}`, alias: `b${index}` })),
      );
      expect(updated.map((response) => response.status)).toEqual(indexes.map(() => 202));
    } finally {
      await first.close();
    }

    const second = await startGatehouse(CONFIG, { databaseUrl });
    try {
      const list = (await api(second.origin, 'GET', '/v1/mcp/server')).body as { server_id: string; description: string; alias: string }[];
      expect(list).toHaveLength(50);
      for (const index of indexes) {
        expect(list.find((server) => server.server_id === `bulk${index}`)).toMatchObject({ description: `updated ${index}`, alias: `b${index}` });
      }
      const client = await downstream.connect(second.origin, '/mcp', { authorization: `Bearer ${MASTER}` });
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      for (const index of indexes) expect(names).toContain(`b${index}-add`);
      const whoami = await client.callTool({ name: 'b7-whoami', arguments: {} });
      expect(JSON.stringify(whoami)).toContain('Bearer token-7');
    } finally {
      await downstream.closeAll();
      await second.close();
    }
  });
});
