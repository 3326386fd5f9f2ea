/**
 * Issue #7 part 1 over real HTTP with the official `openai` client: LLM cost in `x-litellm-response-cost`, spend-log
 * rows (`GET /spend/logs` and its filters), per-day sums over a date range (spend-day-summaries-suite.ts), key/team/organisation spend, tiktoken counting of a streamed answer with
 * no upstream usage, `POST /utils/token_counter`, and `general_settings.disable_spend_logs`. The upstream is a
 * scripted OpenAI-wire fixture; the tool loop's MCP server is a real counting server behind the hub.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import { get_encoding } from 'tiktoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingServer, type CountingServer } from '../fixtures/mcp/counting-server.js';
import { chunk, completion, startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest, type UpstreamReply } from '../fixtures/openai-upstream.js';
import { scriptedReply } from '../fixtures/scripted-chat.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { defineSpendDaySummaryTests } from './spend-day-summaries-suite.js';

const MASTER = 'sk-master-spend-test';
// Binary-exact prices (2^-20, 2^-18, 2^-22 USD per token), so every sum below is exact in floating point.
const INPUT = 2 ** -20;
const OUTPUT = 2 ** -18;
const CACHED = 2 ** -22;
const TOOL_PRICE = 0.25;

interface SpendLog {
  request_id: string;
  call_type: string;
  api_key: string;
  spend: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  startTime: string;
  endTime: string;
  model: string;
  team_id: string | null;
  organization_id: string | null;
  status: string;
  parent_request_id: string | null;
}

let upstream: OpenAIUpstream;
let counting: CountingServer;
let gatehouse: RunningGatehouse;
let quiet: RunningGatehouse;
let admin: AdminClient;
let key: string;
let keyToken: string;
let script: (request: RecordedRequest) => UpstreamReply = () => ({ kind: 'json', body: completion({ content: 'unscripted' }) });

const config = (extra = '') => `
model_list:
  - model_name: priced
    litellm_params: { model: openai/gpt-4o, api_base: "${upstream.url}", api_key: sk-fixture }
    model_info: { input_cost_per_token: ${INPUT}, output_cost_per_token: ${OUTPUT}, cache_read_input_token_cost: ${CACHED} }
  - model_name: table-priced
    litellm_params: { model: openai/gpt-4o-mini-2024-07-18, api_base: "${upstream.url}", api_key: sk-fixture }
general_settings:
  master_key: ${MASTER}
${extra}
mcp_servers:
  tools:
    url: "${counting.url}"
    mcp_info:
      mcp_server_cost_info:
        tool_name_to_cost_per_query: { lookup: ${TOOL_PRICE} }
`;

beforeAll(async () => {
  counting = await startCountingServer({ delayMs: 0 });
  upstream = await startOpenAIUpstream((request) => script(request));
  gatehouse = await startGatehouse(config());
  quiet = await startGatehouse(config('  disable_spend_logs: true'));
  admin = new AdminClient(gatehouse.origin, MASTER);
  await admin.expectOk('/organization/new', { organization_id: 'org-spend' });
  await admin.expectOk('/team/new', { team_id: 'team-spend', organization_id: 'org-spend' });
  key = await admin.generateKey({ team_id: 'team-spend', object_permission: { mcp_servers: ['tools'] } });
  const info = await admin.get<{ key: string }>(`/key/info?key=${key}`);
  keyToken = info.body.key;
}, 30_000);

afterAll(async () => {
  await Promise.all([gatehouse?.close(), quiet?.close()]);
  await Promise.all([upstream?.close(), counting?.close()]);
});

const logs = async (query: string) => {
  const answer = await admin.get<SpendLog[]>(`/spend/logs${query}`);
  expect(answer.status).toBe(200);
  return answer.body;
};

/** OpenAI's cookbook formula (3 tokens per message, 3 to prime the reply), written out independently of the code. */
function cookbookPromptTokens(encoding: 'o200k_base' | 'cl100k_base', messages: { role: string; content: string }[]): number {
  const encoder = get_encoding(encoding);
  try {
    return messages.reduce((total, message) => total + 3 + encoder.encode(message.role).length + encoder.encode(message.content).length, 3);
  } finally {
    encoder.free();
  }
}

describe('LLM cost and spend logs', () => {
  it('prices a chat completion from the upstream usage (cached tokens at the cached price), in the header and the stored row', async () => {
    script = () => ({
      kind: 'json',
      body: completion({ content: 'hi' }, { usage: { prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050, prompt_tokens_details: { cached_tokens: 400 } } }),
    });
    const { data, response } = await gatehouse
      .client(key)
      .chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const expected = 600 * INPUT + 400 * CACHED + 50 * OUTPUT;
    expect(data.choices[0].message.content).toBe('hi');
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBe(expected);
    const requestId = response.headers.get('x-request-id')!;
    // Time-ordered (UUIDv7): the ids are the spend-log primary key, and new rows go at the end of its B-tree.
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const [row] = await logs(`?request_id=${requestId}`);
    expect(row).toMatchObject({
      request_id: requestId,
      call_type: 'chat_completion',
      api_key: keyToken,
      team_id: 'team-spend',
      organization_id: 'org-spend',
      model: 'priced',
      prompt_tokens: 1000,
      completion_tokens: 50,
      total_tokens: 1050,
      spend: expected,
      status: 'success',
      parent_request_id: null,
    });
    expect(Date.parse(row.endTime)).toBeGreaterThanOrEqual(Date.parse(row.startTime));
  });

  it('prices a model from the shipped table when the deployment has no model_info prices (gpt-4o-mini snapshot)', async () => {
    script = () => ({ kind: 'json', body: completion({ content: 'ok' }, { usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000, total_tokens: 2_000_000 } }) });
    const { response } = await gatehouse.client(key).chat.completions.create({ model: 'table-priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    // gpt-4o-mini: $0.15 / 1M input, $0.60 / 1M output (src/spend/price-table.ts).
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBeCloseTo(0.75, 12);
  });

  it('counts a streamed answer with no upstream usage with tiktoken, and prices it (issue #7 acceptance: streamed request counted)', async () => {
    const text = 'Streaming tokens are counted by the proxy itself.';
    script = () => ({ kind: 'stream', chunks: [chunk({ role: 'assistant', content: '' }), chunk({ content: text }), chunk({}, 'stop')] });
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say something about streaming.' },
    ] as const;
    const { data: stream, response } = await gatehouse
      .client(key)
      .chat.completions.create({ model: 'priced', messages: [...messages], stream: true })
      .withResponse();
    let received = '';
    for await (const part of stream) received += part.choices[0]?.delta.content ?? '';
    expect(received).toBe(text);
    expect(response.headers.get('x-litellm-response-cost')).toBeNull();
    const prompt = cookbookPromptTokens('o200k_base', [...messages]);
    const encoder = get_encoding('o200k_base');
    const completionTokens = encoder.encode(text).length;
    encoder.free();
    const [row] = await logs(`?request_id=${response.headers.get('x-request-id')}`);
    expect(row).toMatchObject({ prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens, status: 'success' });
    expect(row.spend).toBe(prompt * INPUT + completionTokens * OUTPUT);
  });

  it('returns the cost on /v1/responses (native OpenAI upstream) and stores a responses row', async () => {
    script = (request) => scriptedReply(request, { content: 'native answer' });
    const { data, response } = await gatehouse.client(key).responses.create({ model: 'priced', input: 'hello' }).withResponse();
    expect(data.output_text).toBe('native answer');
    const [row] = await logs(`?request_id=${response.headers.get('x-request-id')}`);
    expect(row).toMatchObject({ call_type: 'responses', model: 'priced', status: 'success' });
    expect(row.prompt_tokens).toBeGreaterThan(0);
    expect(row.spend).toBe(row.prompt_tokens * INPUT + row.completion_tokens * OUTPUT);
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBe(row.spend);
  });

  it('records a failed upstream call as a failure row', async () => {
    script = () => ({ kind: 'json', status: 500, body: { error: { message: 'boom', type: 'server_error' } } });
    const failed = await gatehouse.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect((failed as { status?: number }).status).toBeGreaterThanOrEqual(500);
    const rows = await logs(`?api_key=${key}`);
    expect(rows.some((row) => row.status === 'failure' && row.spend === 0)).toBe(true);
  });
});

describe('a scripted agent loop: 2 LLM rounds, 3 tool calls on a priced server', () => {
  const tools = [{ type: 'mcp', server_label: 'tools', server_url: 'litellm_proxy/mcp/tools', require_approval: 'never' }] as unknown as ChatCompletionTool[];
  const ROUND_1 = { prompt_tokens: 300, completion_tokens: 40, total_tokens: 340, prompt_tokens_details: { cached_tokens: 128 } };
  const ROUND_2 = { prompt_tokens: 520, completion_tokens: 24, total_tokens: 544 };

  it('header and stored rows equal the hand-computed cost exactly (issue #7 acceptance 1)', async () => {
    script = (request) => {
      const answered = (request.body.messages as { role: string }[]).some((message) => message.role === 'tool');
      if (answered) return { kind: 'json', body: completion({ content: 'three values found' }, { usage: ROUND_2 }) };
      const calls = [1, 2, 3].map((n) => ({ id: `call_${n}`, type: 'function' as const, function: { name: 'tools__lookup', arguments: JSON.stringify({ key: `k${n}` }) } }));
      return { kind: 'json', body: completion({ content: null, tool_calls: calls }, { finish_reason: 'tool_calls', usage: ROUND_1 }) };
    };
    counting.reset();
    const { data, response } = await gatehouse
      .client(key)
      .chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'look up k1, k2 and k3' }], tools })
      .withResponse();
    expect(data.choices[0].message.content).toBe('three values found');
    expect(counting.calls).toHaveLength(3);

    const round1 = (300 - 128) * INPUT + 128 * CACHED + 40 * OUTPUT;
    const round2 = 520 * INPUT + 24 * OUTPUT;
    const llmCost = round1 + round2;
    const requestId = response.headers.get('x-request-id')!;
    const [row] = await logs(`?request_id=${requestId}`);
    expect(row).toMatchObject({ call_type: 'chat_completion', model: 'priced', prompt_tokens: 820, completion_tokens: 64, total_tokens: 884, spend: llmCost });

    const toolRows = (await logs(`?api_key=${key}`)).filter((candidate) => candidate.parent_request_id === requestId);
    const header = Number(response.headers.get('x-litellm-response-cost'));
    expect(toolRows).toHaveLength(3);
    for (const toolRow of toolRows) expect(toolRow).toMatchObject({ call_type: 'call_mcp_tool', model: 'MCP: tools/lookup', spend: TOOL_PRICE });
    // Tool-call rows get time-ordered ids too (UUIDv7), distinct from their parent's.
    for (const toolRow of toolRows) expect(toolRow.request_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([requestId, ...toolRows.map((toolRow) => toolRow.request_id)]).size).toBe(4);
    expect(header).toBe(llmCost + (TOOL_PRICE + TOOL_PRICE + TOOL_PRICE));
    expect(row.spend + toolRows.reduce((sum, toolRow) => sum + toolRow.spend, 0)).toBe(header);
  });
});

describe('GET /spend/logs and spend totals', () => {
  it('filters by api_key, request_id, team_id and dates; admin only', async () => {
    script = () => ({ kind: 'json', body: completion({ content: 'm' }, { usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } }) });
    const viaMaster = await gatehouse.client(MASTER).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const masterRequest = viaMaster.response.headers.get('x-request-id')!;

    const byKey = await logs(`?api_key=${key}`);
    expect(byKey.length).toBeGreaterThan(0);
    expect(byKey.every((row) => row.api_key === keyToken)).toBe(true);
    expect(byKey.some((row) => row.request_id === masterRequest)).toBe(false);
    expect(await logs(`?api_key=${keyToken}`)).toEqual(byKey);

    const [masterRow] = await logs(`?request_id=${masterRequest}`);
    expect(masterRow).toMatchObject({ api_key: '', team_id: null, spend: 10 * INPUT + 2 * OUTPUT });

    const byTeam = await logs('?team_id=team-spend');
    expect(byTeam.map((row) => row.request_id).sort()).toEqual(byKey.map((row) => row.request_id).sort());

    const day = masterRow.startTime.slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await logs(`?start_date=${day}&end_date=${next}&summarize=false`)).some((row) => row.request_id === masterRequest)).toBe(true);
    expect(await logs('?start_date=2001-01-01&end_date=2001-01-02&summarize=false')).toEqual([]);
    expect((await admin.get('/spend/logs?start_date=yesterday')).status).toBe(400);
    expect((await admin.get('/spend/logs', key)).status).toBe(403);
  });

  it('adds each row to its key, team and organisation spend (/key/info, /team/info)', async () => {
    const rows = await logs(`?api_key=${key}`);
    const total = [...rows].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime)).reduce((sum, row) => sum + row.spend, 0);
    const keyInfo = await admin.get<{ info: { spend: number } }>(`/key/info?key=${key}`);
    expect(keyInfo.body.info.spend).toBeGreaterThan(0);
    expect(keyInfo.body.info.spend).toBeCloseTo(total, 12);
    const teamInfo = await admin.get<{ team_info: { spend: number } }>('/team/info?team_id=team-spend');
    expect(teamInfo.body.team_info.spend).toBeCloseTo(total, 12);
    const orgInfo = await admin.get<{ spend: number }>('/organization/info?organization_id=org-spend');
    expect(orgInfo.body.spend).toBeCloseTo(total, 12);
  });
});

describe('GET /spend/logs over a date range on SQLite (a file shared with a second store)', () => {
  let directory = '';
  let onFile: RunningGatehouse;
  let second: Store;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'gatehouse-spend-days-'));
    const databaseUrl = `sqlite:${join(directory, 'store.db')}`;
    onFile = await startGatehouse(config(), { databaseUrl });
    second = await openStore({ databaseUrl, sqlitePath: join(directory, 'unused.db') });
  }, 30_000);
  afterAll(async () => {
    await second?.close();
    await onFile?.close();
    await rm(directory, { recursive: true, force: true });
  });
  beforeAll(() => {
    script = () => ({ kind: 'json', body: completion({ content: 'd' }, { usage: { prompt_tokens: 20, completion_tokens: 4, total_tokens: 24 } }) });
  });

  defineSpendDaySummaryTests(() => ({ gatehouse: onFile, master: MASTER, spendLogs: second.spendLogs, model: 'priced' }));
});

describe('general_settings.disable_spend_logs', () => {
  it('writes no rows but still returns the cost header', async () => {
    script = () => ({ kind: 'json', body: completion({ content: 'q' }, { usage: { prompt_tokens: 8, completion_tokens: 4, total_tokens: 12 } }) });
    const { response } = await quiet.client(MASTER).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(Number(response.headers.get('x-litellm-response-cost'))).toBe(8 * INPUT + 4 * OUTPUT);
    const answer = await new AdminClient(quiet.origin, MASTER).get<SpendLog[]>('/spend/logs');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([]);
  });
});

describe('POST /utils/token_counter', () => {
  it("answers LiteLLM's shape with the tiktoken count of the messages", async () => {
    const messages = [{ role: 'user', content: 'How many tokens is this?' }];
    const answer = await admin.post('/utils/token_counter', { model: 'priced', messages });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      total_tokens: cookbookPromptTokens('o200k_base', messages),
      request_model: 'priced',
      model_used: 'gpt-4o',
      tokenizer_type: 'openai_tokenizer',
    });
    expect((await admin.post('/utils/token_counter', { model: 'priced' })).status).toBe(400);
    // Malformed messages are refused as chat completions refuses them, not counted into a crash.
    for (const bad of [[{ role: 'assistant', tool_calls: 'x' }], [{ role: 'assistant', content: null, tool_calls: [{ function: null }] }]]) {
      const refused = await admin.post<{ error: { type: string } }>('/utils/token_counter', { model: 'priced', messages: bad });
      expect(refused.status).toBe(400);
      expect(refused.body.error.type).toBe('invalid_request_error');
    }
  });
});
