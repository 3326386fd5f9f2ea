/**
 * Every difference between the SQLite and PostgreSQL stores that the schema or the repositories see, kept here.
 * Timestamps are integer epoch milliseconds and flags are integers 0/1 on both, so only JSON differs.
 */
import type { ColumnType } from 'kysely';
import { InternalError } from '../http/errors.js';

export type StoreDialect = 'sqlite' | 'postgres';

/**
 * A JSON column: written as JSON text, read back parsed (PostgreSQL's driver parses `json`) or as text (SQLite).
 * Read it with `decodeJson`.
 */
export type JsonColumn = ColumnType<unknown, string, string>;
export type NullableJsonColumn = ColumnType<unknown, string | null, string | null>;

/**
 * PostgreSQL gets `json`, not `jsonb`: we never query inside these payloads, `json` keeps the text exactly as
 * written, and `jsonb` rejects `\u0000`, which a tool output may legitimately contain.
 */
export function jsonColumnType(dialect: StoreDialect): 'json' | 'text' {
  return dialect === 'postgres' ? 'json' : 'text';
}

export function encodeJson(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new InternalError('store: cannot encode a value that has no JSON form');
  return text;
}

/** Reads a JSON column; `column` names it in the error if the stored text is not JSON. */
export function decodeJson(dialect: StoreDialect, value: unknown, column: string): unknown {
  if (dialect === 'postgres' || value === null) return value;
  if (typeof value !== 'string') throw new InternalError(`store: column ${column} holds ${typeof value}, not JSON text`);
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new InternalError(`store: column ${column} holds malformed JSON`, { cause: error });
  }
}

export function encodeFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function decodeFlag(value: number): boolean {
  return value !== 0;
}
