/**
 * Tool names for operations, as LiteLLM names them: `operationId`, else `<method>_<path>`; characters outside
 * `[A-Za-z0-9_-]` become `_`, lower-cased (`getPetById` is `getpetbyid`, the name LiteLLM's docs call), cut to 128,
 * and a name already taken gets `_2`, `_3`… in document order (LiteLLM's collision rule), so the same spec always
 * yields the same names. Unlike LiteLLM, braces are dropped and `_` runs and edges tidied (`get_todos_id`, not
 * `get__todos__id_`); operationIds such as `getPetById` come out the same.
 */
import { SEP986_NAME } from '../mcp/names.js';
import type { Operation } from './operations.js';

const MAX = 128;

export function baseToolName(operation: Pick<Operation, 'operationId' | 'method' | 'path'>): string {
  const raw = operation.operationId ?? `${operation.method}_${operation.path}`;
  let name = raw
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '') name = operation.method;
  return name.toLowerCase().slice(0, MAX);
}

/** Assigns unique names in order; `wanted` are base names (already SEP-986). */
export function uniqueNames(wanted: readonly string[]): string[] {
  const taken = new Set<string>();
  return wanted.map((base) => {
    let name = base;
    for (let n = 2; taken.has(name); n++) {
      const suffix = `_${n}`;
      name = base.slice(0, MAX - suffix.length) + suffix;
    }
    taken.add(name);
    return name;
  });
}

/** Why `name` cannot be a tool display name, or undefined. */
export function toolNameProblem(name: string): string | undefined {
  return SEP986_NAME.test(name) ? undefined : 'must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)';
}
