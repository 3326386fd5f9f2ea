/**
 * The virtual-keys repository over SQL (SQLite or PostgreSQL). Every write bumps the `keys` change topic in its
 * own transaction, so other replicas learn that cached keys are stale (change-feed.ts). The auth hot path reads a
 * key with its team and organisation in one LEFT JOIN query (getWithTeamAndOrganization).
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { bumpChange } from './change-feed.js';
import { decodeFlag, encodeFlag, type StoreDialect } from './dialect.js';
import { decodeEntityFields, encodeEntityFields, encodeEntityPatch } from './keys-permission-fields.js';
import type { KeyPatch, KeyRecord, KeysRepository, KeyWithTeamAndOrganization, KeyWrite } from './keys-record.js';
import { writeOrTaken } from './keys-write-transaction.js';
import { decodeOrganizationRow } from './organizations-repository.js';
import { decodeRateLimits, encodeRateLimitPatch, encodeRateLimits } from './rate-limit-fields.js';
import type { OrganizationsTable, StoreDatabase, TeamsTable, VirtualKeysTable } from './schema.js';
import { decodeTeamRow } from './teams-repository.js';

export function createKeysRepository(db: Kysely<StoreDatabase>, dialect: StoreDialect): KeysRepository {
  const toRecord = (row: Selectable<VirtualKeysTable>) => decodeKeyRow(dialect, row);
  const teamExists = async (trx: Kysely<StoreDatabase>, teamId: string | null | undefined) =>
    teamId === null || teamId === undefined || (await trx.selectFrom('teams').select('team_id').where('team_id', '=', teamId).executeTakeFirst()) !== undefined;

  const writing = (work: (trx: Kysely<StoreDatabase>) => Promise<KeyWrite>) => writeOrTaken<KeyWrite>(db, { kind: 'alias_taken' }, work);

  return {
    create: (record) =>
      writing(async (trx) => {
        if (!(await teamExists(trx, record.team_id))) return { kind: 'team_missing' };
        await trx.insertInto('virtual_keys').values(encodeKey(record)).execute();
        await bumpChange(trx, 'keys');
        return { kind: 'ok', key: record };
      }),

    async get(token) {
      const row = await db.selectFrom('virtual_keys').selectAll().where('token', '=', token).executeTakeFirst();
      return row === undefined ? null : toRecord(row);
    },

    async getWithTeamAndOrganization(token) {
      const row = await db
        .selectFrom('virtual_keys as k')
        .leftJoin('teams as t', 't.team_id', 'k.team_id')
        .leftJoin('organizations as o', 'o.organization_id', 't.organization_id')
        .selectAll('k')
        .select(aliasedColumns('t', TEAM_COLUMNS))
        .select(aliasedColumns('o', ORGANIZATION_COLUMNS))
        .where('k.token', '=', token)
        .executeTakeFirst();
      return row === undefined ? null : decodeJoinedRow(dialect, row);
    },

    async getByAlias(alias) {
      const row = await db.selectFrom('virtual_keys').selectAll().where('key_alias', '=', alias).executeTakeFirst();
      return row === undefined ? null : toRecord(row);
    },

    update: (token, patch, now) =>
      writing(async (trx) => {
        if (!(await teamExists(trx, patch.team_id))) return { kind: 'team_missing' };
        const result = await trx.updateTable('virtual_keys').set(encodePatch(patch, now)).where('token', '=', token).executeTakeFirst();
        if (result.numUpdatedRows === 0n) return { kind: 'not_found' };
        await bumpChange(trx, 'keys');
        const row = await trx.selectFrom('virtual_keys').selectAll().where('token', '=', token).executeTakeFirstOrThrow();
        return { kind: 'ok', key: toRecord(row) };
      }),

    async delete(tokens) {
      if (tokens.length === 0) return [];
      return db.transaction().execute(async (trx) => {
        const rows = await trx.deleteFrom('virtual_keys').where('token', 'in', [...tokens]).returning('token').execute();
        if (rows.length > 0) await bumpChange(trx, 'keys');
        return rows.map((row) => row.token);
      });
    },

    async list(query) {
      let select = db.selectFrom('virtual_keys');
      if (query.team_id !== undefined) select = select.where('team_id', '=', query.team_id);
      if (query.key_alias !== undefined) select = select.where('key_alias', '=', query.key_alias);
      if (query.user_id !== undefined) select = select.where('user_id', '=', query.user_id);
      const [rows, count] = await Promise.all([
        select
          .selectAll()
          .orderBy('created_at', 'asc')
          .orderBy('token', 'asc')
          .limit(query.size)
          .offset((query.page - 1) * query.size)
          .execute(),
        select.select((eb) => eb.fn.countAll<number | string>().as('total')).executeTakeFirstOrThrow(),
      ]);
      return { keys: rows.map(toRecord), total: Number(count.total) };
    },
  };
}

function encodeKey(record: KeyRecord): Insertable<VirtualKeysTable> {
  return {
    token: record.token,
    key_name: record.key_name,
    key_alias: record.key_alias,
    ...encodeEntityFields(record),
    expires: record.expires,
    team_id: record.team_id,
    user_id: record.user_id,
    blocked: encodeFlag(record.blocked),
    created_at: record.created_at,
    updated_at: record.updated_at,
    ...encodeRateLimits(record),
  };
}

function encodePatch(patch: KeyPatch, now: number): Updateable<VirtualKeysTable> {
  return {
    ...encodeEntityPatch(patch),
    // Set by `/…/update` as the spend of the current period; spend-log batches add to it (period-totals.ts).
    ...(patch.spend !== undefined ? { spend: patch.spend } : {}),
    ...(patch.key_alias !== undefined ? { key_alias: patch.key_alias } : {}),
    ...(patch.expires !== undefined ? { expires: patch.expires } : {}),
    ...(patch.team_id !== undefined ? { team_id: patch.team_id } : {}),
    ...(patch.user_id !== undefined ? { user_id: patch.user_id } : {}),
    ...(patch.blocked !== undefined ? { blocked: encodeFlag(patch.blocked) } : {}),
    ...encodeRateLimitPatch(patch),
    updated_at: now,
  };
}

function decodeKeyRow(dialect: StoreDialect, row: Selectable<VirtualKeysTable>): KeyRecord {
  const where = `virtual_keys[${row.key_name}]`;
  return {
    token: row.token,
    key_name: row.key_name,
    key_alias: row.key_alias,
    ...decodeEntityFields(dialect, row, where),
    expires: row.expires,
    team_id: row.team_id,
    user_id: row.user_id,
    blocked: decodeFlag(row.blocked),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...decodeRateLimits(row),
  };
}

/** Every column of a table, checked complete by the compiler: a column added to the schema must be added here. */
function columnsOf<Table>(columns: Record<keyof Table & string, true>): (keyof Table & string)[] {
  return Object.keys(columns) as (keyof Table & string)[];
}

const TEAM_COLUMNS = columnsOf<TeamsTable>({
  team_id: true,
  team_alias: true,
  organization_id: true,
  models: true,
  max_budget: true,
  spend: true,
  metadata: true,
  object_permission: true,
  blocked: true,
  created_at: true,
  updated_at: true,
  budget_duration: true,
  budget_reset_at: true,
  rpm_limit: true,
  tpm_limit: true,
  max_parallel_requests: true,
});

const ORGANIZATION_COLUMNS = columnsOf<OrganizationsTable>({
  organization_id: true,
  organization_alias: true,
  models: true,
  max_budget: true,
  spend: true,
  metadata: true,
  object_permission: true,
  created_at: true,
  updated_at: true,
  budget_duration: true,
  budget_reset_at: true,
});

/** `t.models as t_models`, …: the three tables share column names (models, spend, …), so joined ones are prefixed. */
function aliasedColumns<Alias extends string, Column extends string>(alias: Alias, columns: readonly Column[]) {
  return columns.map((column) => `${alias}.${column} as ${alias}_${column}` as const);
}

/**
 * The joined table's row with its own column names, or null when the LEFT JOIN matched nothing (its primary key,
 * NOT NULL in the table, reads null).
 */
function unaliasedRow<Table>(
  row: Record<string, unknown>,
  alias: string,
  columns: readonly (keyof Table & string)[],
  primaryKey: keyof Table & string,
): Selectable<Table> | null {
  if (row[`${alias}_${primaryKey}`] === null) return null;
  // Every column was selected from this table and the row matched, so each value has its table's type.
  return Object.fromEntries(columns.map((column) => [column, row[`${alias}_${column}`]])) as Selectable<Table>;
}

function decodeJoinedRow(dialect: StoreDialect, row: Selectable<VirtualKeysTable> & Record<string, unknown>): KeyWithTeamAndOrganization {
  const team = unaliasedRow<TeamsTable>(row, 't', TEAM_COLUMNS, 'team_id');
  const organization = unaliasedRow<OrganizationsTable>(row, 'o', ORGANIZATION_COLUMNS, 'organization_id');
  return {
    key: decodeKeyRow(dialect, row),
    team: team === null ? null : decodeTeamRow(dialect, team),
    organization: organization === null ? null : decodeOrganizationRow(dialect, organization),
  };
}
