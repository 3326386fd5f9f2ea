/**
 * The organisations repository over SQL. An organisation with teams cannot be deleted: its teams (and their
 * keys) would lose the organisation's limits. Writes bump the `organizations` change topic.
 */
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import { bumpChange } from './change-feed.js';
import type { StoreDialect } from './dialect.js';
import { decodeEntityFields, encodeEntityFields, encodeEntityPatch } from './keys-permission-fields.js';
import { writeOrTaken } from './keys-write-transaction.js';
import type {
  OrganizationPatch,
  OrganizationRecord,
  OrganizationsRepository,
  OrganizationWrite,
} from './organizations-record.js';
import type { OrganizationsTable, StoreDatabase } from './schema.js';

export function createOrganizationsRepository(db: Kysely<StoreDatabase>, dialect: StoreDialect): OrganizationsRepository {
  const toRecord = (row: Selectable<OrganizationsTable>) => decodeOrganizationRow(dialect, row);
  const writing = (work: (trx: Kysely<StoreDatabase>) => Promise<OrganizationWrite>) =>
    writeOrTaken<OrganizationWrite>(db, { kind: 'id_taken' }, work);

  return {
    create: (record) =>
      writing(async (trx) => {
        await trx.insertInto('organizations').values(encodeOrganization(record)).execute();
        await bumpChange(trx, 'organizations');
        return { kind: 'ok', organization: record };
      }),

    async get(organizationId) {
      const row = await db.selectFrom('organizations').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
      return row === undefined ? null : toRecord(row);
    },

    update: (organizationId, patch, now) =>
      writing(async (trx) => {
        const result = await trx
          .updateTable('organizations')
          .set(encodePatch(patch, now))
          .where('organization_id', '=', organizationId)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return { kind: 'not_found' };
        await bumpChange(trx, 'organizations');
        const row = await trx.selectFrom('organizations').selectAll().where('organization_id', '=', organizationId).executeTakeFirstOrThrow();
        return { kind: 'ok', organization: toRecord(row) };
      }),

    async delete(organizationIds) {
      if (organizationIds.length === 0) return { kind: 'ok', deleted: [] };
      return db.transaction().execute(async (trx) => {
        const withTeams = await trx
          .selectFrom('teams')
          .select(['organization_id', (eb) => eb.fn.countAll<number | string>().as('teams')])
          .where('organization_id', 'in', [...organizationIds])
          .groupBy('organization_id')
          .executeTakeFirst();
        if (withTeams !== undefined && withTeams.organization_id !== null) {
          return { kind: 'has_teams' as const, organizationId: withTeams.organization_id, teams: Number(withTeams.teams) };
        }
        const rows = await trx.deleteFrom('organizations').where('organization_id', 'in', [...organizationIds]).returning('organization_id').execute();
        if (rows.length > 0) await bumpChange(trx, 'organizations');
        return { kind: 'ok' as const, deleted: rows.map((row) => row.organization_id) };
      });
    },

    async list() {
      const rows = await db.selectFrom('organizations').selectAll().orderBy('created_at', 'asc').orderBy('organization_id', 'asc').execute();
      return rows.map(toRecord);
    },
  };
}

function encodeOrganization(record: OrganizationRecord): Insertable<OrganizationsTable> {
  return {
    organization_id: record.organization_id,
    organization_alias: record.organization_alias,
    ...encodeEntityFields(record),
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

function encodePatch(patch: OrganizationPatch, now: number): Updateable<OrganizationsTable> {
  return {
    ...(patch.organization_alias !== undefined ? { organization_alias: patch.organization_alias } : {}),
    ...encodeEntityPatch(patch),
    // Set by `/…/update` as the spend of the current period; spend-log batches add to it (period-totals.ts).
    ...(patch.spend !== undefined ? { spend: patch.spend } : {}),
    updated_at: now,
  };
}

export function decodeOrganizationRow(dialect: StoreDialect, row: Selectable<OrganizationsTable>): OrganizationRecord {
  const where = `organizations[${row.organization_id}]`;
  return {
    organization_id: row.organization_id,
    organization_alias: row.organization_alias,
    ...decodeEntityFields(dialect, row, where),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
