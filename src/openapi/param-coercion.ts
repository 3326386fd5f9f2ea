/**
 * Scalar parameter values sent as strings (`{"petId": "1"}`, as LiteLLM's Petstore example calls `getpetbyid`):
 * a path, query, header or cookie value is text on the wire, so a string whose number or boolean reads back as the
 * very same text is taken as that value for a parameter typed integer, number or boolean, before validation. The
 * request that goes out is the same either way; the body is never touched.
 */
import type { ToolInput } from './input-schema.js';

export type ScalarKind = 'integer' | 'number' | 'boolean';

export interface ScalarParam {
  property: string;
  /** In the order the schema lists them. */
  kinds: ScalarKind[];
}

const SCALAR_KINDS: readonly string[] = ['integer', 'number', 'boolean'];

/** The parameters (never the body) whose schema admits a number or boolean and not a string; computed once per tool. */
export function scalarParams(input: ToolInput): ScalarParam[] {
  const properties = (input.inputSchema.properties ?? {}) as Readonly<Record<string, { type?: unknown } | undefined>>;
  const scalars: ScalarParam[] = [];
  for (const { property } of input.params) {
    const type = properties[property]?.type;
    const types = Array.isArray(type) ? type : [type];
    if (types.includes('string')) continue;
    const kinds = types.filter((kind): kind is ScalarKind => typeof kind === 'string' && SCALAR_KINDS.includes(kind));
    if (kinds.length > 0) scalars.push({ property, kinds });
  }
  return scalars;
}

/** `args` with those string values read as numbers or booleans; `args` itself when nothing changes. */
export function coerceScalarStrings(args: Record<string, unknown>, scalars: readonly ScalarParam[]): Record<string, unknown> {
  let coerced = args;
  for (const { property, kinds } of scalars) {
    const value = args[property];
    if (typeof value !== 'string') continue;
    const read = readScalar(value, kinds);
    if (read === undefined) continue;
    if (coerced === args) coerced = { ...args };
    coerced[property] = read;
  }
  return coerced;
}

function readScalar(text: string, kinds: readonly ScalarKind[]): number | boolean | undefined {
  for (const kind of kinds) {
    if (kind === 'boolean') {
      if (text === 'true' || text === 'false') return text === 'true';
      continue;
    }
    const value = Number(text);
    // Only when the value prints back as the same text, so the serialised request cannot differ ("01", "1e3", "9007199254740993" stay strings).
    if (text.trim() === '' || String(value) !== text) continue;
    if (kind === 'number' || Number.isSafeInteger(value)) return value;
  }
  return undefined;
}
