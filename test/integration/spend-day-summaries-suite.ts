/**
 * `GET /spend/logs` over a date range, the same tests on SQLite (spend-logs.test.ts) and PostgreSQL
 * (spend-logs-postgres.test.ts): LiteLLM's per-day sums by default, rows with `summarize=false`, the window's
 * bounds and the lone-date error. Rows of three past UTC days are written by a second store on the proxy's own
 * database (as another replica's batch writer would write them), through the repository's batch insert; one more row
 * comes from a real request through the proxy. Binary-exact spends keep every hand-computed sum exact.
 */
import { beforeAll, expect, it } from 'vitest';
import type { SpendLogRow, SpendLogsRepository } from '../../src/store/index.js';
import type { RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';

export interface SpendDaySummariesContext {
  gatehouse: RunningGatehouse;
  master: string;
  /** A second store's repository on the proxy's database. */
  spendLogs: SpendLogsRepository;
  /** A priced model of the proxy's config. */
  model: string;
}

interface Row {
  request_id: string;
  spend: number;
  model: string;
  api_key: string;
  startTime: string;
}

const D1 = Date.UTC(2024, 2, 10);
const D2 = Date.UTC(2024, 2, 11);
const D3 = Date.UTC(2024, 2, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Call inside a describe whose earlier beforeAll starts the proxy and opens the second store. */
export function defineSpendDaySummaryTests(context: () => SpendDaySummariesContext): void {
  let seeded: Seeded;
  beforeAll(async () => {
    seeded = await seed(context());
  });

  it('answers per-day sums by default for start_date + end_date, oldest first, with per-model and per-key spend and zero days through end_date (LiteLLM summarize=true)', async () => {
    const { admin, a, b } = seeded;
    const days = await admin.get<Record<string, unknown>[]>('/spend/logs?start_date=2024-03-10&end_date=2024-03-13&team_id=days-team');
    expect(days.status).toBe(200);
    expect(days.body).toEqual([
      { startTime: '2024-03-10', spend: 0.875, models: { 'gpt-x': 0.75, 'gpt-y': 0.125 }, users: {}, [a]: 0.75, [b]: 0.125 },
      { startTime: '2024-03-11', spend: 3, models: { 'gpt-x': 2, 'gpt-y': 1 }, users: {}, [a]: 1, [b]: 2 },
      { startTime: '2024-03-12', spend: 12, models: { 'gpt-x': 12 }, users: {}, [a]: 12 },
      { startTime: '2024-03-13', spend: 0, models: {}, users: {} },
    ]);
    // end_date is an instant, as LiteLLM reads it: 2024-03-12 reaches 00:00:00.000 of that day and no further.
    const toMidnight = await admin.get<Record<string, unknown>[]>('/spend/logs?start_date=2024-03-11&end_date=2024-03-12&team_id=days-team');
    expect(toMidnight.body).toEqual([
      { startTime: '2024-03-11', spend: 3, models: { 'gpt-x': 2, 'gpt-y': 1 }, users: {}, [a]: 1, [b]: 2 },
      { startTime: '2024-03-12', spend: 4, models: { 'gpt-x': 4 }, users: {}, [a]: 4 },
    ]);
    // Filters narrow the sums; summarize=true is the default spelled out; a range with no rows is [].
    const oneKey = await admin.get<Record<string, unknown>[]>(`/spend/logs?start_date=2024-03-10&end_date=2024-03-11&summarize=true&api_key=${a}`);
    expect(oneKey.body).toEqual([
      { startTime: '2024-03-10', spend: 0.75, models: { 'gpt-x': 0.75 }, users: {}, [a]: 0.75 },
      { startTime: '2024-03-11', spend: 1, models: { 'gpt-y': 1 }, users: {}, [a]: 1 },
    ]);
    expect((await admin.get('/spend/logs?start_date=2001-01-01&end_date=2001-01-31')).body).toEqual([]);
  });

  it('answers rows, newest first, for the same range with summarize=false, and limit caps them', async () => {
    const { admin, ids } = seeded;
    const rows = await admin.get<Row[]>('/spend/logs?start_date=2024-03-10&end_date=2024-03-12&team_id=days-team&summarize=false');
    expect(rows.status).toBe(200);
    expect(rows.body.map((row) => row.request_id)).toEqual([ids[5], ids[4], ids[3], ids[2], ids[1], ids[0]]);
    expect(rows.body[0]).toMatchObject({ spend: 4, model: 'gpt-x', startTime: new Date(D3).toISOString() });
    const capped = await admin.get<Row[]>('/spend/logs?start_date=2024-03-10&end_date=2024-03-12&team_id=days-team&summarize=false&limit=2');
    expect(capped.body.map((row) => row.request_id)).toEqual([ids[5], ids[4]]);
  });

  it("counts a real request through the proxy in its day's sum", async () => {
    const { gatehouse, master, model } = context();
    const admin = new AdminClient(gatehouse.origin, master);
    const key = await admin.generateKey({});
    const { response } = await gatehouse.client(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).withResponse();
    const [row] = (await admin.get<Row[]>(`/spend/logs?request_id=${response.headers.get('x-request-id')}`)).body;
    expect(row.spend).toBeGreaterThan(0);
    const day = row.startTime.slice(0, 10);
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    const days = await admin.get<Record<string, unknown>[]>(`/spend/logs?start_date=${day}&end_date=${next}&api_key=${key}`);
    expect(days.body).toEqual([
      { startTime: day, spend: row.spend, models: { [model]: row.spend }, users: {}, [row.api_key]: row.spend },
      { startTime: next, spend: 0, models: {}, users: {} },
    ]);
  });

  it('refuses a lone start_date or end_date, and a summarize that is not a boolean, with 400 invalid_request', async () => {
    const { gatehouse, master } = context();
    const admin = new AdminClient(gatehouse.origin, master);
    for (const [query, param] of [
      ['start_date=2024-03-10', 'end_date'],
      ['end_date=2024-03-10&summarize=false', 'start_date'],
      ['start_date=2024-03-10&end_date=2024-03-11&summarize=maybe', 'summarize'],
      ['start_date=2024-02-30&end_date=2024-03-11', 'start_date'],
    ]) {
      const refused = await admin.get<{ error: { type: string; param: string; message: string } }>(`/spend/logs?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', param });
    }
    const lone = await admin.get<{ error: { message: string } }>('/spend/logs?start_date=2024-03-10');
    expect(lone.body.error.message).toBe('Please provide start_date and end_date together; end_date is missing.');
  });
}

interface Seeded {
  admin: AdminClient;
  /** The two keys' hashes (`api_key` of their rows). */
  a: string;
  b: string;
  ids: string[];
}

/** Two keys of team `days-team` and their rows on 2024-03-10, -11 and -12. */
async function seed({ gatehouse, master, spendLogs }: SpendDaySummariesContext): Promise<Seeded> {
  const admin = new AdminClient(gatehouse.origin, master);
  await admin.expectOk('/team/new', { team_id: 'days-team' });
  const token = async () => (await admin.get<{ key: string }>(`/key/info?key=${await admin.generateKey({ team_id: 'days-team' })}`)).body.key;
  const a = await token();
  const b = await token();
  const plan: [string, string, number, number][] = [
    [a, 'gpt-x', D1 + 8 * HOUR, 0.5],
    [a, 'gpt-x', D1 + 20 * HOUR, 0.25],
    [b, 'gpt-y', D2 - 1, 0.125],
    [a, 'gpt-y', D2, 1],
    [b, 'gpt-x', D2 + 13 * HOUR, 2],
    [a, 'gpt-x', D3, 4],
    [a, 'gpt-x', D3 + 1, 8],
  ];
  const rows: SpendLogRow[] = plan.map(([apiKey, model, startTime, spend], index) => ({
    request_id: `01900000-0000-7000-8000-0000000000d${index}`,
    call_type: 'chat_completion',
    api_key: apiKey,
    team_id: 'days-team',
    organization_id: null,
    model,
    prompt_tokens: 10,
    completion_tokens: 2,
    total_tokens: 12,
    spend,
    start_time: startTime,
    end_time: startTime + 500,
    status: 'success',
    parent_request_id: null,
  }));
  await spendLogs.insertBatch(rows, { now: Date.now(), resetAt: () => null });
  return { admin, a, b, ids: rows.map((row) => row.request_id) };
}
