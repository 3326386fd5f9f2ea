/**
 * Narrowing of request JSON that the route schema leaves open (input items, tools), with errors that name the
 * field at fault the way OpenAI does (`param: "input[2].call_id"`).
 */
import { InvalidRequestError } from '../../http/errors.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function missing(param: string): InvalidRequestError {
  return new InvalidRequestError(`Missing required parameter: '${param}'.`, { param });
}

export function invalid(param: string, detail: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid value for '${param}': ${detail}.`, { param });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function wrongType(param: string, expected: string, value: unknown): InvalidRequestError {
  return new InvalidRequestError(`Invalid type for '${param}': expected ${expected}, but got ${describe(value)} instead.`, {
    param,
  });
}

export function readObject(value: unknown, param: string): JsonObject {
  if (!isObject(value)) throw wrongType(param, 'an object', value);
  return value;
}

export function readString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (value === undefined) throw missing(`${path}.${key}`);
  if (typeof value !== 'string') throw wrongType(`${path}.${key}`, 'a string', value);
  return value;
}

/** `undefined` when absent or null. */
export function readOptionalString(object: JsonObject, key: string, path: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(`${path}.${key}`, 'a string', value);
  return value;
}

export function readBoolean(object: JsonObject, key: string, path: string): boolean {
  const value = object[key];
  if (value === undefined) throw missing(`${path}.${key}`);
  if (typeof value !== 'boolean') throw wrongType(`${path}.${key}`, 'a boolean', value);
  return value;
}

export function readArray(object: JsonObject, key: string, path: string): unknown[] {
  const value = object[key];
  if (value === undefined) throw missing(`${path}.${key}`);
  if (!Array.isArray(value)) throw wrongType(`${path}.${key}`, 'an array', value);
  return value;
}

/** One of `allowed`, or `fallback` when absent. */
export function readEnum<T extends string>(object: JsonObject, key: string, path: string, allowed: readonly T[], fallback?: T): T {
  const value = object[key];
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (value === undefined) throw missing(`${path}.${key}`);
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(`${path}.${key}`, `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
}
