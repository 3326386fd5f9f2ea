/**
 * The spend-logs repository over SQL. A batch is one transaction: its rows, then one `spend = spend + x` per key,
 * team and organisation it touches (summed in process first, so a batch of 500 rows for one key is one UPDATE).
 * Spend updates bump no change topic: cached keys keep their limits, and budgets count spend elsewhere.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { SpendLogsTable, StoreDatabase } from './schema.js';
import type { SpendLogQuery, SpendLogRow, SpendLogsRepository } from './spend-logs-record.js';

/** Rows per INSERT statement: 14 columns × 60 stays under SQLite's 999 bound parameters of older builds. */
const INSERT_CHUNK = 60;

export function createSpendLogsRepository(db: Kysely<StoreDatabase>): SpendLogsRepository {
  return {
    async insertBatch(rows) {
      if (rows.length === 0) return;
      const keys = new Map<string, number>();
      const teams = new Map<string, number>();
      const organizations = new Map<string, number>();
      const add = (totals: Map<string, number>, id: string | null, spend: number) => {
        if (id !== null && id !== '') totals.set(id, (totals.get(id) ?? 0) + spend);
      };
      for (const row of rows) {
        if (row.spend === 0) continue;
        add(keys, row.api_key, row.spend);
        add(teams, row.team_id, row.spend);
        add(organizations, row.organization_id, row.spend);
      }
      await db.transaction().execute(async (trx) => {
        for (let at = 0; at < rows.length; at += INSERT_CHUNK) {
          await trx.insertInto('spend_logs').values(rows.slice(at, at + INSERT_CHUNK)).execute();
        }
        for (const [token, spend] of keys) {
          await trx.updateTable('virtual_keys').set({ spend: sql<number>`spend + ${spend}` }).where('token', '=', token).execute();
        }
        for (const [teamId, spend] of teams) {
          await trx.updateTable('teams').set({ spend: sql<number>`spend + ${spend}` }).where('team_id', '=', teamId).execute();
        }
        for (const [organizationId, spend] of organizations) {
          await trx
            .updateTable('organizations')
            .set({ spend: sql<number>`spend + ${spend}` })
            .where('organization_id', '=', organizationId)
            .execute();
        }
      });
    },

    async list(query) {
      let select = db.selectFrom('spend_logs').selectAll();
      if (query.api_key !== undefined) select = select.where('api_key', '=', query.api_key);
      if (query.request_id !== undefined) select = select.where('request_id', '=', query.request_id);
      if (query.team_id !== undefined) select = select.where('team_id', '=', query.team_id);
      if (query.start_time_from !== undefined) select = select.where('start_time', '>=', query.start_time_from);
      if (query.start_time_before !== undefined) select = select.where('start_time', '<', query.start_time_before);
      const rows = await select.orderBy('start_time', 'desc').orderBy('request_id', 'asc').limit(query.limit).execute();
      return rows.map(decodeRow);
    },
  };
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
