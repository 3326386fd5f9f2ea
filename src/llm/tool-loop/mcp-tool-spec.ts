/**
 * Reads the `{type: "mcp", …}` entries of a request's `tools` (wire-formats §1.1) into `McpToolSpec`s, checked
 * with one ajv schema compiled at load. A malformed entry is a 400 naming the field (`tools[2].require_approval`).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { InvalidRequestError } from '../../http/errors.js';
import type { ApprovalPolicy, McpToolSpec, ToolFilter } from './loop-types.js';

/** One mcp entry and where it stood in `tools`. */
export interface McpToolEntry {
  index: number;
  spec: McpToolSpec;
}

const FILTER = {
  type: 'object',
  additionalProperties: false,
  properties: { tool_names: { type: 'array', items: { type: 'string' } }, read_only: { type: 'boolean' } },
} as const;

const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

const MCP_TOOL_SCHEMA = {
  type: 'object',
  required: ['type', 'server_label'],
  properties: {
    type: { const: 'mcp' },
    server_label: { type: 'string', minLength: 1 },
    server_url: { type: 'string', minLength: 1 },
    headers: nullable({ type: 'object', additionalProperties: { type: 'string' } }),
    authorization: nullable({ type: 'string' }),
    allowed_tools: nullable({ anyOf: [{ type: 'array', items: { type: 'string' } }, FILTER] }),
    require_approval: nullable({
      anyOf: [
        { enum: ['always', 'never'] },
        { type: 'object', additionalProperties: false, properties: { always: FILTER, never: FILTER } },
      ],
    }),
    server_description: nullable({ type: 'string' }),
  },
} as const;

/** What each field accepts, for the 400 message. */
const FIELD_HINTS: Readonly<Record<string, string>> = {
  server_label: 'must be a non-empty string',
  server_url: 'must be a non-empty string: "litellm_proxy", "litellm_proxy/mcp/<server>[,<server>…]" or an http(s) URL',
  headers: 'must be an object of string values',
  authorization: 'must be a string',
  allowed_tools: 'must be a list of tool names or {tool_names?: string[], read_only?: boolean}',
  require_approval:
    'must be "always", "never" or {always?: {tool_names?, read_only?}, never?: {tool_names?, read_only?}}',
  server_description: 'must be a string',
};

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validateMcpTool = ajv.compile(MCP_TOOL_SCHEMA);

export function isMcpTool(tool: unknown): boolean {
  return typeof tool === 'object' && tool !== null && (tool as { type?: unknown }).type === 'mcp';
}

/** Every mcp entry of `tools`, validated; throws 400 naming the first bad field. */
export function parseMcpToolSpecs(tools: readonly unknown[]): McpToolEntry[] {
  const entries: McpToolEntry[] = [];
  const labels = new Map<string, number>();
  tools.forEach((tool, index) => {
    if (!isMcpTool(tool)) return;
    const spec = parseOne(tool as Record<string, unknown>, `tools[${index}]`);
    const earlier = labels.get(spec.serverLabel);
    if (earlier !== undefined) {
      throw new InvalidRequestError(
        `tools[${index}].server_label "${spec.serverLabel}" is already used by tools[${earlier}]; each mcp tool needs its own server_label.`,
        { param: `tools[${index}].server_label` },
      );
    }
    labels.set(spec.serverLabel, index);
    entries.push({ index, spec });
  });
  return entries;
}

function parseOne(tool: Record<string, unknown>, path: string): McpToolSpec {
  if (!validateMcpTool(tool)) throw fieldError(validateMcpTool.errors ?? [], path);
  if (typeof tool.server_url !== 'string') {
    const other = ['connector_id', 'tunnel_id'].find((key) => tool[key] !== undefined && tool[key] !== null);
    throw new InvalidRequestError(
      other
        ? `${path}.${other} is not supported by this proxy; give server_url instead.`
        : `Missing required parameter: '${path}.server_url'.`,
      { param: `${path}.${other ?? 'server_url'}` },
    );
  }
  const spec: McpToolSpec = {
    serverLabel: tool.server_label as string,
    serverUrl: tool.server_url.trim(),
    headers: (tool.headers as Record<string, string> | null | undefined) ?? {},
    // Omitted or null: every call needs approval, as OpenAI does.
    requireApproval: approvalPolicy(tool.require_approval),
  };
  if (typeof tool.authorization === 'string') spec.authorization = tool.authorization;
  const allowed = allowedTools(tool.allowed_tools);
  if (allowed) spec.allowedTools = allowed;
  if (typeof tool.server_description === 'string') spec.serverDescription = tool.server_description;
  return spec;
}

function approvalPolicy(value: unknown): ApprovalPolicy {
  if (value === 'never') return { mode: 'never' };
  if (value === undefined || value === null || value === 'always') return { mode: 'always' };
  const { always, never } = value as { always?: unknown; never?: unknown };
  const policy: ApprovalPolicy = { mode: 'filter' };
  if (always) policy.always = toFilter(always);
  if (never) policy.never = toFilter(never);
  return policy;
}

function allowedTools(value: unknown): ToolFilter | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return { toolNames: value as string[] };
  return toFilter(value);
}

function toFilter(value: unknown): ToolFilter {
  const { tool_names: toolNames, read_only: readOnly } = value as { tool_names?: string[]; read_only?: boolean };
  const filter: ToolFilter = {};
  if (toolNames !== undefined) filter.toolNames = toolNames;
  if (readOnly !== undefined) filter.readOnly = readOnly;
  return filter;
}

function fieldError(errors: readonly ErrorObject[], path: string): InvalidRequestError {
  const error = errors[0];
  const field =
    error?.keyword === 'required' && error.instancePath === ''
      ? String(error.params.missingProperty)
      : (error?.instancePath.split('/')[1] ?? '');
  if (error?.keyword === 'required' && error.instancePath === '') {
    return new InvalidRequestError(`Missing required parameter: '${path}.${field}'.`, { param: `${path}.${field}` });
  }
  const param = field === '' ? path : `${path}.${field}`;
  const hint = FIELD_HINTS[field] ?? error?.message ?? 'is invalid';
  return new InvalidRequestError(`Invalid value for '${param}': ${hint}.`, { param });
}
