/**
 * Issue #3 acceptance "Pooling proven": across 100 tool calls from several downstream sessions the upstream sees
 * exactly one `initialize` per (server, credential); after the upstream drops its session, the next call succeeds
 * after one transparent re-initialise. Downstream: the MCP SDK Client over real HTTP; upstream: the recording fixture.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer, type WhoamiAnswer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

let upstream: RecordingServer;
let gatehouse: RunningGatehouse;
const downstream = new DownstreamClients();

beforeEach(async () => {
  upstream = await startRecordingServer();
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  rec:
    url: ${upstream.origin}/rec
  keyed:
    url: ${upstream.origin}/keyed
    auth_type: bearer_token
    auth_value: static-token
`);
});

afterEach(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
});

/** Makes `total` calls at once, spread round-robin over the downstream sessions. */
async function spreadCalls<T>(
  sessions: Awaited<ReturnType<DownstreamClients['connect']>>[],
  total: number,
  call: (session: (typeof sessions)[number], index: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(Array.from({ length: total }, (_, index) => call(sessions[index % sessions.length], index)));
}

describe('upstream pooling (issue #3: pooling proven)', () => {
  it('makes 100 tool calls over 5 downstream sessions on one upstream initialize and one upstream session', async () => {
    const sessions = await Promise.all(Array.from({ length: 5 }, () => downstream.connect(gatehouse.origin, '/mcp')));

    const results = await spreadCalls(sessions, 100, (session, index) =>
      session.callTool({ name: 'rec-add', arguments: { a: index, b: 1000 } }),
    );

    expect(results.map(textOf)).toEqual(Array.from({ length: 100 }, (_, index) => String(index + 1000)));
    expect(upstream.initializes('/rec')).toHaveLength(1);
    const calls = upstream.requests.filter((request) => request.path === '/rec' && request.rpcMethods.includes('tools/call'));
    expect(calls).toHaveLength(100);
    // Every call rode the one upstream session the single initialize opened.
    expect(new Set(calls.map((request) => request.headers['mcp-session-id'])).size).toBe(1);
  });

  it('keeps exactly one initialize per credential: two x-mcp-keyed-authorization values → two upstream sessions, never mixed', async () => {
    const credentialOf = (index: number) => (index < 3 ? 'Bearer alice' : 'Bearer bob');
    const sessions = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        downstream.connect(gatehouse.origin, '/mcp', { 'x-mcp-keyed-authorization': credentialOf(index) }),
      ),
    );

    const seen = await spreadCalls(sessions, 100, async (session) => {
      const answer = JSON.parse(textOf(await session.callTool({ name: 'keyed-whoami', arguments: {} }))) as WhoamiAnswer;
      return { expected: credentialOf(sessions.indexOf(session)), actual: answer.authorization };
    });

    for (const { expected, actual } of seen) expect(actual).toBe(expected);
    expect(upstream.initializeCountsBy('authorization', '/keyed')).toEqual({ 'Bearer alice': 1, 'Bearer bob': 1 });
    // The per-request header replaced the configured static credential everywhere.
    expect(upstream.requests.filter((request) => request.headers.authorization === 'Bearer static-token')).toEqual([]);
  });

  it('re-initialises exactly once, transparently, after the upstream drops its session (404)', async () => {
    const session = await downstream.connect(gatehouse.origin, '/mcp');
    expect(textOf(await session.callTool({ name: 'rec-add', arguments: { a: 1, b: 2 } }))).toBe('3');
    expect(upstream.initializes('/rec')).toHaveLength(1);
    const before = upstream.requests.length;

    await upstream.dropSessions();
    const result = await session.callTool({ name: 'rec-add', arguments: { a: 2, b: 3 } });

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('5');
    expect(upstream.initializes('/rec')).toHaveLength(2);
    const after = upstream.requests.slice(before).filter((request) => request.method === 'POST');
    // The call went out on the old session, got 404, and went out once more on the new one.
    expect(after.filter((request) => request.status === 404).map((request) => request.rpcMethods)).toEqual([['tools/call']]);
    expect(after.filter((request) => request.rpcMethods.includes('tools/call')).map((request) => request.status)).toEqual([404, 200]);

    // Later calls reuse the new session: no further initialize.
    expect(textOf(await session.callTool({ name: 'rec-add', arguments: { a: 4, b: 4 } }))).toBe('8');
    expect(upstream.initializes('/rec')).toHaveLength(2);
  });
});
