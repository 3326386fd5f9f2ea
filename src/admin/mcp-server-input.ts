/**
 * Reads a `POST`/`PUT /v1/mcp/server` body (LiteLLM's `NewMCPServerRequest` / `UpdateMCPServerRequest` field
 * names, as the Terraform provider sends them) into typed fields, checking each field's type and naming it in
 * the 400. Only fields present in the body are returned, so an update changes exactly what it sends. `token_url`
 * is LiteLLM's top-level field; `credentials.token_url` (Gatehouse's earlier spelling) is read as it. Fields we
 * do not implement (`teams`, `tool_name_to_display_name`, …) and server-managed ones (`created_at`, `status`, …) are ignored.
 * What values mean together (URLs per transport, names, prices in `mcp_info`, …) is mcp/mcp-server-rules.ts's,
 * checked on the merged server by mcp-server-validation.ts.
 */
import { InvalidRequestError } from '../http/errors.js';
import { OAUTH2_FLOWS, type OAuth2Flow } from '../mcp/credentials/oauth2-flow.js';
import { MCP_AUTH_TYPES, MCP_TRANSPORTS, type McpAuthTypeName, type McpTransportName } from '../mcp/mcp-server-rules.js';
import type { StoredMcpCredentials, StoredMcpInfo } from '../store/mcp-servers-record.js';

export interface McpServerInput {
  server_id?: string;
  server_name?: string;
  alias?: string | null;
  description?: string | null;
  url?: string | null;
  transport?: McpTransportName;
  spec_version?: string | null;
  auth_type?: McpAuthTypeName | null;
  credentials?: StoredMcpCredentials | null;
  mcp_access_groups?: string[] | null;
  command?: string | null;
  args?: string[] | null;
  env?: Record<string, string> | null;
  mcp_info?: StoredMcpInfo | null;
  static_headers?: Record<string, string> | null;
  extra_headers?: string[] | null;
  allowed_tools?: string[] | null;
  disallowed_tools?: string[] | null;
  spec_path?: string | null;
  allow_all_keys?: boolean | null;
  available_on_public_internet?: boolean | null;
  authorization_url?: string | null;
  token_url?: string | null;
  registration_url?: string | null;
  oauth2_flow?: OAuth2Flow | null;
}

/** Fields where `""` means "none" (UI forms and Terraform send it for an unset string), as in config.yaml. */
const EMPTY_IS_NONE: ReadonlySet<string> = new Set(['alias', 'url', 'authorization_url', 'token_url', 'registration_url']);

type Reader<T> = (value: unknown, param: string) => T;

const text: Reader<string> = (value, param) => {
  if (typeof value !== 'string') throw invalid(param, 'must be a string');
  return value;
};
const nonEmptyText: Reader<string> = (value, param) => {
  const read = text(value, param);
  if (read.trim() === '') throw invalid(param, 'must not be empty');
  return read;
};
const textList: Reader<string[]> = (value, param) => {
  if (!Array.isArray(value)) throw invalid(param, 'must be a list of strings');
  return value.map((item, index) => text(item, `${param}[${index}]`));
};
const textMap: Reader<Record<string, string>> = (value, param) => {
  const object = record(value, param);
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(object)) out[key] = text(item, `${param}.${key}`);
  return out;
};
const oneOf =
  <T extends string>(allowed: readonly T[]): Reader<T> =>
  (value, param) => {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw invalid(param, `must be one of ${allowed.map((item) => `"${item}"`).join(', ')}`);
    }
    return value as T;
  };
const flag: Reader<boolean> = (value, param) => {
  if (typeof value !== 'boolean') throw invalid(param, 'must be true or false');
  return value;
};
const nullable =
  <T>(read: Reader<T>): Reader<T | null> =>
  (value, param) =>
    value === null ? null : read(value, param);

/** `token_url` is kept here only until parseMcpServerInput moves it to the top-level field. */
type CredentialsInput = StoredMcpCredentials & { token_url?: string };

const credentials: Reader<CredentialsInput> = (value, param) => {
  const object = record(value, param);
  const out: CredentialsInput = {};
  for (const key of ['auth_value', 'client_id', 'client_secret', 'token_url'] as const) {
    if (object[key] !== undefined && object[key] !== null) out[key] = text(object[key], `${param}.${key}`);
  }
  if (object.scopes !== undefined && object.scopes !== null) out.scopes = textList(object.scopes, `${param}.scopes`);
  return out;
};

/** Kept as sent; its keys' types and prices are checked with the other server rules. */
const mcpInfo: Reader<StoredMcpInfo> = (value, param) => record(value, param) as StoredMcpInfo;

const FIELDS: { [K in keyof McpServerInput]-?: Reader<McpServerInput[K]> } = {
  server_id: nonEmptyText,
  server_name: nonEmptyText,
  alias: nullable(text),
  description: nullable(text),
  url: nullable(text),
  transport: oneOf(MCP_TRANSPORTS),
  spec_version: nullable(text),
  auth_type: nullable(oneOf(MCP_AUTH_TYPES)),
  credentials: nullable(credentials),
  mcp_access_groups: nullable(textList),
  command: nullable(text),
  args: nullable(textList),
  env: nullable(textMap),
  mcp_info: nullable(mcpInfo),
  static_headers: nullable(textMap),
  extra_headers: nullable(textList),
  allowed_tools: nullable(textList),
  disallowed_tools: nullable(textList),
  spec_path: nullable(text),
  allow_all_keys: nullable(flag),
  available_on_public_internet: nullable(flag),
  authorization_url: nullable(text),
  token_url: nullable(text),
  registration_url: nullable(text),
  oauth2_flow: nullable(oneOf(OAUTH2_FLOWS)),
};

export function parseMcpServerInput(body: unknown): McpServerInput {
  const object = record(body ?? undefined, 'body');
  const input: Record<string, unknown> = {};
  for (const [field, read] of Object.entries(FIELDS) as [keyof McpServerInput, Reader<unknown>][]) {
    if (!(field in object) || object[field] === undefined) continue;
    const value = EMPTY_IS_NONE.has(field) && object[field] === '' ? null : object[field];
    input[field] = read(value, field);
  }
  return moveTokenUrl(input as McpServerInput);
}

/** `credentials.token_url` as the top-level `token_url`, which must agree with it when both are sent. */
function moveTokenUrl(input: McpServerInput): McpServerInput {
  const sent = input.credentials as CredentialsInput | null | undefined;
  if (sent?.token_url === undefined) return input;
  const { token_url: nested, ...credentials } = sent;
  const tokenUrl = nested === '' ? null : nested;
  if (input.token_url !== undefined && input.token_url !== tokenUrl) {
    throw invalid('token_url', 'differs from credentials.token_url; send one of them');
  }
  return { ...input, credentials, token_url: tokenUrl };
}

function record(value: unknown, param: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(param, 'must be a JSON object');
  return value as Record<string, unknown>;
}

function invalid(param: string, problem: string): InvalidRequestError {
  return new InvalidRequestError(`Invalid value for '${param}': ${problem}.`, { param: param === 'body' ? null : param });
}
