/**
 * The spend-logs repository on both databases (SQLite: prepared statements; PostgreSQL: one INSERT of column
 * arrays): every column of every row comes back as written — nulls, large integers, fractional costs and text that
 * array literals must escape — and the key, team and organisation totals equal the rows of the current budget
 * period (a total whose `budget_reset_at` has passed starts again, as LiteLLM resets it); spend summed per UTC day,
 * key and model is computed by the database. PostgreSQL is skipped,
 * with the reason in the title, when none answers (required with GATEHOUSE_REQUIRE_POSTGRES=1 or CI=true).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type BudgetClock, type KeyRecord, type SpendLogRow, type Store, type StoreSettings } from '../../../src/store/index.js';
import { POSTGRES_ADMIN_URL, probePostgres, throwawayDatabases } from './postgres-databases.js';

const probe = await probePostgres(POSTGRES_ADMIN_URL);
const required = process.env.GATEHOUSE_REQUIRE_POSTGRES === '1' || process.env.CI === 'true';
const skipPostgres = !probe.reachable && !required;
const databases = throwawayDatabases(POSTGRES_ADMIN_URL);

const AWKWARD = ['quote " and \\ backslash', '{braces}, commas', 'NULL', '', 'ünïcödé ✓', "it's"];

function rows(): SpendLogRow[] {
  return AWKWARD.map((text, index) => ({
    request_id: `0190a000-0000-7000-8000-00000000000${index}`,
    call_type: index % 2 === 0 ? 'chat_completion' : 'mcp_tool',
    api_key: index < 3 ? 'token-a' : '',
    team_id: index < 2 ? 'team-a' : null,
    organization_id: index === 0 ? 'org-a' : null,
    model: text,
    prompt_tokens: 2 ** 40 + index,
    completion_tokens: index,
    total_tokens: 2 ** 40 + 2 * index,
    spend: index === 5 ? 0 : 2 ** -20 * (index + 1),
    start_time: 1_790_000_000_000 + index,
    end_time: 1_790_000_000_500 + index,
    status: index === 4 ? 'failure' : 'success',
    parent_request_id: index % 2 === 1 ? `0190a000-0000-7000-8000-00000000000${index - 1}` : null,
  }));
}

/** A clock whose current budget period ends at `now + 1000` for any entity with a budget_duration. */
function clockAt(now: number): BudgetClock {
  return { now, resetAt: (budgetDuration) => (budgetDuration === null ? null : now + 1000) };
}

function keyRow(token: string, fields: Partial<KeyRecord>): KeyRecord {
  const at = Date.now();
  return { token, key_name: 'sk-...pppp', key_alias: null, models: [], max_budget: null, spend: 0, expires: null, metadata: {}, team_id: null, user_id: null, object_permission: null, blocked: false, created_at: at, updated_at: at, ...fields };
}

function spendRow(apiKey: string, spend: number, index: number): SpendLogRow {
  return { ...rows()[0], request_id: `0190b000-0000-7000-8000-${apiKey.padStart(8, '0')}000${index}`, api_key: apiKey, team_id: null, organization_id: null, spend };
}

function defineSuite(name: string, settings: () => Promise<StoreSettings>, cleanup: () => Promise<void>) {
  describe(name, () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore(await settings());
      const at = Date.now();
      await store.organizations.create({ organization_id: 'org-a', organization_alias: null, models: [], max_budget: null, spend: 0, metadata: {}, object_permission: null, created_at: at, updated_at: at, budget_duration: null });
      await store.teams.create({ team_id: 'team-a', team_alias: null, organization_id: 'org-a', models: [], max_budget: null, spend: 0, metadata: {}, object_permission: null, blocked: false, created_at: at, updated_at: at, budget_duration: null });
      await store.keys.create({ token: 'token-a', key_name: 'sk-...aaaa', key_alias: null, models: [], max_budget: null, spend: 0, expires: null, metadata: {}, team_id: 'team-a', user_id: null, object_permission: null, blocked: false, created_at: at, updated_at: at, budget_duration: null, rpm_limit: null, tpm_limit: null });
    }, 30_000);
    afterAll(async () => {
      await store?.close();
      await cleanup();
    });

    it('reads back every column of every row exactly, and adds the spend to key, team and organisation', async () => {
      const written = rows();
      await store.spendLogs.insertBatch(written, clockAt(Date.now()));
      const read = await store.spendLogs.list({ limit: 100 });
      const byId = new Map(read.map((row) => [row.request_id, row]));
      for (const row of written) expect(byId.get(row.request_id)).toEqual(row);
      const sum = (filter: (row: SpendLogRow) => boolean) => written.filter(filter).reduce((total, row) => total + row.spend, 0);
      expect((await store.keys.get('token-a'))?.spend).toBe(sum((row) => row.api_key === 'token-a'));
      expect((await store.teams.get('team-a'))?.spend).toBe(sum((row) => row.team_id === 'team-a'));
      expect((await store.organizations.get('org-a'))?.spend).toBe(sum((row) => row.organization_id === 'org-a'));
    });

    it("counts key spend per budget period: a total whose budget_reset_at has passed starts again from the batch's spend", async () => {
      const now = 1_800_000_000_000;
      await store.keys.create(keyRow('ended', { spend: 5, budget_duration: '1d', budget_reset_at: now - 1 }));
      await store.keys.create(keyRow('current', { spend: 5, budget_duration: '1d', budget_reset_at: now + 500 }));
      await store.keys.create(keyRow('unmarked', { spend: 5, budget_duration: '1d', budget_reset_at: null }));
      await store.keys.create(keyRow('lifetime', { spend: 5 }));
      await store.spendLogs.insertBatch(['ended', 'current', 'unmarked', 'lifetime'].map((key, index) => spendRow(key, 0.25, index)), clockAt(now));
      const stored = async (token: string) => {
        const key = await store.keys.get(token);
        return { spend: key?.spend, budget_reset_at: key?.budget_reset_at ?? null };
      };
      expect(await stored('ended')).toEqual({ spend: 0.25, budget_reset_at: now + 1000 });
      expect(await stored('current')).toEqual({ spend: 5.25, budget_reset_at: now + 500 });
      expect(await stored('unmarked')).toEqual({ spend: 5.25, budget_reset_at: now + 1000 });
      expect(await stored('lifetime')).toEqual({ spend: 5.25, budget_reset_at: null });
      await store.spendLogs.insertBatch([spendRow('ended', 0.5, 9)], clockAt(now));
      expect(await stored('ended')).toEqual({ spend: 0.75, budget_reset_at: now + 1000 });
    });

    it('sums spend per UTC day, key and model in SQL, over the filtered rows only, in day-key-model order', async () => {
      const day1 = Date.UTC(2030, 0, 1);
      const day2 = Date.UTC(2030, 0, 2);
      const row = (index: number, apiKey: string, model: string, startTime: number, spend: number, teamId = 'sum-team'): SpendLogRow => ({
        ...rows()[0],
        request_id: `0190c000-0000-7000-8000-00000000000${index}`,
        api_key: apiKey,
        team_id: teamId,
        organization_id: null,
        model,
        spend,
        start_time: startTime,
        end_time: startTime + 10,
      });
      await store.spendLogs.insertBatch(
        [
          row(0, 'k1', 'model-a', day1 + 36_000_000, 0.5),
          row(1, 'k1', 'model-a', day2 - 1, 0.25),
          row(2, 'k2', 'model-b', day1, 0.125),
          row(3, 'k1', 'model-b', day2, 1),
          row(4, 'k2', 'model-a', day2 + 43_200_000, 2),
          row(5, 'k1', 'model-a', day1 + 1, 64, 'other-team'),
        ],
        clockAt(Date.now()),
      );
      const epochDay = (time: number) => time / 86_400_000;
      expect(await store.spendLogs.sumByDay({ team_id: 'sum-team' })).toEqual([
        { day: epochDay(day1), api_key: 'k1', model: 'model-a', spend: 0.75 },
        { day: epochDay(day1), api_key: 'k2', model: 'model-b', spend: 0.125 },
        { day: epochDay(day2), api_key: 'k1', model: 'model-b', spend: 1 },
        { day: epochDay(day2), api_key: 'k2', model: 'model-a', spend: 2 },
      ]);
      expect(await store.spendLogs.sumByDay({ team_id: 'sum-team', api_key: 'k1', start_time_from: day1, start_time_before: day2 + 1 })).toEqual([
        { day: epochDay(day1), api_key: 'k1', model: 'model-a', spend: 0.75 },
        { day: epochDay(day2), api_key: 'k1', model: 'model-b', spend: 1 },
      ]);
      expect(await store.spendLogs.sumByDay({ team_id: 'sum-team', start_time_from: day2 + 1 })).toEqual([{ day: epochDay(day2), api_key: 'k2', model: 'model-a', spend: 2 }]);
    });
  });
}

let sqliteDir = '';
defineSuite(
  'spend-logs store on SQLite',
  async () => {
    sqliteDir = await mkdtemp(join(tmpdir(), 'gatehouse-spend-store-'));
    return { sqlitePath: join(sqliteDir, 'store.db') };
  },
  () => rm(sqliteDir, { recursive: true, force: true }),
);

describe.skipIf(skipPostgres)(probe.reachable ? 'PostgreSQL' : `PostgreSQL — ${skipPostgres ? 'SKIPPED' : 'REQUIRED but'}: ${probe.reason}`, () => {
  defineSuite(
    'spend-logs store on PostgreSQL',
    async () => {
      if (!probe.reachable) throw new Error(`PostgreSQL is required here but unreachable: ${probe.reason}`);
      return { databaseUrl: await databases.create(), sqlitePath: '/nonexistent/unused.db' };
    },
    () => databases.dropAll(),
  );
});
