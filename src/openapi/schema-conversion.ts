/**
 * A dereferenced OpenAPI schema as plain JSON Schema a tool can carry: OAS-only keywords dropped, 3.0's
 * `nullable` and boolean `exclusiveMinimum/Maximum` rewritten, and cycles (a dereferenced circular `$ref` is a
 * cyclic object graph) turned back into `$ref: "#/$defs/…"` so the result serialises and ajv can compile it.
 */

export type JsonSchema = Record<string, unknown>;

/** Keywords OpenAPI adds to JSON Schema that mean nothing to a validator or a model. */
const OAS_ONLY = new Set(['discriminator', 'xml', 'externalDocs', 'example', 'nullable', 'x-nullable']);

/** Converts schemas of one document; cyclic members become shared `$defs`, collected across calls. */
export class SchemaConverter {
  private readonly defNames = new Map<object, string>();
  private readonly defs: Record<string, JsonSchema> = {};
  private recursive: Set<object> | undefined;

  /** `root` may be any (possibly cyclic) schema object of the dereferenced document. */
  convert(root: unknown): JsonSchema {
    this.recursive = findRecursive(root);
    return this.walk(root);
  }

  /** The `$defs` every converted schema so far refers to (empty when nothing was circular). */
  definitions(): Record<string, JsonSchema> {
    return this.defs;
  }

  private walk(node: unknown): JsonSchema {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return {};
    if (this.recursive?.has(node)) return { $ref: `#/$defs/${this.define(node)}` };
    return this.plain(node as Record<string, unknown>);
  }

  private define(node: object): string {
    let name = this.defNames.get(node);
    if (name !== undefined) return name;
    const title = (node as { title?: unknown }).title;
    const base = typeof title === 'string' && /^[A-Za-z0-9_.-]{1,60}$/.test(title) ? title : 'Schema';
    name = base;
    for (let n = 2; Object.hasOwn(this.defs, name); n++) name = `${base}_${n}`;
    this.defNames.set(node, name);
    this.defs[name] = {}; // reserved before walking, so a self-reference finds it
    this.defs[name] = this.plain(node as Record<string, unknown>);
    return name;
  }

  private plain(schema: Record<string, unknown>): JsonSchema {
    const out: JsonSchema = {};
    for (const [key, value] of Object.entries(schema)) {
      if (OAS_ONLY.has(key) || key.startsWith('x-')) continue;
      out[key] = this.keyword(key, value);
    }
    if (schema.nullable === true || schema['x-nullable'] === true) makeNullable(out);
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (typeof out[flag] === 'boolean') {
        if (out[flag] === true && typeof out[bound] === 'number') {
          out[flag] = out[bound];
          delete out[bound];
        } else {
          delete out[flag];
        }
      }
    }
    if (schema.example !== undefined && out.examples === undefined) {
      out.examples = [schema.example];
    }
    return out;
  }

  private keyword(key: string, value: unknown): unknown {
    switch (key) {
      case 'properties':
      case 'patternProperties':
      case '$defs':
      case 'definitions':
      case 'dependentSchemas':
        return mapValues(value, (member) => this.walk(member));
      case 'items':
        return Array.isArray(value) ? value.map((member) => this.walk(member)) : typeof value === 'boolean' ? value : this.walk(value);
      case 'additionalProperties':
      case 'unevaluatedProperties':
      case 'additionalItems':
      case 'contains':
      case 'propertyNames':
      case 'not':
      case 'if':
      case 'then':
      case 'else':
        return typeof value === 'boolean' ? value : this.walk(value);
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
      case 'prefixItems':
        return Array.isArray(value) ? value.map((member) => this.walk(member)) : value;
      default:
        return value;
    }
  }
}

/** Objects reached again while already on the path from the root: the entry points of cycles. */
function findRecursive(root: unknown): Set<object> {
  const recursive = new Set<object>();
  const onPath = new Set<object>();
  const done = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (onPath.has(node)) {
      recursive.add(node);
      return;
    }
    if (done.has(node)) return;
    onPath.add(node);
    for (const value of Object.values(node)) visit(value);
    onPath.delete(node);
    done.add(node);
  };
  visit(root);
  return recursive;
}

function makeNullable(schema: JsonSchema): void {
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as unknown[]), 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
}

function mapValues(value: unknown, fn: (member: unknown) => unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) out[key] = fn(member);
  return out;
}
