/**
 * Issue #3 acceptance "the proxy key is observed nowhere upstream": with `general_settings.master_key` set, the
 * key presented as `Authorization: Bearer`, as `x-litellm-api-key`, or as both, never appears in any header of any
 * request the recording fixture gets — even for a server whose `extra_headers` names both headers — nor in a stdio
 * child's environment. Other headers are still forwarded, so the scan is not vacuous.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer, type WhoamiAnswer } from '../fixtures/mcp/recording-server.js';
import { stdioProbeCommand } from '../fixtures/mcp/stdio-probe-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const MASTER_KEY = 'sk-gatehouse-master-7f3a9c';
const downstream = new DownstreamClients();
let upstream: RecordingServer;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  upstream = await startRecordingServer();
  const probe = stdioProbeCommand(randomUUID());
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER_KEY}
mcp_servers:
  fwd:
    url: "${upstream.origin}/fwd"
    extra_headers: [Authorization, X-Litellm-Api-Key, X-Tenant]
  bearer:
    url: "${upstream.origin}/bearer"
    auth_type: bearer_token
    auth_value: b-1
  probe:
    command: ${probe.command}
    args: ${JSON.stringify(probe.args)}
    env: { KEY: "\${X-Litellm-Api-Key}", TENANT: "\${X-Tenant}" }
`);
});

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
});

/**
 * Lists and calls every server on /mcp with `headers`. Returns what the upstreams saw, and where the fixture
 * received the key during this use (header names by path; expected empty).
 */
async function useEveryServer(headers: Record<string, string>) {
  const before = upstream.requests.length;
  const client = await downstream.connect(gatehouse.origin, '/mcp', headers);
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['fwd-whoami', 'bearer-whoami', 'probe-env']));
  const whoami = async (name: string) => JSON.parse(textOf(await client.callTool({ name, arguments: {} }))) as WhoamiAnswer;
  const env = async (name: string) =>
    (JSON.parse(textOf(await client.callTool({ name: 'probe-env', arguments: { name } }))) as { value: string | null }).value;
  const seen = { fwd: await whoami('fwd-whoami'), bearer: await whoami('bearer-whoami'), key: await env('KEY'), tenant: await env('TENANT') };

  const scanned = upstream.requests.slice(before);
  // The scan covers real traffic: both HTTP servers got this use's tool call.
  const called = scanned.filter((request) => request.rpcMethods.includes('tools/call')).map((request) => request.path);
  expect(called.sort()).toEqual(['/bearer', '/fwd']);
  const leaks = scanned.flatMap((request) =>
    Object.entries(request.headers)
      .filter(([, value]) => [value ?? ''].flat().some((part) => part.includes(MASTER_KEY)))
      .map(([header]) => `${request.path}: ${header}`),
  );
  return { ...seen, leaks };
}

describe('the proxy key never goes upstream (issue #3: proxy key observed nowhere upstream)', () => {
  it('holds when the key is sent as Authorization: Bearer', async () => {
    const seen = await useEveryServer({ authorization: `Bearer ${MASTER_KEY}`, 'x-tenant': 'acme' });
    expect(seen.fwd.authorization).toBeNull();
    expect(seen.fwd.headers['x-tenant']).toBe('acme'); // extra_headers still copies the harmless header
    expect(seen.bearer.authorization).toBe('Bearer b-1');
    expect(seen.key).toBeNull();
    expect(seen.tenant).toBe('acme');
    expect(seen.leaks).toEqual([]);
  });

  it('holds when the key is sent as x-litellm-api-key, while the caller Authorization is forwarded', async () => {
    const seen = await useEveryServer({ 'x-litellm-api-key': MASTER_KEY, authorization: 'Bearer upstream-token', 'x-tenant': 'acme' });
    expect(seen.fwd.authorization).toBe('Bearer upstream-token');
    expect(seen.fwd.headers['x-litellm-api-key']).toBeUndefined();
    expect(seen.key).toBeNull();
    expect(seen.leaks).toEqual([]);
  });

  it('holds when the key is sent in both headers at once', async () => {
    const seen = await useEveryServer({ 'x-litellm-api-key': MASTER_KEY, authorization: `Bearer ${MASTER_KEY}`, 'x-tenant': 'acme' });
    expect(seen.fwd.authorization).toBeNull();
    expect(seen.key).toBeNull();
    expect(seen.leaks).toEqual([]);
  });
});
