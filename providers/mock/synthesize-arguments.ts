/**
 * Builds tool-call arguments from a function's JSON Schema and the user's words, so the mock's calls are
 * plausible and schema-valid. Required properties first, then optional ones the words (or a default) supply.
 */
import type { FunctionParameters } from 'openai/resources/shared';
import { synthesizeNumber } from './synthesize-number.js';
import { synthesizeString } from './synthesize-string.js';
import { UserValues, textAfterToolName } from './user-values.js';
import { contentTokens, wordSpans } from './words.js';

type Schema = { [key: string]: unknown };

/** Nesting beyond this is cut off; real tool schemas are far shallower. */
const MAX_DEPTH = 16;

interface Context {
  values: UserValues;
  /** Every token of the user text, stop words included. */
  userTokens: ReadonlySet<string>;
}

function asSchema(value: unknown): Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {};
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string');
    return types.find((t) => t !== 'null') ?? types[0];
  }
  if ('properties' in schema) return 'object';
  if ('items' in schema) return 'array';
  return undefined;
}

/** Whether every meaningful token of `phrase` occurs in the user text. */
function mentions(phrase: string, context: Context): boolean {
  const tokens = contentTokens(phrase);
  if (tokens.size === 0) return false;
  for (const token of tokens) if (!context.userTokens.has(token)) return false;
  return true;
}

function synthesizeArray(schema: Schema, name: string, context: Context, depth: number): unknown[] {
  const count = typeof schema.minItems === 'number' && schema.minItems > 0 ? schema.minItems : 0;
  const items: unknown[] = [];
  for (let i = 0; i < count; i++) {
    // Tuple form (`items: [...]` / `prefixItems`) gives each position its own schema.
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
    const itemSchema = tuple ? asSchema(tuple[i] ?? tuple[tuple.length - 1]) : asSchema(schema.items);
    items.push(synthesizeValue(itemSchema, name, true, context, depth + 1));
  }
  return items;
}

function synthesizeObject(schema: Schema, context: Context, depth: number): Record<string, unknown> {
  const properties = asSchema(schema.properties);
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : [];
  const requiredSet = new Set(required);
  const declared = Object.keys(properties);
  const order = [
    ...declared.filter((name) => requiredSet.has(name)),
    ...required.filter((name) => !(name in properties)),
    ...declared.filter((name) => !requiredSet.has(name)),
  ];
  const result: Record<string, unknown> = {};
  for (const name of order) {
    const value = synthesizeValue(asSchema(properties[name]), name, requiredSet.has(name), context, depth + 1);
    if (value !== undefined) result[name] = value;
  }
  return result;
}

/** The value for one schema; undefined means "omit" (only ever for optional properties). */
function synthesizeValue(schema: Schema, name: string, required: boolean, context: Context, depth: number): unknown {
  if (depth > MAX_DEPTH) return required ? null : undefined;
  if ('const' in schema) return schema.const;
  if ('default' in schema) return schema.default;
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches && branches.length > 0) return synthesizeValue(asSchema(branches[0]), name, required, context, depth + 1);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    // A value the user named beats the first one ("in fahrenheit" → "fahrenheit").
    const named = schema.enum.find((option) => typeof option === 'string' && mentions(option, context));
    if (named !== undefined) return named;
    return required ? schema.enum[0] : undefined;
  }
  switch (typeOf(schema)) {
    case 'number':
    case 'integer':
      return synthesizeNumber(schema, typeOf(schema) === 'integer', required, context.values);
    case 'boolean':
      if (mentions(name, context)) return true;
      return required ? false : undefined;
    case 'array':
      return required ? synthesizeArray(schema, name, context, depth) : undefined;
    case 'object':
      return required ? synthesizeObject(schema, context, depth) : undefined;
    case 'null':
      return required ? null : undefined;
    default:
      return synthesizeString(schema, required, context.values);
  }
}

/** Arguments for calling `toolName` with `parameters`, derived from `userText` alone (deterministic). */
export function synthesizeArguments(
  parameters: FunctionParameters | undefined,
  userText: string,
  toolName: string,
): Record<string, unknown> {
  const context: Context = {
    values: new UserValues(userText, textAfterToolName(userText, toolName)),
    userTokens: new Set(wordSpans(userText).flatMap((span) => span.tokens)),
  };
  return synthesizeObject(asSchema(parameters), context, 0);
}
