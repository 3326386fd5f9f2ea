/**
 * The operations of a dereferenced Swagger 2.0 / OpenAPI 3.x document in one shape: merged path- and
 * operation-level parameters with their serialisation style, the request body and media type chosen, the
 * security requirements that apply. Swagger 2's `body`/`formData` parameters and `collectionFormat` are mapped
 * to their OpenAPI 3 equivalents here, so nothing downstream knows which version the spec was.
 */

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];
export type ParamLocation = 'path' | 'query' | 'header' | 'cookie';

export interface OperationParam {
  name: string;
  in: ParamLocation;
  required: boolean;
  description?: string;
  /** The dereferenced OpenAPI schema (may be cyclic). */
  schema: unknown;
  /** OpenAPI 3 style (`form`, `simple`, `spaceDelimited`, `pipeDelimited`, `deepObject`, …; `tabDelimited` from Swagger 2's tsv). */
  style: string;
  explode: boolean;
  allowReserved: boolean;
}

export interface OperationBody {
  required: boolean;
  /** The media type requests are sent with. */
  contentType: string;
  schema: unknown;
  description?: string;
}

/** One alternative of a security requirement: every named scheme must be satisfied. */
export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  method: HttpMethod;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  params: OperationParam[];
  body?: OperationBody;
  /** Alternatives (OR); an empty list or an empty alternative means no auth is needed. */
  security: SecurityRequirement[];
}

type Obj = Record<string, unknown>;

/** Every operation of the document, in document order. */
export function listOperations(document: Obj): Operation[] {
  const swagger2 = typeof document.swagger === 'string';
  const paths = asObj(document.paths);
  const globalSecurity = asArray(document.security) as SecurityRequirement[];
  const globalConsumes = asArray(document.consumes).filter((value): value is string => typeof value === 'string');
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const pathItem = asObj(item);
    const shared = asArray(pathItem.parameters).map(asObj);
    // Document order, so tools are listed as the spec lists its operations.
    for (const [key, raw] of Object.entries(pathItem)) {
      const method = key.toLowerCase() as HttpMethod;
      if (!HTTP_METHODS.includes(method) || raw === null || typeof raw !== 'object') continue;
      const op = raw as Obj;
      const merged = mergeParameters(shared, asArray(op.parameters).map(asObj));
      const consumes = asArray(op.consumes).filter((value): value is string => typeof value === 'string');
      operations.push({
        method,
        path,
        operationId: typeof op.operationId === 'string' ? op.operationId : undefined,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
        description: typeof op.description === 'string' ? op.description : undefined,
        tags: asArray(op.tags).filter((tag): tag is string => typeof tag === 'string'),
        params: merged.filter((param) => isLocation(param.in)).map((param) => (swagger2 ? swagger2Param(param) : oas3Param(param))),
        body: swagger2 ? swagger2Body(merged, consumes.length > 0 ? consumes : globalConsumes) : oas3Body(asObj(op.requestBody)),
        security: (Array.isArray(op.security) ? op.security : globalSecurity) as SecurityRequirement[],
      });
    }
  }
  return operations;
}

/** Operation-level parameters override path-level ones with the same (name, in). */
function mergeParameters(shared: Obj[], own: Obj[]): Obj[] {
  const key = (param: Obj): string => `${String(param.in)}\u0000${String(param.name)}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((param) => !ownKeys.has(key(param))), ...own];
}

function isLocation(value: unknown): value is ParamLocation {
  return value === 'path' || value === 'query' || value === 'header' || value === 'cookie';
}

function oas3Param(param: Obj): OperationParam {
  const location = param.in as ParamLocation;
  const style = typeof param.style === 'string' ? param.style : location === 'query' || location === 'cookie' ? 'form' : 'simple';
  let schema: unknown = param.schema;
  if (schema === undefined && param.content !== undefined) {
    // `content` instead of `schema`: one media type, its schema describes the value (sent as JSON text).
    const media = Object.values(asObj(param.content))[0];
    schema = asObj(media).schema;
  }
  return {
    name: String(param.name),
    in: location,
    required: location === 'path' || param.required === true,
    description: typeof param.description === 'string' ? param.description : undefined,
    schema: schema ?? {},
    style,
    explode: typeof param.explode === 'boolean' ? param.explode : style === 'form',
    allowReserved: param.allowReserved === true,
  };
}

/** Swagger 2 keeps the schema keywords on the parameter itself. */
const SWAGGER2_SCHEMA_KEYS = [
  'type', 'format', 'items', 'default', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength',
  'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'enum', 'multipleOf',
];

function swagger2Schema(source: Obj): Obj {
  const schema: Obj = {};
  for (const key of SWAGGER2_SCHEMA_KEYS) if (source[key] !== undefined) schema[key] = source[key];
  if (schema.type === 'file') {
    schema.type = 'string';
    schema.format = 'binary';
  }
  if (schema.items !== undefined) schema.items = swagger2Schema(asObj(schema.items));
  return schema;
}

function swagger2Param(param: Obj): OperationParam {
  const location = param.in as ParamLocation;
  const format = typeof param.collectionFormat === 'string' ? param.collectionFormat : 'csv';
  const styles: Record<string, { style: string; explode: boolean }> = {
    csv: { style: location === 'query' || location === 'cookie' ? 'form' : 'simple', explode: false },
    ssv: { style: 'spaceDelimited', explode: false },
    tsv: { style: 'tabDelimited', explode: false },
    pipes: { style: 'pipeDelimited', explode: false },
    multi: { style: 'form', explode: true },
  };
  const { style, explode } = styles[format] ?? styles.csv;
  return {
    name: String(param.name),
    in: location,
    required: location === 'path' || param.required === true,
    description: typeof param.description === 'string' ? param.description : undefined,
    schema: swagger2Schema(param),
    style,
    explode,
    allowReserved: false,
  };
}

function swagger2Body(params: Obj[], consumes: string[]): OperationBody | undefined {
  const body = params.find((param) => param.in === 'body');
  if (body) {
    return {
      required: body.required === true,
      contentType: consumes.find(isJsonMedia) ?? consumes[0] ?? 'application/json',
      schema: body.schema ?? {},
      description: typeof body.description === 'string' ? body.description : undefined,
    };
  }
  const fields = params.filter((param) => param.in === 'formData');
  if (fields.length === 0) return undefined;
  const properties: Obj = {};
  for (const field of fields) {
    const schema = swagger2Schema(field);
    if (typeof field.description === 'string') schema.description = field.description;
    properties[String(field.name)] = schema;
  }
  const required = fields.filter((field) => field.required === true).map((field) => String(field.name));
  const multipart = consumes.includes('multipart/form-data') || fields.some((field) => field.type === 'file');
  return {
    required: required.length > 0,
    contentType: multipart ? 'multipart/form-data' : 'application/x-www-form-urlencoded',
    schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
  };
}

/** Which of a request body's media types we send, best first. */
const MEDIA_PREFERENCE: ((type: string) => boolean)[] = [
  isJsonMedia,
  (type) => type === 'application/x-www-form-urlencoded',
  (type) => type === 'multipart/form-data',
  (type) => type.startsWith('text/'),
  (type) => type === 'application/octet-stream',
];

function oas3Body(requestBody: Obj): OperationBody | undefined {
  const content = asObj(requestBody.content);
  const types = Object.keys(content);
  if (types.length === 0) return undefined;
  const lowered = types.map((type) => type.toLowerCase());
  let chosen = types[0];
  for (const prefers of MEDIA_PREFERENCE) {
    const index = lowered.findIndex(prefers);
    if (index !== -1) {
      chosen = types[index];
      break;
    }
  }
  return {
    required: requestBody.required === true,
    contentType: chosen,
    schema: asObj(content[chosen]).schema ?? {},
    description: typeof requestBody.description === 'string' ? requestBody.description : undefined,
  };
}

export function isJsonMedia(type: string): boolean {
  const base = type.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === '*/*';
}

function asObj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
