/**
 * Virtual keys, teams and organisations (issue #6). Keys are stored by the sha256 of their `sk-…` token only.
 * No foreign keys: the repositories keep references consistent inside their transactions, the same on both
 * databases.
 */
import type { Migration } from 'kysely';
import { jsonColumnType, type StoreDialect } from '../dialect.js';

export function createKeysTeamsOrgsMigration(dialect: StoreDialect): Migration {
  const json = jsonColumnType(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('organizations')
        .addColumn('organization_id', 'text', (column) => column.primaryKey())
        .addColumn('organization_alias', 'text')
        .addColumn('models', json, (column) => column.notNull())
        .addColumn('max_budget', 'double precision')
        .addColumn('spend', 'double precision', (column) => column.notNull())
        .addColumn('metadata', json, (column) => column.notNull())
        .addColumn('object_permission', json)
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('teams')
        .addColumn('team_id', 'text', (column) => column.primaryKey())
        .addColumn('team_alias', 'text')
        .addColumn('organization_id', 'text')
        .addColumn('models', json, (column) => column.notNull())
        .addColumn('max_budget', 'double precision')
        .addColumn('spend', 'double precision', (column) => column.notNull())
        .addColumn('metadata', json, (column) => column.notNull())
        .addColumn('object_permission', json)
        .addColumn('blocked', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('teams_organization_id').on('teams').column('organization_id').execute();
      await db.schema
        .createTable('virtual_keys')
        // sha256 hex of the `sk-…` token; the token itself is never stored.
        .addColumn('token', 'text', (column) => column.primaryKey())
        .addColumn('key_name', 'text', (column) => column.notNull())
        .addColumn('key_alias', 'text', (column) => column.unique())
        .addColumn('models', json, (column) => column.notNull())
        .addColumn('max_budget', 'double precision')
        .addColumn('spend', 'double precision', (column) => column.notNull())
        .addColumn('expires', 'bigint')
        .addColumn('metadata', json, (column) => column.notNull())
        .addColumn('team_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('object_permission', json)
        .addColumn('blocked', 'integer', (column) => column.notNull())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('updated_at', 'bigint', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('virtual_keys_team_id').on('virtual_keys').column('team_id').execute();
    },
    async down(db) {
      await db.schema.dropTable('virtual_keys').execute();
      await db.schema.dropTable('teams').execute();
      await db.schema.dropTable('organizations').execute();
    },
  };
}
