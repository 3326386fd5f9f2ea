/**
 * Issue #7, LiteLLM parity: `max_parallel_requests` on keys and teams, and `rpm_limit` / `tpm_limit` on teams.
 * Over real HTTP with the openai client; the upstream fixture holds replies until the test releases them
 * (HeldReplies), so "N requests in flight" is deterministic, and "never reaches the upstream" is observed there.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HeldReplies } from '../fixtures/held-replies.js';
import { startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { scriptedReply } from '../fixtures/scripted-chat.js';
import { startSpendGatehouse, type SpendGatehouse } from '../fixtures/hooks/spend-gatehouse.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { AdminClient } from './keys-admin-client.js';
import { DownstreamClients, waitUntil } from './mcp-downstream.js';
import { awayFromMinuteEdge } from './rate-window.js';

const MASTER = 'sk-parallel-master';
let gatehouse: SpendGatehouse;
let upstream: OpenAIUpstream;
let admin: AdminClient;
let held: HeldReplies;
let counting: CountingServer;
const downstream = new DownstreamClients();

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  held = new HeldReplies();
  upstream = await startOpenAIUpstream(async (request) => {
    const messages = request.body.messages as Array<{ content: string }> | undefined;
    const text = messages?.[0]?.content ?? '';
    if (text.startsWith('hold')) await held.hold();
    if (text.endsWith('fail')) return { kind: 'json', status: 400, body: { error: { message: 'refused by the fixture', type: 'invalid_request_error' } } };
    return scriptedReply(request, { content: 'ok' });
  });
  gatehouse = await startSpendGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
mcp_servers:
  counted:
    url: "${counting.url}"
`);
  admin = new AdminClient(gatehouse.origin, MASTER);
}, 30_000);

afterAll(async () => {
  held?.releaseAll();
  await downstream.closeAll();
  await gatehouse?.close();
  await upstream?.close();
  await counting?.close();
});

const chat = (key: string, content = 'hi', options: { signal?: AbortSignal } = {}) =>
  gatehouse.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content }] }, options.signal ? { signal: options.signal } : {});
const refusal = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (error: unknown) => error);


describe('max_parallel_requests on a key', () => {
  it('the request beyond the number in flight is 429 rate_limit_exceeded and never reaches the upstream; a slot frees when a response ends', async () => {
    const key = await admin.generateKey({ max_parallel_requests: 2 });
    const base = held.count;
    const first = chat(key, 'hold');
    const second = chat(key, 'hold');
    await held.arrived(base + 2);
    const before = upstream.requests.length;

    const error = await refusal(chat(key));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.code).toBe('rate_limit_exceeded');
    expect(apiError.type).toBe('rate_limit_error');
    expect(apiError.message).toMatch(/API key sk-\.\.\.\S+: max_parallel_requests is 2 and 2 requests are in flight/);
    expect(apiError.headers?.get('retry-after')).toBe('1');
    expect(upstream.requests.length).toBe(before);

    held.releaseAll();
    await Promise.all([first, second]);
    // Both slots are back: two more at once are admitted.
    await Promise.all([chat(key), chat(key)]);
  });

  it('a slot is given back after an upstream error, a streamed reply and a client disconnect — never twice', async () => {
    const key = await admin.generateKey({ max_parallel_requests: 1 });
    expect(await refusal(chat(key, 'fail'))).toMatchObject({ status: 400 });
    await chat(key); // the failed request's slot is back

    const stream = await gatehouse.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const _chunk of stream) {
      // drain
    }
    await chat(key); // the streamed request's slot is back

    const abort = new AbortController();
    const base = held.count;
    const abandoned = refusal(chat(key, 'hold', { signal: abort.signal }));
    await held.arrived(base + 1);
    expect(await refusal(chat(key))).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    const aborted = upstream.aborted.length;
    abort.abort();
    await abandoned;
    // Gatehouse passes the disconnect on to the upstream from the same `close` that gives the slot back.
    await vi.waitFor(() => expect(upstream.aborted.length).toBe(aborted + 1));

    // Exactly one slot again: one request in flight, the next refused (a second release would have let it in).
    const again = chat(key, 'hold');
    await held.arrived(base + 2);
    expect(await refusal(chat(key))).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    held.releaseAll();
    await again;
  });

  it('a direct /mcp tool call holds a slot until it ends (answered or cancelled); the call beyond the limit never reaches the server', async () => {
    const key = await admin.generateKey({ max_parallel_requests: 1, object_permission: { mcp_servers: ['counted'] } });
    const session = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${key}` });
    const cancel = new AbortController();
    const hanging = session.callTool({ name: 'counted-hang', arguments: {} }, undefined, { signal: cancel.signal }).catch((error: unknown) => error);
    await waitUntil(() => counting.calls.some((call) => call.name === 'hang'), 'the hanging call at the server');
    const calls = counting.calls.length;
    const refused = await refusal(session.callTool({ name: 'counted-lookup', arguments: { key: 'a' } }));
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).data).toMatchObject({ code: 'rate_limit_exceeded', status: 429 });
    expect((refused as McpError).message).toContain('max_parallel_requests is 1');
    expect(counting.calls.length).toBe(calls);

    // The cancelled call gives its slot back; an LLM request of the same key is admitted again too.
    cancel.abort();
    await hanging;
    await waitUntil(async () => (await session.callTool({ name: 'counted-lookup', arguments: { key: 'b' } }).then(() => true, () => false)), 'a free slot');
    await session.callTool({ name: 'counted-lookup', arguments: { key: 'c' } });
    await chat(key);
  });

  it('is stored and shown by /key/info and /key/update; a negative value is a 400', async () => {
    const key = await admin.generateKey({ max_parallel_requests: 3 });
    expect((await admin.get<{ info: Record<string, unknown> }>(`/key/info?key=${key}`)).body.info).toMatchObject({ max_parallel_requests: 3 });
    expect((await admin.post('/key/update', { key, max_parallel_requests: null })).body).toMatchObject({ max_parallel_requests: null });
    expect((await admin.post('/key/generate', { max_parallel_requests: -1 })).status).toBe(400);
  });
});

describe('team limits: max_parallel_requests, rpm_limit, tpm_limit count every key of the team together', () => {
  const newTeam = (limits: Record<string, unknown>) => admin.expectOk('/team/new', { team_id: `team-${Math.random().toString(36).slice(2)}`, ...limits });

  it("max_parallel_requests: a team's slot is shared by its keys; a team refusal takes none of the key's slots", async () => {
    const team = await newTeam({ max_parallel_requests: 1 });
    const keyA = await admin.generateKey({ team_id: team.team_id });
    const keyB = await admin.generateKey({ team_id: team.team_id, max_parallel_requests: 1 });
    const base = held.count;
    const first = chat(keyA, 'hold');
    await held.arrived(base + 1);
    const before = upstream.requests.length;
    const error = await refusal(chat(keyB));
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((error as Error).message).toContain(`team "${String(team.team_id)}": max_parallel_requests is 1`);
    expect(upstream.requests.length).toBe(before);
    held.releaseAll();
    await first;
    await chat(keyB); // its own slot was not taken by the refused request
  });

  it('rpm_limit: the team request over the limit is refused whichever key sends it; x-ratelimit-* report only the key\'s own limits', async () => {
    await awayFromMinuteEdge();
    const team = await newTeam({ rpm_limit: 2 });
    const keyA = await admin.generateKey({ team_id: team.team_id, rpm_limit: 10 });
    const keyB = await admin.generateKey({ team_id: team.team_id });
    const first = await gatehouse.client(keyA).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    const second = await gatehouse.client(keyB).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(second.response.headers.get('x-ratelimit-limit-requests')).toBeNull();
    const before = upstream.requests.length;
    const error = (await refusal(chat(keyA))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(error.message).toContain(`team "${String(team.team_id)}": rpm_limit is 2 requests per minute`);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('10');
    expect(upstream.requests.length).toBe(before);
  });

  it("tpm_limit: once the team's tokens this minute reach the limit, any key of the team is refused", async () => {
    await awayFromMinuteEdge();
    const team = await newTeam({ tpm_limit: 20 });
    const keyA = await admin.generateKey({ team_id: team.team_id });
    const keyB = await admin.generateKey({ team_id: team.team_id });
    await chat(keyA); // 18 tokens
    await chat(keyB); // admitted at 18 < 20; 36 now
    const before = upstream.requests.length;
    const error = await refusal(chat(keyA));
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((error as Error).message).toContain(`team "${String(team.team_id)}": 36 tokens used this minute, tpm_limit is 20`);
    expect(upstream.requests.length).toBe(before);
  });

  it('the limits are stored and shown by /team/info and /team/update', async () => {
    const team = await newTeam({ rpm_limit: 5, tpm_limit: 500, max_parallel_requests: 2 });
    expect(team).toMatchObject({ rpm_limit: 5, tpm_limit: 500, max_parallel_requests: 2 });
    const updated = await admin.expectOk('/team/update', { team_id: team.team_id, rpm_limit: null, max_parallel_requests: 4 });
    expect(updated.data).toMatchObject({ rpm_limit: null, tpm_limit: 500, max_parallel_requests: 4 });
    const info = await admin.get<{ team_info: Record<string, unknown> }>(`/team/info?team_id=${String(team.team_id)}`);
    expect(info.body.team_info).toMatchObject({ rpm_limit: null, tpm_limit: 500, max_parallel_requests: 4 });
  });
});
