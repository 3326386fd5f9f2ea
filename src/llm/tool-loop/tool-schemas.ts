/**
 * A tool's `inputSchema` as the loop uses it: normalised into a function's `parameters` (an object schema with
 * `type` and `properties`), and compiled once into an argument validator. Both are cached per schema object, so
 * a catalog's tools are prepared once per catalog refresh, not per request.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

export interface PreparedSchema {
  /** The schema offered to the model. */
  parameters: Record<string, unknown>;
  /** null when the schema does not compile (its upstream still validates). */
  validate: ValidateFunction | null;
}

export type ArgumentCheck = { ok: true; args: Record<string, unknown> } | { ok: false; message: string };

const OPTIONS = {
  allErrors: false,
  strict: false,
  // Upstream schemas may carry `$id`s that repeat across servers: never register them.
  addUsedSchema: false,
  validateSchema: false,
  logger: false,
} as const;

/** Adds `type: "object"` and `properties: {}` where a tool left them out (some models reject such schemas). */
export function normaliseInputSchema(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.type === 'object' && typeof schema.properties === 'object' && schema.properties !== null) return schema;
  return { ...schema, type: schema.type ?? 'object', properties: schema.properties ?? {} };
}

/** Parses the model's JSON arguments (empty text is `{}`) into an object; the message is written for the model. */
export function parseArguments(argumentsText: string): ArgumentCheck {
  let args: unknown;
  try {
    args = argumentsText.trim() === '' ? {} : JSON.parse(argumentsText);
  } catch (error) {
    return { ok: false, message: `The arguments are not valid JSON (${(error as Error).message}). Send a JSON object.` };
  }
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    return { ok: false, message: 'The arguments must be a JSON object.' };
  }
  return { ok: true, args: args as Record<string, unknown> };
}

/** Parses the model's JSON arguments and checks them; the message is written for the model to correct itself. */
export function checkArguments(prepared: PreparedSchema, argumentsText: string): ArgumentCheck {
  const parsed = parseArguments(argumentsText);
  const validate = prepared.validate;
  if (parsed.ok && validate && !validate(parsed.args)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
    return { ok: false, message: `The arguments do not match the tool's input schema: ${problems.join('; ')}.` };
  }
  return parsed;
}

export class ToolSchemas {
  private readonly draft07 = new Ajv(OPTIONS);
  private readonly draft2020 = new Ajv2020(OPTIONS);
  private readonly prepared = new WeakMap<object, PreparedSchema>();

  constructor() {
    // ajv-formats is CommonJS: under NodeNext its plugin is the module's `default`.
    formats.default(this.draft07);
    formats.default(this.draft2020);
  }

  prepare(inputSchema: Record<string, unknown>): PreparedSchema {
    let prepared = this.prepared.get(inputSchema);
    if (!prepared) {
      const parameters = normaliseInputSchema(inputSchema);
      prepared = { parameters, validate: this.compile(parameters) };
      this.prepared.set(inputSchema, prepared);
    }
    return prepared;
  }

  private compile(schema: Record<string, unknown>): ValidateFunction | null {
    const dialect = typeof schema.$schema === 'string' ? schema.$schema : '';
    try {
      return dialect.includes('2020-12') ? this.draft2020.compile(schema) : this.draft07.compile(withoutDialect(schema));
    } catch {
      return null;
    }
  }
}

/** Draft-07 validation of a schema that names another pre-2020 dialect (04, 06): its keywords mostly agree. */
function withoutDialect(schema: Record<string, unknown>): Record<string, unknown> {
  if (schema.$schema === undefined) return schema;
  const { $schema: _dialect, ...rest } = schema;
  return rest;
}
