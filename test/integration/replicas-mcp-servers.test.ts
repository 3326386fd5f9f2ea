/**
 * Issue #6, acceptance point 3: two Gatehouse instances on one PostgreSQL see each other's MCP server, key and
 * team changes within 2 s — through Redis pub/sub when REDIS_URL is set (the safety-net poll is then 15 s, so only Redis can be
 * that fast), and by polling the store's change counter without it. Skipped, saying so, without PostgreSQL/Redis.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { adminRequest } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients } from './mcp-downstream.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './store/postgres-databases.js';
import { probeRedis, TEST_REDIS_URL } from './redis-probe.js';

const MASTER = 'sk-replica-master';
const REDIS_URL = TEST_REDIS_URL;
/** The acceptance bound: another replica serves the change within 2 seconds. */
const WITHIN_MS = 2_000;

const postgres = await probePostgres(POSTGRES_ADMIN_URL);
const redisReachable = await probeRedis(REDIS_URL);
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';

const databases = throwawayDatabases(POSTGRES_ADMIN_URL);
const downstream = new DownstreamClients();
let upstream: RecordingServer;
const running: RunningGatehouse[] = [];

beforeAll(async () => {
  upstream = await startRecordingServer();
});
afterEach(async () => {
  await downstream.closeAll();
  await Promise.all(running.splice(0).map((gatehouse) => gatehouse.close()));
});
afterAll(async () => {
  await upstream?.close();
  if (postgres.reachable) await databases.dropAll();
});

const CONFIG = `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
  - model_name: other
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
`;

async function pair(env: Record<string, string>): Promise<[RunningGatehouse, RunningGatehouse]> {
  const databaseUrl = await databases.create();
  const a = await startGatehouse(CONFIG, { env, databaseUrl });
  running.push(a);
  const b = await startGatehouse(CONFIG, { env, databaseUrl });
  running.push(b);
  return [a, b];
}

async function toolNames(gatehouse: RunningGatehouse): Promise<string[]> {
  const client = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${MASTER}` });
  try {
    return (await client.listTools()).tools.map((tool) => tool.name);
  } finally {
    await client.close();
  }
}

function defineReplicaTests(env: () => Record<string, string>): void {
  it('a server created, updated and deleted on one replica is served, changed and gone on the other within 2 s', async () => {
    const [a, b] = await pair(env());
    const api = (gatehouse: RunningGatehouse, method: string, path: string, body?: unknown) =>
      adminRequest(gatehouse.origin, method, path, { key: MASTER, body });

    const created = await api(a, 'POST', '/v1/mcp/server', {
      server_id: 'shared',
      server_name: 'shared_server',
      url: `${upstream.origin}/shared`,
      transport: 'http',
      credentials: { auth_value: 'replica-secret' },
    });
    expect(created.status).toBe(201);
    // The other replica serves it (its live registry), not just reads the shared row.
    await expect.poll(async () => (await toolNames(b)).includes('shared_server-add'), { timeout: WITHIN_MS, interval: 50 }).toBe(true);
    expect((await api(b, 'GET', '/v1/mcp/server/shared')).body).toMatchObject({ server_id: 'shared', credentials: null });

    expect((await api(b, 'PUT', '/v1/mcp/server', { server_id: 'shared', alias: 'moved' })).status).toBe(202);
    await expect.poll(async () => (await toolNames(a)).includes('moved-add'), { timeout: WITHIN_MS, interval: 50 }).toBe(true);

    expect((await api(a, 'DELETE', '/v1/mcp/server/shared')).status).toBe(202);
    await expect.poll(async () => (await toolNames(b)).some((name) => name.startsWith('moved-')), { timeout: WITHIN_MS, interval: 50 }).toBe(false);
    expect((await api(b, 'GET', '/v1/mcp/server/shared')).status).toBe(404);
  });

  it('a key and its team changed on one replica take effect on the other within 2 s', async () => {
    const [a, b] = await pair(env());
    const api = (gatehouse: RunningGatehouse, path: string, body: unknown) => adminRequest(gatehouse.origin, 'POST', path, { key: MASTER, body });
    const modelsOf = async (gatehouse: RunningGatehouse, key: string) => {
      const answer = await adminRequest(gatehouse.origin, 'GET', '/v1/models', { key });
      return answer.status === 200 ? (answer.body as { data: { id: string }[] }).data.map((model) => model.id).sort() : answer.status;
    };

    const team = await api(a, '/team/new', { team_alias: 'replicated', models: ['demo', 'other'] });
    expect(team.status).toBe(200);
    const teamId = (team.body as { team_id: string }).team_id;
    const generated = await api(a, '/key/generate', { team_id: teamId });
    expect(generated.status).toBe(200);
    const key = (generated.body as { key: string }).key;
    await expect.poll(() => modelsOf(b, key), { timeout: WITHIN_MS, interval: 50 }).toEqual(['demo', 'other']);

    expect((await api(b, '/team/update', { team_id: teamId, models: ['demo'] })).status).toBe(200);
    await expect.poll(() => modelsOf(a, key), { timeout: WITHIN_MS, interval: 50 }).toEqual(['demo']);

    expect((await api(a, '/key/delete', { keys: [key] })).status).toBe(200);
    await expect.poll(() => modelsOf(b, key), { timeout: WITHIN_MS, interval: 50 }).toBe(401);
  });
}

describe.skipIf(!postgres.reachable && !required)(
  postgres.reachable ? 'two replicas on PostgreSQL, polling (no REDIS_URL)' : `two replicas on PostgreSQL — SKIPPED: ${postgres.reason}`,
  () => {
    defineReplicaTests(() => ({}));
  },
);

describe.skipIf(!postgres.reachable || !redisReachable)(
  postgres.reachable && redisReachable ? 'two replicas on PostgreSQL with Redis pub/sub' : 'two replicas with Redis — SKIPPED: no PostgreSQL or no Redis',
  () => {
    defineReplicaTests(() => ({ REDIS_URL }));
  },
);
