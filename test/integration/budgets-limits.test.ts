/**
 * Issue #7 (part 2, point 3; acceptance "a key with max_budget reaches it and the next request is 429 without
 * touching the upstream"): one budget for LLM and MCP tool spend, per key, team and organization; rpm_limit and
 * tpm_limit per key; budget periods reset as LiteLLM resets them (calendar-aligned `budget_reset_at`, spend of an
 * ended period reads 0, also after a restart). Driven over real HTTP with the openai client and the MCP SDK client;
 * "without touching the upstream" is observed at the fixtures (the scripted OpenAI upstream and the counting MCP server).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { scriptedReply } from '../fixtures/scripted-chat.js';
import { startSpendGatehouse, type SpendGatehouse } from '../fixtures/hooks/spend-gatehouse.js';
import { AdminClient } from './keys-admin-client.js';
import { awayFromMinuteEdge } from './rate-window.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER = 'sk-budget-master';
/** 2^-7 per token: a scripted request (11 + 7 tokens) costs exactly 0.140625. */
const PER_TOKEN = 0.0078125;
const LLM_COST = 18 * PER_TOKEN;
const TOOL_COST = 0.25;

let gatehouse: SpendGatehouse;
let upstream: OpenAIUpstream;
let counting: CountingServer;
let admin: AdminClient;
/** The YAML `gatehouse` runs; the restart test starts two more on a store file. */
let config: string;
const downstream = new DownstreamClients();

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  upstream = await startOpenAIUpstream((request) => scriptedReply(request, { content: 'ok' }));
  config = `
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${upstream.url}", api_key: sk-fixture }
    model_info: { input_cost_per_token: ${PER_TOKEN}, output_cost_per_token: ${PER_TOKEN} }
general_settings:
  master_key: ${MASTER}
  mcp_health_check_interval: 0
mcp_servers:
  priced:
    url: "${counting.url}"
    mcp_info: { mcp_server_cost_info: { default_cost_per_query: ${TOOL_COST} } }
`;
  gatehouse = await startSpendGatehouse(config);
  admin = new AdminClient(gatehouse.origin, MASTER);
}, 30_000);

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await Promise.all([upstream?.close(), counting?.close()]);
});

beforeEach(() => {
  counting.reset();
});

const chat = (key: string) => gatehouse.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] });
const refusal = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (error: unknown) => error);


describe('max_budget: one budget for LLM and MCP tool spend', () => {
  it('a key reaches max_budget through LLM and tool spend; the next chat request and tool call are 429 budget_exceeded without touching either upstream (acceptance 3)', async () => {
    const key = await admin.generateKey({ max_budget: 0.5, object_permission: { mcp_servers: ['priced'] } });
    const mcp = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${key}` });

    await chat(key); // 0.140625
    await mcp.callTool({ name: 'priced-lookup', arguments: { key: 'one' } }); // 0.390625
    await chat(key); // 0.53125: admitted at 0.390625 < 0.5, now over
    const llmCalls = upstream.requests.length;
    const toolCalls = counting.calls.length;
    expect(toolCalls).toBe(1);

    const error = await refusal(chat(key));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.status).toBe(429);
    expect(apiError.code).toBe('budget_exceeded');
    expect(apiError.type).toBe('budget_exceeded');
    expect(apiError.message).toContain(`current cost ${2 * LLM_COST + TOOL_COST}, max budget 0.5`);
    expect(apiError.message).toMatch(/API key sk-\.\.\./);

    const toolError = await refusal(mcp.callTool({ name: 'priced-lookup', arguments: { key: 'two' } }));
    expect(toolError).toBeInstanceOf(McpError);
    expect((toolError as McpError).code).toBe(-32029);
    expect((toolError as McpError).data).toMatchObject({ code: 'budget_exceeded', status: 429 });

    const responsesError = await refusal(gatehouse.client(key).responses.create({ model: 'scripted', input: 'hi' }));
    expect(responsesError).toMatchObject({ status: 429, code: 'budget_exceeded' });

    expect(upstream.requests.length).toBe(llmCalls);
    expect(counting.calls.length).toBe(toolCalls);
  });

  it('the REST mirror refuses an over-budget key with an OpenAI-shaped 429', async () => {
    const key = await admin.generateKey({ max_budget: TOOL_COST, object_permission: { mcp_servers: ['priced'] } });
    const call = () =>
      fetch(`${gatehouse.origin}/mcp-rest/tools/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ name: 'priced-lookup', arguments: { key: 'rest' } }),
      });
    expect((await call()).status).toBe(200);
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'budget_exceeded', type: 'budget_exceeded' } });
    expect(counting.calls).toHaveLength(1);
  });

  it('a team budget covers every key of the team; the message names the team', async () => {
    const team = await admin.expectOk('/team/new', { team_id: `team-${Date.now()}`, max_budget: 0.1 });
    const key = await admin.generateKey({ team_id: team.team_id });
    await chat(key); // 0.140625 ≥ 0.1
    const before = upstream.requests.length;
    const error = await refusal(chat(key));
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect((error as Error).message).toContain(`Team "${String(team.team_id)}"`);
    expect(upstream.requests.length).toBe(before);
    // Another key of the same team shares the team's budget.
    const sibling = await admin.generateKey({ team_id: team.team_id });
    expect(await refusal(chat(sibling))).toMatchObject({ status: 429, code: 'budget_exceeded' });
  });

  it('budget_duration, rpm_limit and tpm_limit are stored and shown by /key/info; a bad budget_duration is a 400', async () => {
    const key = await admin.generateKey({ max_budget: 5, budget_duration: '30d', rpm_limit: 10, tpm_limit: 1000 });
    const info = await admin.get<{ info: Record<string, unknown> }>(`/key/info?key=${key}`);
    expect(info.body.info).toMatchObject({ max_budget: 5, budget_duration: '30d', rpm_limit: 10, tpm_limit: 1000 });
    const bad = await admin.post('/key/generate', { max_budget: 5, budget_duration: 'monthly' });
    expect(bad.status).toBe(400);
    const team = await admin.expectOk('/team/new', { max_budget: 5, budget_duration: '1h' });
    expect(team).toMatchObject({ budget_duration: '1h' });
  });
});

describe('rpm_limit and tpm_limit per key', () => {
  it('rpm_limit: the request over the limit is 429 rate_limit_exceeded with retry-after, and never reaches the upstream', async () => {
    await awayFromMinuteEdge();
    const key = await admin.generateKey({ rpm_limit: 2 });
    await chat(key);
    await chat(key);
    const before = upstream.requests.length;
    const error = await refusal(chat(key));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(apiError.code).toBe('rate_limit_exceeded');
    expect(apiError.message).toContain('rpm_limit is 2 requests per minute');
    expect(Number(apiError.headers?.get('retry-after'))).toBeGreaterThan(0);
    expect(upstream.requests.length).toBe(before);
  });

  it('rpm_limit counts /mcp tool calls too (JSON-RPC error -32029)', async () => {
    await awayFromMinuteEdge();
    const key = await admin.generateKey({ rpm_limit: 1, object_permission: { mcp_servers: ['priced'] } });
    const mcp = await downstream.connect(gatehouse.origin, '/mcp', { authorization: `Bearer ${key}` });
    await mcp.callTool({ name: 'priced-lookup', arguments: { key: 'a' } });
    const error = await refusal(mcp.callTool({ name: 'priced-lookup', arguments: { key: 'b' } }));
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).data).toMatchObject({ code: 'rate_limit_exceeded', status: 429 });
    expect(counting.calls).toHaveLength(1);
  });

  it("answers LiteLLM's x-ratelimit-* headers for a key with limits: plain, streamed, /v1/responses and the 429", async () => {
    await awayFromMinuteEdge();
    const key = await admin.generateKey({ rpm_limit: 4, tpm_limit: 1000 });
    const client = gatehouse.client(key);
    const header = (headers: Headers, name: string) => headers.get(`x-ratelimit-${name}`);

    const first = await client.chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(header(first.response.headers, 'limit-requests')).toBe('4');
    expect(header(first.response.headers, 'remaining-requests')).toBe('3');
    expect(header(first.response.headers, 'limit-tokens')).toBe('1000');
    expect(header(first.response.headers, 'remaining-tokens')).toBe('1000');
    const reset = Number(header(first.response.headers, 'reset-requests'));
    expect(reset).toBeGreaterThan(0);
    expect(reset).toBeLessThanOrEqual(60);

    const streamed = await client.chat.completions
      .create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    for await (const _chunk of streamed.data) {
      // drain
    }
    expect(header(streamed.response.headers, 'remaining-requests')).toBe('2');
    // The first request's 18 tokens were counted when it finished.
    expect(header(streamed.response.headers, 'remaining-tokens')).toBe('982');

    const viaResponses = await client.responses.create({ model: 'scripted', input: 'hi' }).withResponse();
    expect(header(viaResponses.response.headers, 'remaining-requests')).toBe('1');

    await chat(key);
    const error = (await refusal(chat(key))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.headers?.get('x-ratelimit-limit-requests')).toBe('4');
    expect(error.headers?.get('x-ratelimit-remaining-requests')).toBe('0');

    // A key without rpm/tpm limits gets none of them.
    const plain = await gatehouse.client(await admin.generateKey({})).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(plain.response.headers.get('x-ratelimit-limit-requests')).toBeNull();
  });

  it('tpm_limit: once the minute\'s tokens reach the limit, the next request is 429 without reaching the upstream', async () => {
    await awayFromMinuteEdge();
    const key = await admin.generateKey({ tpm_limit: 20 });
    await chat(key); // 18 tokens
    await chat(key); // admitted at 18 < 20; 36 now
    const before = upstream.requests.length;
    const error = await refusal(chat(key));
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect((error as Error).message).toContain('36 tokens used this minute, tpm_limit is 20');
    expect(upstream.requests.length).toBe(before);
  });
});

describe("budget_duration: LiteLLM's budget periods", () => {
  const DAY = 86_400_000;
  const resetOf = async (body: Record<string, unknown>) => {
    const key = await admin.generateKey({ max_budget: 5, ...body });
    return (await admin.get<{ info: { budget_reset_at: string | null } }>(`/key/info?key=${key}`)).body.info.budget_reset_at;
  };

  it('budget_reset_at: 1d at the next UTC midnight, 7d and 1w on Monday, 30d and 1mo on the 1st of the month', async () => {
    const now = new Date();
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DAY;
    const monday = midnight + ((8 - new Date(midnight).getUTCDay()) % 7) * DAY;
    const firstOfMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(await resetOf({ budget_duration: '1d' })).toBe(new Date(midnight).toISOString());
    expect(await resetOf({ budget_duration: '7d' })).toBe(new Date(monday).toISOString());
    expect(await resetOf({ budget_duration: '1w' })).toBe(new Date(monday).toISOString());
    expect(await resetOf({ budget_duration: '30d' })).toBe(new Date(firstOfMonth).toISOString());
    expect(await resetOf({ budget_duration: '1mo' })).toBe(new Date(firstOfMonth).toISOString());
    expect(await resetOf({})).toBeNull();
    expect((await admin.post('/key/generate', { budget_duration: '2mo' })).status).toBe(400);
  });

  it('spend of an ended period reads 0 and no longer counts, also after a restart on the same store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-budget-periods-'));
    const databaseUrl = `sqlite:${join(dir, 'store.db')}`;
    // 4-second periods: start just after a period begins, so the first requests share one.
    const PERIOD = 4_000;
    await new Promise((done) => setTimeout(done, PERIOD - (Date.now() % PERIOD) + 50));
    let first: SpendGatehouse | undefined = await startSpendGatehouse(config, { databaseUrl });
    let second: SpendGatehouse | undefined;
    try {
      const firstAdmin = new AdminClient(first.origin, MASTER);
      const key = await firstAdmin.generateKey({ max_budget: 0.1, budget_duration: '4s' });
      await first.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }); // 0.140625
      await firstAdmin.get('/spend/logs?limit=1'); // writes the buffered row
      const spent = (await firstAdmin.get<{ info: { spend: number; budget_reset_at: string } }>(`/key/info?key=${key}`)).body.info;
      expect(spent.spend).toBe(LLM_COST);
      expect(await refusal(first.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] }))).toMatchObject({
        status: 429,
        code: 'budget_exceeded',
      });
      await first.close();
      first = undefined;
      await new Promise((done) => setTimeout(done, Date.parse(spent.budget_reset_at) - Date.now() + 50));

      second = await startSpendGatehouse(config, { databaseUrl });
      const secondAdmin = new AdminClient(second.origin, MASTER);
      const reset = (await secondAdmin.get<{ info: { spend: number; budget_reset_at: string } }>(`/key/info?key=${key}`)).body.info;
      expect(reset.spend).toBe(0);
      expect(Date.parse(reset.budget_reset_at)).toBeGreaterThan(Date.parse(spent.budget_reset_at));
      await second.client(key).chat.completions.create({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }] });
      await secondAdmin.get('/spend/logs?limit=1');
      expect((await secondAdmin.get<{ info: { spend: number } }>(`/key/info?key=${key}`)).body.info.spend).toBe(LLM_COST);
    } finally {
      await first?.close();
      await second?.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("spend on /key/update and /organization/update (LiteLLM's UpdateKeyRequest.spend): unblocking an entity that reached max_budget", () => {
  const keyInfo = async (key: string) => (await admin.get<{ info: { spend: number } }>(`/key/info?key=${key}`)).body.info;

  it('a key over max_budget is 429 without reaching the upstream; /key/update {spend: 0} lets the next request through and /key/info shows the new spend', async () => {
    const key = await admin.generateKey({ max_budget: 0.2 });
    await chat(key); // 0.140625
    await chat(key); // admitted at 0.140625 < 0.2; 0.28125 now
    const before = upstream.requests.length;
    expect(await refusal(chat(key))).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect(upstream.requests.length).toBe(before);

    const updated = await admin.post<{ spend: number }>('/key/update', { key, spend: 0 });
    expect(updated.status).toBe(200);
    expect(updated.body.spend).toBe(0);
    expect((await keyInfo(key)).spend).toBe(0);

    await chat(key);
    expect(upstream.requests.length).toBe(before + 1);
    await admin.get('/spend/logs?limit=1'); // writes the buffered row
    expect((await keyInfo(key)).spend).toBe(LLM_COST);
  });

  it('a spend other than 0 is the spend the budget counts from: 0.15 of 0.2 admits one request, then 429', async () => {
    const key = await admin.generateKey({ max_budget: 0.2, budget_duration: '1d' });
    await chat(key);
    await chat(key);
    expect(await refusal(chat(key))).toMatchObject({ status: 429, code: 'budget_exceeded' });
    await admin.get('/spend/logs?limit=1');

    expect((await admin.post('/key/update', { key, spend: 0.15 })).status).toBe(200);
    expect((await keyInfo(key)).spend).toBe(0.15);
    await chat(key); // admitted at 0.15 < 0.2
    const error = await refusal(chat(key));
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect((error as Error).message).toContain(`current cost ${0.15 + LLM_COST}, max budget 0.2`);
  });

  it('an organization over max_budget: /organization/update {spend: 0} lets its keys through again', async () => {
    const organization = await admin.expectOk('/organization/new', { organization_alias: `org-${Date.now()}`, max_budget: 0.1 });
    const team = await admin.expectOk('/team/new', { organization_id: organization.organization_id });
    const key = await admin.generateKey({ team_id: team.team_id });
    await chat(key); // 0.140625 ≥ 0.1
    const before = upstream.requests.length;
    const error = await refusal(chat(key));
    expect(error).toMatchObject({ status: 429, code: 'budget_exceeded' });
    expect((error as Error).message).toContain('Organization');
    expect(upstream.requests.length).toBe(before);

    const updated = await admin.post<{ spend: number }>('/organization/update', { organization_id: organization.organization_id, spend: 0 });
    expect(updated.status).toBe(200);
    expect(updated.body.spend).toBe(0);
    await chat(key);
    expect(upstream.requests.length).toBe(before + 1);
  });

  it('a negative spend is a 400 naming spend, and changes nothing', async () => {
    const key = await admin.generateKey({ max_budget: 1 });
    for (const [path, body] of [
      ['/key/update', { key, spend: -1 }],
      ['/organization/update', { organization_id: 'any', spend: -0.5 }],
    ] as const) {
      const answer = await admin.post<{ error: { param: string | null; message: string } }>(path, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.param ?? answer.body.error.message).toContain('spend');
    }
    expect((await keyInfo(key)).spend).toBe(0);
  });
});
