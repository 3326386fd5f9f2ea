/**
 * An operation's tool `inputSchema`: each path, query, header and cookie parameter as a top-level property
 * (names that clash across locations keep the bare name for the first of path > query > header > cookie, the
 * others are written `<in>_<name>`), and the request body as `body` with its full schema. The bindings say
 * which property fills which part of the HTTP request.
 */
import type { Operation, OperationParam } from './operations.js';
import { SchemaConverter, type JsonSchema } from './schema-conversion.js';

export interface ParamBinding {
  property: string;
  param: OperationParam;
}

export interface ToolInput {
  inputSchema: JsonSchema & { type: 'object' };
  params: ParamBinding[];
  /** The property carrying the request body, when the operation has one. */
  bodyProperty?: string;
}

const LOCATION_ORDER = ['path', 'query', 'header', 'cookie'] as const;
/** OpenAPI 3: header parameters with these names "SHALL be ignored" (the request sets them itself). */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);
export const BODY_PROPERTY = 'body';

export function buildToolInput(operation: Operation): ToolInput {
  const converter = new SchemaConverter();
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const params: ParamBinding[] = [];
  const usable = operation.params.filter((param) => !(param.in === 'header' && IGNORED_HEADERS.has(param.name.toLowerCase())));
  const ordered = LOCATION_ORDER.flatMap((location) => usable.filter((param) => param.in === location));
  const taken = new Set<string>([BODY_PROPERTY]);
  for (const param of ordered) {
    let property = param.name;
    if (taken.has(property)) property = `${param.in}_${param.name}`;
    for (let n = 2; taken.has(property); n++) property = `${param.in}_${param.name}_${n}`;
    taken.add(property);
    const schema = converter.convert(param.schema);
    const described = param.description && schema.description === undefined ? { ...schema, description: param.description } : schema;
    properties[property] = described;
    if (param.required) required.push(property);
    params.push({ property, param });
  }
  let bodyProperty: string | undefined;
  if (operation.body) {
    bodyProperty = BODY_PROPERTY;
    const schema = converter.convert(operation.body.schema);
    const note = `Request body, sent as ${operation.body.contentType}.`;
    const description = [operation.body.description, schema.description, note].filter((part) => typeof part === 'string' && part !== '');
    properties[bodyProperty] = { ...schema, description: description.join(' ') };
    if (operation.body.required) required.push(bodyProperty);
  }
  const defs = converter.definitions();
  const inputSchema: ToolInput['inputSchema'] = {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    ...(Object.keys(defs).length > 0 ? { $defs: defs } : {}),
  };
  return { inputSchema, params, bodyProperty };
}
