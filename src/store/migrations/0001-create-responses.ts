/** Stored Responses API objects (issue #4). */
import type { Migration } from 'kysely';
import { jsonColumnType, type StoreDialect } from '../dialect.js';

export function createResponsesMigration(dialect: StoreDialect): Migration {
  const json = jsonColumnType(dialect);
  return {
    async up(db) {
      await db.schema
        .createTable('responses')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('created_at', 'bigint', (column) => column.notNull())
        .addColumn('model', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('previous_response_id', 'text')
        .addColumn('instructions', json)
        .addColumn('input_items', json, (column) => column.notNull())
        .addColumn('output_items', json, (column) => column.notNull())
        .addColumn('response', json, (column) => column.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('store', 'integer', (column) => column.notNull())
        .execute();
    },
    async down(db) {
      await db.schema.dropTable('responses').execute();
    },
  };
}
