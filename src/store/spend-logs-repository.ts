/**
 * The spend-logs repository over SQL. A batch is one transaction: its rows, then one spend update per key, team
 * and organisation it touches (summed in process first, so a batch of 500 rows for one key is one UPDATE). The
 * update adds to `spend` within the entity's budget period and starts it again from the batch's spend once
 * `budget_reset_at` has passed (period-totals.ts). Spend updates bump no change topic: cached keys keep their
 * limits, and budgets count spend elsewhere. Reads filter rows, or sum their spend per day, key and model in SQL.
 */
import type Database from 'better-sqlite3';
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { PERIOD_TOTALS, periodTotalUpdateSql, spendTotals } from './period-totals.js';
import type { SpendLogsTable, StoreDatabase } from './schema.js';
import type { BudgetClock, SpendLogFilter, SpendLogRow, SpendLogsRepository } from './spend-logs-record.js';

export function createSpendLogsRepository(db: Kysely<StoreDatabase>, sqlite?: Database.Database): SpendLogsRepository {
  // SQLite: one prepared statement per row inside one transaction, holding Kysely's connection so no other query
  // interleaves. The rows go in on the event loop (better-sqlite3 is synchronous), so this is the cheapest form.
  const writeOnSqlite = sqlite ? preparedBatchWriter(sqlite) : undefined;
  return {
    async insertBatch(rows, clock) {
      if (rows.length === 0) return;
      if (writeOnSqlite) {
        await db.connection().execute(async () => writeOnSqlite(rows, clock));
        return;
      }
      const totals = spendTotals(rows);
      await db.transaction().execute(async (trx) => {
        await insertAsColumnArrays(trx, rows);
        for (const target of PERIOD_TOTALS) {
          const spends = totals[target.totals];
          if (spends.size === 0) continue;
          const budgets = await sql<{ id: string; budget_duration: string | null; created_at: number | string }>`SELECT ${sql.ref(target.id)} AS id, budget_duration, created_at FROM ${sql.table(target.table)} WHERE ${sql.ref(target.id)} IN (${sql.join([...spends.keys()])})`.execute(trx);
          for (const budget of budgets.rows) {
            const spend = spends.get(budget.id) ?? 0;
            const resetAt = clock.resetAt(budget.budget_duration, Number(budget.created_at));
            await sql`UPDATE ${sql.table(target.table)} SET spend = CASE WHEN budget_reset_at IS NOT NULL AND budget_reset_at <= ${clock.now}::bigint THEN ${spend}::double precision ELSE spend + ${spend}::double precision END, budget_reset_at = CASE WHEN budget_reset_at IS NOT NULL AND budget_reset_at > ${clock.now}::bigint THEN budget_reset_at ELSE ${resetAt}::bigint END WHERE ${sql.ref(target.id)} = ${budget.id}`.execute(trx);
          }
        }
      });
    },

    async list(query) {
      const rows = await matching(db.selectFrom('spend_logs').selectAll(), query)
        .orderBy('start_time', 'desc')
        .orderBy('request_id', 'asc')
        .limit(query.limit)
        .execute();
      return rows.map(decodeRow);
    },

    async sumByDay(filter) {
      const groups = await matching(db.selectFrom('spend_logs'), filter)
        .select((eb) => [UTC_DAY.as('day'), 'api_key', 'model', eb.fn.sum<number | string>('spend').as('spend')])
        .groupBy([UTC_DAY, 'api_key', 'model'])
        .orderBy(UTC_DAY)
        .orderBy('api_key')
        .orderBy('model')
        .execute();
      return groups.map((group) => ({ day: Number(group.day), api_key: group.api_key, model: group.model, spend: Number(group.spend) }));
    },
  };
}

/**
 * The UTC day of a row's `start_time` (epoch ms): integer division on both dialects (SQLite INTEGER, PostgreSQL
 * bigint). The divisor is a literal, not a parameter, so PostgreSQL sees the same expression in SELECT and GROUP BY.
 */
const UTC_DAY = sql<number | string>`start_time / ${sql.lit(86_400_000)}`;

function matching<O>(select: SelectQueryBuilder<StoreDatabase, 'spend_logs', O>, filter: SpendLogFilter): SelectQueryBuilder<StoreDatabase, 'spend_logs', O> {
  let narrowed = select;
  if (filter.api_key !== undefined) narrowed = narrowed.where('api_key', '=', filter.api_key);
  if (filter.request_id !== undefined) narrowed = narrowed.where('request_id', '=', filter.request_id);
  if (filter.team_id !== undefined) narrowed = narrowed.where('team_id', '=', filter.team_id);
  if (filter.start_time_from !== undefined) narrowed = narrowed.where('start_time', '>=', filter.start_time_from);
  if (filter.start_time_before !== undefined) narrowed = narrowed.where('start_time', '<', filter.start_time_before);
  return narrowed;
}

/** Numbers as numbers whatever the driver returns (PostgreSQL's `double precision` and `bigint` included). */
function decodeRow(row: Selectable<SpendLogsTable>): SpendLogRow {
  return {
    ...row,
    prompt_tokens: Number(row.prompt_tokens),
    completion_tokens: Number(row.completion_tokens),
    total_tokens: Number(row.total_tokens),
    spend: Number(row.spend),
    start_time: Number(row.start_time),
    end_time: Number(row.end_time),
  };
}

const COLUMNS = [
  'request_id',
  'call_type',
  'api_key',
  'team_id',
  'organization_id',
  'model',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'spend',
  'start_time',
  'end_time',
  'status',
  'parent_request_id',
] as const satisfies readonly (keyof SpendLogRow)[];

function preparedBatchWriter(sqlite: Database.Database): (rows: readonly SpendLogRow[], clock: BudgetClock) => void {
  // Positional parameters: binding by name looks each one up in the row object (1 µs a row more, docs/benchmarks.md).
  const insert = sqlite.prepare(`INSERT INTO spend_logs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})`);
  const targets = PERIOD_TOTALS.map((target) => ({
    totals: target.totals,
    budgetOf: sqlite.prepare<[string], { budget_duration: string | null; created_at: number }>(
      `SELECT budget_duration, created_at FROM ${target.table} WHERE ${target.id} = ?`,
    ),
    update: sqlite.prepare(periodTotalUpdateSql(target)),
  }));
  return sqlite.transaction((rows: readonly SpendLogRow[], clock: BudgetClock) => {
    for (const row of rows) {
      // In COLUMNS order (the store suites read every column back).
      insert.run(
        row.request_id,
        row.call_type,
        row.api_key,
        row.team_id,
        row.organization_id,
        row.model,
        row.prompt_tokens,
        row.completion_tokens,
        row.total_tokens,
        row.spend,
        row.start_time,
        row.end_time,
        row.status,
        row.parent_request_id,
      );
    }
    const totals = spendTotals(rows);
    for (const target of targets) {
      for (const [id, spend] of totals[target.totals]) {
        const budget = target.budgetOf.get(id);
        if (budget === undefined) continue;
        const resetAt = clock.resetAt(budget.budget_duration, budget.created_at);
        target.update.run(clock.now, spend, spend, clock.now, resetAt, id);
      }
    }
  });
}

/** PostgreSQL's type of each column, for the arrays `insertAsColumnArrays` binds. */
const POSTGRES_TYPES: Readonly<Record<(typeof COLUMNS)[number], string>> = {
  request_id: 'text',
  call_type: 'text',
  api_key: 'text',
  team_id: 'text',
  organization_id: 'text',
  model: 'text',
  prompt_tokens: 'bigint',
  completion_tokens: 'bigint',
  total_tokens: 'bigint',
  spend: 'double precision',
  start_time: 'bigint',
  end_time: 'bigint',
  status: 'text',
  parent_request_id: 'text',
};

/**
 * PostgreSQL: the whole batch as one INSERT of 14 bound arrays (`SELECT * FROM unnest(...)`), not multi-row VALUES:
 * building 60-row INSERTs with Kysely was the proxy's share of the cost of a spend row (docs/benchmarks.md), and
 * the server plans one statement per batch instead of one per 60 rows.
 */
async function insertAsColumnArrays(trx: Kysely<StoreDatabase>, rows: readonly SpendLogRow[]): Promise<void> {
  const arrays = COLUMNS.map((column) => sql`${rows.map((row) => row[column])}::${sql.raw(POSTGRES_TYPES[column])}[]`);
  await sql`INSERT INTO spend_logs (${sql.join(COLUMNS.map((column) => sql.ref(column)))}) SELECT * FROM unnest(${sql.join(arrays)})`.execute(trx);
}
