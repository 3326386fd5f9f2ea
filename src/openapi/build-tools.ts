/**
 * A loaded spec → the server's tool set: one MCP tool per operation (filtered by `allowed_tags`), named per
 * tool-names.ts and renamed/re-described by the server's override maps, `readOnlyHint` for GET/HEAD/OPTIONS,
 * and an ajv validator compiled once per tool. The fingerprint tells a refresh whether the tools changed.
 */
import { createHash } from 'node:crypto';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { resolveBaseUrl } from './base-url.js';
import { buildToolInput, type ToolInput } from './input-schema.js';
import { listOperations, type Operation } from './operations.js';
import { scalarParams, type ScalarParam } from './param-coercion.js';
import { baseToolName, uniqueNames } from './tool-names.js';

export interface OpenApiToolSettings {
  /** The server name, for messages. */
  server: string;
  /** The configured `url`: overrides the spec's servers. */
  baseUrl?: string;
  allowedTags?: readonly string[];
  /** Keyed by generated tool name or operationId; see `resolveOverrides` for the precedence. */
  displayNames: Readonly<Record<string, string>>;
  descriptions: Readonly<Record<string, string>>;
}

export interface OpenApiTool {
  tool: Tool;
  operation: Operation;
  input: ToolInput;
  /** Parameters whose string values are read as numbers or booleans before validation (param-coercion.ts). */
  scalars: ScalarParam[];
  /** null only for a schema ajv cannot compile (the call then goes out unchecked). */
  validate: ValidateFunction | null;
}

export interface OpenApiToolSet {
  tools: OpenApiTool[];
  byName: ReadonlyMap<string, OpenApiTool>;
  baseUrl: URL;
  securitySchemes: Readonly<Record<string, unknown>>;
  fingerprint: string;
  title?: string;
}

const READ_ONLY = new Set(['get', 'head', 'options']);

export function buildToolSet(document: Record<string, unknown>, specUrl: string | undefined, settings: OpenApiToolSettings): OpenApiToolSet {
  const baseUrl = resolveBaseUrl(document, { override: settings.baseUrl, specUrl, server: settings.server });
  const tags = settings.allowedTags?.map((tag) => tag.toLowerCase());
  const operations = listOperations(document).filter(
    (operation) => tags === undefined || operation.tags.some((tag) => tags.includes(tag.toLowerCase())),
  );
  const generated = uniqueNames(operations.map(baseToolName));
  const displayNames = resolveOverrides(settings.displayNames, generated, operations);
  const descriptions = resolveOverrides(settings.descriptions, generated, operations);
  const names = uniqueNames(generated.map((name, index) => displayNames[index] ?? name));
  const ajv = new Ajv2020({ allErrors: true, strict: false, addUsedSchema: false, validateSchema: false, logger: false });
  formats.default(ajv);
  const tools = operations.map((operation, index): OpenApiTool => {
    const input = buildToolInput(operation);
    const tool: Tool = {
      name: names[index],
      description: descriptions[index] ?? describeOperation(operation),
      inputSchema: input.inputSchema,
      annotations: {
        readOnlyHint: READ_ONLY.has(operation.method),
        destructiveHint: operation.method === 'delete',
        idempotentHint: operation.method !== 'post' && operation.method !== 'patch',
        openWorldHint: true,
      },
    };
    if (operation.summary !== undefined) tool.title = operation.summary;
    return { tool, operation, input, scalars: scalarParams(input), validate: compile(ajv, input.inputSchema) };
  });
  const components = document.components as { securitySchemes?: Record<string, unknown> } | undefined;
  const securitySchemes = components?.securitySchemes ?? (document.securityDefinitions as Record<string, unknown> | undefined) ?? {};
  const info = document.info as { title?: unknown } | undefined;
  return {
    tools,
    byName: new Map(tools.map((entry) => [entry.tool.name, entry])),
    baseUrl,
    securitySchemes,
    fingerprint: createHash('sha256').update(JSON.stringify(tools.map((entry) => entry.tool))).digest('base64url'),
    title: typeof info?.title === 'string' ? info.title : undefined,
  };
}

/**
 * Each tool's entry in an override map. A key names the tool whose generated name it equals (`getpetbyid`), else
 * whose operationId it equals as the spec writes it (`getPetById`, `pets.get`), else whose generated name it
 * equals ignoring case (`GetPetByID`, `get_Todos_id`), so keys written for names that kept the spec's case still
 * apply. When several keys name one tool, the closer kind of match wins, then the first key.
 */
function resolveOverrides(map: Readonly<Record<string, string>>, generated: readonly string[], operations: readonly Operation[]): (string | undefined)[] {
  const byName = new Map(generated.map((name, index) => [name, index]));
  const byId = new Map<string, number>();
  operations.forEach((operation, index) => {
    if (operation.operationId !== undefined && !byId.has(operation.operationId)) byId.set(operation.operationId, index);
  });
  const found: { rank: number; value: string }[] = [];
  for (const [key, value] of Object.entries(map)) {
    const hits = [byName.get(key), byId.get(key), byName.get(key.toLowerCase())];
    const rank = hits.findIndex((index) => index !== undefined);
    if (rank === -1) continue;
    const index = hits[rank] as number;
    if (found[index] === undefined || rank < found[index].rank) found[index] = { rank, value };
  }
  return generated.map((_, index) => found[index]?.value);
}

function describeOperation(operation: Operation): string {
  const parts = [operation.summary, operation.description].filter((part): part is string => part !== undefined && part.trim() !== '');
  if (parts.length === 2 && parts[1].startsWith(parts[0].replace(/\.$/, ''))) parts.shift();
  return parts.length > 0 ? parts.join('\n\n') : `${operation.method.toUpperCase()} ${operation.path}`;
}

function compile(ajv: Ajv2020, schema: Record<string, unknown>): ValidateFunction | null {
  try {
    return ajv.compile(schema);
  } catch {
    return null;
  }
}
