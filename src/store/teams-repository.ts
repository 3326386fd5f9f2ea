/**
 * The teams repository over SQL. Deleting a team deletes its keys in the same transaction: a key left behind
 * would lose the team's limits. Writes bump the `teams` (and `keys`) change topics.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { bumpChange } from './change-feed.js';
import { decodeFlag, encodeFlag, type StoreDialect } from './dialect.js';
import { decodeEntityFields, encodeEntityFields, encodeEntityPatch } from './keys-permission-fields.js';
import { writeOrTaken } from './keys-write-transaction.js';
import { decodeRateLimits, encodeRateLimitPatch, encodeRateLimits } from './rate-limit-fields.js';
import type { StoreDatabase, TeamsTable } from './schema.js';
import type { TeamPatch, TeamRecord, TeamsRepository, TeamWrite } from './teams-record.js';

export function createTeamsRepository(db: Kysely<StoreDatabase>, dialect: StoreDialect): TeamsRepository {
  const toRecord = (row: Selectable<TeamsTable>) => decodeTeamRow(dialect, row);
  const organizationExists = async (trx: Kysely<StoreDatabase>, id: string | null | undefined) =>
    id === null ||
    id === undefined ||
    (await trx.selectFrom('organizations').select('organization_id').where('organization_id', '=', id).executeTakeFirst()) !== undefined;
  const writing = (work: (trx: Kysely<StoreDatabase>) => Promise<TeamWrite>) => writeOrTaken<TeamWrite>(db, { kind: 'id_taken' }, work);

  return {
    create: (record) =>
      writing(async (trx) => {
        if (!(await organizationExists(trx, record.organization_id))) return { kind: 'organization_missing' };
        await trx.insertInto('teams').values(encodeTeam(record)).execute();
        await bumpChange(trx, 'teams');
        return { kind: 'ok', team: record };
      }),

    async get(teamId) {
      const row = await db.selectFrom('teams').selectAll().where('team_id', '=', teamId).executeTakeFirst();
      return row === undefined ? null : toRecord(row);
    },

    update: (teamId, patch, now) =>
      writing(async (trx) => {
        if (!(await organizationExists(trx, patch.organization_id))) return { kind: 'organization_missing' };
        const result = await trx.updateTable('teams').set(encodePatch(patch, now)).where('team_id', '=', teamId).executeTakeFirst();
        if (result.numUpdatedRows === 0n) return { kind: 'not_found' };
        await bumpChange(trx, 'teams');
        return { kind: 'ok', team: toRecord(await trx.selectFrom('teams').selectAll().where('team_id', '=', teamId).executeTakeFirstOrThrow()) };
      }),

    async delete(teamIds) {
      if (teamIds.length === 0) return { teams: [], keys: 0 };
      return db.transaction().execute(async (trx) => {
        const teams = await trx.deleteFrom('teams').where('team_id', 'in', [...teamIds]).returning('team_id').execute();
        if (teams.length === 0) return { teams: [], keys: 0 };
        const ids = teams.map((row) => row.team_id);
        const keys = await trx.deleteFrom('virtual_keys').where('team_id', 'in', ids).executeTakeFirst();
        await bumpChange(trx, 'teams');
        await bumpChange(trx, 'keys');
        return { teams: ids, keys: Number(keys.numDeletedRows) };
      });
    },

    async list(query) {
      let select = db.selectFrom('teams').selectAll();
      if (query.organization_id !== undefined) select = select.where('organization_id', '=', query.organization_id);
      const rows = await select.orderBy('created_at', 'asc').orderBy('team_id', 'asc').execute();
      return rows.map(toRecord);
    },
  };
}

function encodeTeam(record: TeamRecord): Insertable<TeamsTable> {
  return {
    team_id: record.team_id,
    team_alias: record.team_alias,
    organization_id: record.organization_id,
    ...encodeEntityFields(record),
    ...encodeRateLimits(record),
    blocked: encodeFlag(record.blocked),
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

function encodePatch(patch: TeamPatch, now: number): Updateable<TeamsTable> {
  return {
    ...(patch.team_alias !== undefined ? { team_alias: patch.team_alias } : {}),
    ...(patch.organization_id !== undefined ? { organization_id: patch.organization_id } : {}),
    ...encodeEntityPatch(patch),
    ...encodeRateLimitPatch(patch),
    ...(patch.blocked !== undefined ? { blocked: encodeFlag(patch.blocked) } : {}),
    updated_at: now,
  };
}

export function decodeTeamRow(dialect: StoreDialect, row: Selectable<TeamsTable>): TeamRecord {
  const where = `teams[${row.team_id}]`;
  return {
    team_id: row.team_id,
    team_alias: row.team_alias,
    organization_id: row.organization_id,
    ...decodeEntityFields(dialect, row, where),
    blocked: decodeFlag(row.blocked),
    created_at: row.created_at,
    updated_at: row.updated_at,
    ...decodeRateLimits(row),
  };
}
