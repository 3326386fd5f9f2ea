/**
 * Issue #7 point 3 on PostgreSQL: spend-log rows and key/team spend totals written through a throwaway database,
 * read back over HTTP, and the per-day sums of a date range (spend-day-summaries-suite.ts). Skipped, with the reason in the title, when no PostgreSQL answers (as the store suites are).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { completion, startOpenAIUpstream, type OpenAIUpstream } from '../fixtures/openai-upstream.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { defineSpendDaySummaryTests } from './spend-day-summaries-suite.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './store/postgres-databases.js';

const probe = await probePostgres(POSTGRES_ADMIN_URL);
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';
const skip = !probe.reachable && !required;
const title = probe.reachable ? 'spend logs on PostgreSQL' : `spend logs on PostgreSQL — ${skip ? 'SKIPPED' : 'REQUIRED but'}: ${probe.reason}`;
const MASTER = 'sk-master-spend-postgres';
const INPUT = 2 ** -20;
const OUTPUT = 2 ** -18;

const databases = throwawayDatabases(POSTGRES_ADMIN_URL);
let upstream: OpenAIUpstream;
let gatehouse: RunningGatehouse;
let second: Store;

describe.skipIf(skip)(title, () => {
  beforeAll(async () => {
    if (!probe.reachable) throw new Error(`PostgreSQL is required here but unreachable: ${probe.reason}`);
    const databaseUrl = await databases.create();
    upstream = await startOpenAIUpstream(() => ({
      kind: 'json',
      body: completion({ content: 'pg' }, { usage: { prompt_tokens: 64, completion_tokens: 16, total_tokens: 80 } }),
    }));
    gatehouse = await startGatehouse(
      `
model_list:
  - model_name: priced
    litellm_params: { model: openai/gpt-4o, api_base: "${upstream.url}", api_key: sk-fixture }
    model_info: { input_cost_per_token: ${INPUT}, output_cost_per_token: ${OUTPUT} }
general_settings:
  master_key: ${MASTER}
`,
      { databaseUrl },
    );
    second = await openStore({ databaseUrl, sqlitePath: '/nonexistent/unused.db' });
  }, 30_000);
  afterAll(async () => {
    await second?.close();
    await gatehouse?.close();
    await upstream?.close();
    await databases.dropAll();
  });

  it('stores rows with exact spend and adds it to the key and team totals', async () => {
    const admin = new AdminClient(gatehouse.origin, MASTER);
    await admin.expectOk('/team/new', { team_id: 'pg-team' });
    const key = await admin.generateKey({ team_id: 'pg-team' });
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      const { response } = await gatehouse.client(key).chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'x' }] }).withResponse();
      ids.push(response.headers.get('x-request-id')!);
    }
    const cost = 64 * INPUT + 16 * OUTPUT;
    const rows = (await admin.get<{ request_id: string; spend: number; total_tokens: number; team_id: string }[]>(`/spend/logs?api_key=${key}`)).body;
    expect(rows.map((row) => row.request_id).sort()).toEqual([...ids].sort());
    for (const row of rows) expect(row).toMatchObject({ spend: cost, total_tokens: 80, team_id: 'pg-team' });
    const info = await admin.get<{ info: { spend: number } }>(`/key/info?key=${key}`);
    expect(info.body.info.spend).toBe(cost + cost + cost);
    const team = await admin.get<{ team_info: { spend: number } }>('/team/info?team_id=pg-team');
    expect(team.body.team_info.spend).toBe(cost + cost + cost);
  });

  defineSpendDaySummaryTests(() => ({ gatehouse, master: MASTER, spendLogs: second.spendLogs, model: 'priced' }));
});
