/**
 * The responses repository over SQL (SQLite or PostgreSQL). A chain is read in one recursive query, newest
 * link first, bounded by the chain length limit.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ResponseInputItem, ResponseStatus } from 'openai/resources/responses/responses';
import { InternalError } from '../http/errors.js';
import { decodeFlag, decodeJson, encodeFlag, encodeJson, type StoreDialect } from './dialect.js';
import { chainItems, pageInputItems } from './responses-pages.js';
import type {
  InputItemsPage,
  InputItemsQuery,
  OpenAIResponsePayloads,
  ResponseChain,
  ResponsePayloads,
  ResponsesRepository,
  StoredResponse,
} from './responses-record.js';
import type { ResponsesTable, StoreDatabase } from './schema.js';

const RESPONSE_STATUSES: ReadonlySet<string> = new Set<ResponseStatus>([
  'completed',
  'failed',
  'in_progress',
  'cancelled',
  'queued',
  'incomplete',
]);

export function createResponsesRepository<P extends ResponsePayloads = OpenAIResponsePayloads>(
  db: Kysely<StoreDatabase>,
  dialect: StoreDialect,
  settings: { maxChainLength: number },
): ResponsesRepository<P> {
  const toRecord = (row: Selectable<ResponsesTable>): StoredResponse<P> => decodeRow<P>(dialect, row);

  return {
    async save(record) {
      const row = encodeRecord(record);
      const { id: _id, ...updatable } = row;
      await db
        .insertInto('responses')
        .values(row)
        .onConflict((conflict) => conflict.column('id').doUpdateSet(updatable))
        .execute();
    },

    async get(id) {
      const row = await db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : toRecord(row);
    },

    async delete(id) {
      const result = await db.deleteFrom('responses').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async inputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage<P> | null> {
      const row = await db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : pageInputItems(toRecord(row), query);
    },

    async chain(id, options = {}): Promise<ResponseChain<P>> {
      const maxLength = options.maxLength ?? settings.maxChainLength;
      const rows = await db
        .withRecursive('chain(id, previous_response_id, depth)', (start) =>
          start
            .selectFrom('responses')
            .select(['responses.id', 'responses.previous_response_id', sql<number>`0`.as('depth')])
            .where('responses.id', '=', id)
            .unionAll((step) =>
              step
                .selectFrom('responses')
                .innerJoin('chain', 'chain.previous_response_id', 'responses.id')
                .select(['responses.id', 'responses.previous_response_id', sql<number>`chain.depth + 1`.as('depth')])
                // One row past the limit tells "too long" apart from "exactly maxLength".
                .where('chain.depth', '<', maxLength),
            ),
        )
        .selectFrom('chain')
        .innerJoin('responses', 'responses.id', 'chain.id')
        .selectAll('responses')
        .orderBy('chain.depth', 'desc')
        .execute();
      if (rows.length > maxLength) return { kind: 'too_long', maxLength };
      const oldest = rows[0];
      if (oldest === undefined) return { kind: 'missing', missingId: id };
      if (oldest.previous_response_id !== null) return { kind: 'missing', missingId: oldest.previous_response_id };
      const responses = rows.map(toRecord);
      return { kind: 'found', responses, items: chainItems(responses) };
    },
  };
}

function encodeRecord<P extends ResponsePayloads>(record: StoredResponse<P>): Insertable<ResponsesTable> & { id: string } {
  return {
    id: record.id,
    created_at: record.createdAt,
    model: record.model,
    status: record.status,
    previous_response_id: record.previousResponseId,
    instructions: record.instructions === null ? null : encodeJson(record.instructions),
    input_items: encodeJson(record.inputItems),
    output_items: encodeJson(record.outputItems),
    response: encodeJson(record.response),
    owner_id: record.ownerId,
    store: encodeFlag(record.store),
  };
}

/** Rows were written by `save`, so their JSON is trusted to have the recorded shapes; only the outline is checked. */
function decodeRow<P extends ResponsePayloads>(dialect: StoreDialect, row: Selectable<ResponsesTable>): StoredResponse<P> {
  const where = `responses[${row.id}]`;
  const inputItems = decodeJson(dialect, row.input_items, `${where}.input_items`);
  const outputItems = decodeJson(dialect, row.output_items, `${where}.output_items`);
  const response = decodeJson(dialect, row.response, `${where}.response`);
  const instructions = decodeJson(dialect, row.instructions, `${where}.instructions`);
  if (!Array.isArray(inputItems) || !Array.isArray(outputItems)) {
    throw new InternalError(`store: ${where} has item columns that are not arrays`);
  }
  if (typeof response !== 'object' || response === null) throw new InternalError(`store: ${where}.response is not an object`);
  if (!RESPONSE_STATUSES.has(row.status)) throw new InternalError(`store: ${where} has unknown status '${row.status}'`);
  if (instructions !== null && typeof instructions !== 'string' && !Array.isArray(instructions)) {
    throw new InternalError(`store: ${where}.instructions is neither text nor items`);
  }
  return {
    id: row.id,
    createdAt: row.created_at,
    model: row.model,
    status: row.status as ResponseStatus,
    previousResponseId: row.previous_response_id,
    instructions: instructions as string | ResponseInputItem[] | null,
    inputItems: inputItems as P['inputItem'][],
    outputItems: outputItems as P['outputItem'][],
    response: response as P['response'],
    ownerId: row.owner_id,
    store: decodeFlag(row.store),
  };
}
