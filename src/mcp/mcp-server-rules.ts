/**
 * The one set of rules an MCP server definition must pass, whether it comes from `mcp_servers:` in config.yaml
 * (mcp/config-server-rules.ts, called by the config loader) or from `POST`/`PUT /v1/mcp/server`
 * (admin/mcp-server-validation.ts). Each path reads its own shape into a McpServerDraft and reports violations
 * its own way (a YAML path in a ConfigError, a 400 naming the param); the rules and their wording live only here.
 * The type of each single field (string, list, map) is checked before: by ajv for config, by the admin body reader.
 */
import { ALL_MCP_SERVERS } from '../auth/permissions.js';
import { toolNameProblem } from '../openapi/tool-names.js';
import { oauth2FlowOf, type OAuth2Flow } from './credentials/oauth2-flow.js';
import { SEP986_NAME, serverNameProblem, serverPrefix } from './names.js';
import type { McpTransportKind, UpstreamAuthType } from './server-definition.js';

export const MCP_TRANSPORTS = ['http', 'streamable_http', 'sse', 'stdio'] as const;
export type McpTransportName = (typeof MCP_TRANSPORTS)[number];

/** LiteLLM's auth types, plus the Terraform resource's `bearer` (read as `bearer_token`). */
export const MCP_AUTH_TYPES = ['none', 'bearer', 'api_key', 'bearer_token', 'basic', 'authorization', 'token', 'oauth2'] as const;
export type McpAuthTypeName = (typeof MCP_AUTH_TYPES)[number];

/** The transport a server is declared with; a `spec_path` makes an http/sse one an OpenAPI server. */
export type DeclaredTransport = 'http' | 'sse' | 'stdio';

/** LiteLLM reserves these ids for its "every server" selections (key grants, `x-mcp-servers`). */
const RESERVED_NAMES: ReadonlySet<string> = new Set([ALL_MCP_SERVERS, 'all-team-mcpservers']);

/** RFC 9110 `token`: what undici accepts as a header name. */
const HTTP_HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE_BREAK = /[\r\n\0]/;
const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Rule fields, named as the admin API (LiteLLM's `NewMCPServerRequest`) names them; config.yaml maps a few. */
export type McpServerField =
  | 'server_id'
  | 'server_name'
  | 'alias'
  | 'url'
  | 'command'
  | 'args'
  | 'env'
  | 'spec_path'
  | 'auth_type'
  | 'credentials.client_id'
  | 'credentials.client_secret'
  | 'token_url'
  | 'authorization_url'
  | 'registration_url'
  | 'static_headers'
  | 'extra_headers'
  | 'mcp_access_groups'
  | 'mcp_info'
  | 'tool_name_to_display_name';

export interface McpServerViolation {
  field: McpServerField;
  /** Where inside the field (`[2]`, `.X-Key`, `.mcp_server_cost_info.default_cost_per_query`); '' for the field itself. */
  at: string;
  /** Reads after the field's name: `is required for transport stdio`. Never holds a header or env value. */
  message: string;
  /** The name or alias belongs to another server (the admin API answers `mcp_server_exists`). */
  conflict: boolean;
}

/** A server definition as written, in the shape both paths read theirs into (an empty `alias` or `url` read as unset). */
export interface McpServerDraft {
  /** Admin API only; a config server's id is its name. */
  id?: string;
  name: string;
  alias?: string;
  transport: DeclaredTransport;
  url?: string;
  command?: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  authType: UpstreamAuthType;
  clientId?: string;
  clientSecret?: string;
  tokenUrl?: string;
  /** oauth2 interactive flow: the upstream's endpoints. */
  authorizationUrl?: string;
  registrationUrl?: string;
  /** LiteLLM's `oauth2_flow` as written. */
  oauth2Flow?: string;
  specPath?: string;
  staticHeaders: Readonly<Record<string, string>>;
  extraHeaders: readonly string[];
  accessGroups: readonly string[];
  /** `mcp_info`, unchecked as yet. */
  info?: unknown;
  /** `tool_name_to_display_name` (config only). */
  displayNames?: Readonly<Record<string, string>>;
}

export interface NamedServer {
  id: string;
  name: string;
  alias?: string;
}

export interface McpServerRulesContext {
  /** The tool name separator: no server's name or alias may be another's followed by it (`a` and `a-b`). */
  separator: string;
  /** The servers already defined; the one with the draft's id (an update) is skipped. */
  others: Iterable<NamedServer>;
  /** Credential fields whose `os.environ/` variable is unset: not missing, calls fail later naming the variable. */
  deferred?: ReadonlySet<McpServerField>;
}

/** `streamable_http` is LiteLLM's other spelling of `http`; unset: stdio when there is a command, else http. */
export function declaredTransportOf(written: string | null | undefined, command: string | null | undefined): DeclaredTransport {
  if (written === 'sse' || written === 'stdio') return written;
  if (written === 'http' || written === 'streamable_http') return 'http';
  return command ? 'stdio' : 'http';
}

/** As LiteLLM: a `spec_path` turns an http/sse server into an OpenAPI-backed one (its url is the API's base URL). */
export function servedTransportOf(declared: DeclaredTransport, specPath: string | null | undefined): McpTransportKind {
  return specPath !== undefined && specPath !== null && declared !== 'stdio' ? 'openapi' : declared;
}

/** The Terraform resource says `bearer`; LiteLLM says `bearer_token`. Unset means `none`. */
export function authTypeOf(written: string | null | undefined): UpstreamAuthType {
  if (written === null || written === undefined || written === 'none') return 'none';
  if (written === 'bearer') return 'bearer_token';
  return written as UpstreamAuthType;
}

type Report = (field: McpServerField, message: string, at?: string) => void;

/** Every rule the draft breaks, in a stable order (the admin API reports the first). */
export function mcpServerViolations(draft: McpServerDraft, context: McpServerRulesContext): McpServerViolation[] {
  const found: McpServerViolation[] = [];
  const report: Report = (field, message, at = '') => found.push({ field, at, message, conflict: false });
  checkNames(draft, report);
  checkTransport(draft, report);
  checkAuth(draft, context.deferred ?? new Set(), report);
  checkHeaders(draft, report);
  checkAccessGroups(draft.accessGroups, report);
  checkInfo(draft.info, report);
  for (const [tool, display] of Object.entries(draft.displayNames ?? {})) {
    const problem = toolNameProblem(display);
    if (problem) report('tool_name_to_display_name', problem, `.${tool}`);
  }
  for (const taken of takenNames(draft, context.others)) found.push({ ...taken, at: '', conflict: true });
  for (const nested of nestedNames(draft, context.others, context.separator)) found.push({ ...nested, at: '', conflict: false });
  return found;
}

function checkNames(draft: McpServerDraft, report: Report): void {
  if (draft.id !== undefined && !SEP986_NAME.test(draft.id)) report('server_id', 'must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)');
  const names: [McpServerField, string | undefined][] = [
    ['server_name', draft.name],
    ['alias', draft.alias],
  ];
  for (const [field, value] of names) {
    const problem = value === undefined ? undefined : serverNameProblem(value);
    if (problem) report(field, problem);
  }
  for (const [field, value] of [['server_id', draft.id] as [McpServerField, string | undefined], ...names]) {
    if (value !== undefined && RESERVED_NAMES.has(value.toLowerCase())) report(field, `is reserved: "${value}" selects every server`);
  }
}

function checkTransport(draft: McpServerDraft, report: Report): void {
  const transport = draft.transport;
  if (transport === 'stdio') {
    if (draft.command === undefined || draft.command.trim() === '') report('command', 'is required for transport stdio');
    if (draft.url !== undefined && !/^stdio:\/\//i.test(draft.url)) report('url', 'must be unset or a stdio:// URL for transport stdio');
    if (draft.specPath !== undefined) report('spec_path', 'cannot be used with transport stdio');
    return;
  }
  if (draft.command !== undefined && draft.command !== '') report('command', `only transport stdio takes command (this server is ${transport})`);
  if (draft.args.length > 0) report('args', `only transport stdio takes args (this server is ${transport})`);
  if (Object.keys(draft.env).length > 0) report('env', `only transport stdio takes env (this server is ${transport})`);
  if (draft.url === undefined) {
    if (draft.specPath === undefined) report('url', `is required for transport ${transport} unless spec_path is set`);
  } else if (!isHttpUrl(draft.url)) {
    report('url', `must be an http(s) URL with a host for transport ${transport}`);
  }
  if (draft.specPath === undefined) return;
  if (draft.specPath.trim() === '') report('spec_path', 'must not be empty');
  else if (URL_WITH_SCHEME.test(draft.specPath) && !isHttpUrl(draft.specPath)) report('spec_path', 'must be a file path or an http(s) URL');
}

/** The fields of the client-credentials grant, as the draft holds them. */
const grantFields = (draft: McpServerDraft): [McpServerField, string | undefined][] => [
  ['credentials.client_id', draft.clientId],
  ['credentials.client_secret', draft.clientSecret],
  ['token_url', draft.tokenUrl],
];

/** The oauth2 grant of a draft; `deferred` credentials (unset `os.environ/` variables) count as given. */
export function draftOAuth2Flow(draft: McpServerDraft, deferred: ReadonlySet<McpServerField>): OAuth2Flow {
  const [clientId, clientSecret, tokenUrl] = grantFields(draft).map(([field, value]) => (value !== undefined && value !== '') || deferred.has(field));
  return oauth2FlowOf(draft.oauth2Flow, { clientId, clientSecret, tokenUrl });
}

function checkAuth(draft: McpServerDraft, deferred: ReadonlySet<McpServerField>, report: Report): void {
  if (draft.authType === 'oauth2' && draftOAuth2Flow(draft, deferred) === 'client_credentials') {
    for (const [field, value] of grantFields(draft)) {
      if ((value === undefined || value === '') && !deferred.has(field)) report(field, 'is required for auth_type oauth2 with the client_credentials flow');
    }
  } else if (draft.authType === 'oauth2' && draft.transport === 'stdio') {
    report('auth_type', 'oauth2 with the authorization_code flow needs an http or sse server (this server is stdio)');
  }
  const urls: [McpServerField, string | undefined][] = [grantFields(draft)[2], ['authorization_url', draft.authorizationUrl], ['registration_url', draft.registrationUrl]];
  for (const [field, value] of urls) if (value !== undefined && value !== '' && !isHttpUrl(value)) report(field, 'must be an http(s) URL');
}

function checkHeaders(draft: McpServerDraft, report: Report): void {
  for (const [name, value] of Object.entries(draft.staticHeaders)) {
    if (!HTTP_HEADER_NAME.test(name)) report('static_headers', 'is not a valid HTTP header name', `.${name}`);
    else if (HEADER_VALUE_BREAK.test(value)) report('static_headers', 'must not contain CR, LF or NUL', `.${name}`);
  }
  draft.extraHeaders.forEach((name, index) => {
    if (!HTTP_HEADER_NAME.test(name)) report('extra_headers', 'is not a valid HTTP header name', `[${index}]`);
  });
}

/** Groups are selected like names, from comma lists that are trimmed (`x-mcp-servers`, `/mcp/{a,b}`). */
function checkAccessGroups(groups: readonly string[], report: Report): void {
  groups.forEach((group, index) => {
    if (group.trim() === '' || group.includes(',') || group.trim() !== group) {
      report('mcp_access_groups', 'must be a group name: not empty, without commas or surrounding spaces', `[${index}]`);
    }
  });
}

/** `mcp_info`: free-form, but the keys LiteLLM reads must have their types, and prices are non-negative numbers. */
function checkInfo(info: unknown, report: Report): void {
  if (info === undefined || info === null) return;
  if (!isRecord(info)) return report('mcp_info', 'must be an object');
  for (const key of ['server_name', 'description', 'logo_url']) {
    if (info[key] !== undefined && info[key] !== null && typeof info[key] !== 'string') report('mcp_info', 'must be a string', `.${key}`);
  }
  const cost = info.mcp_server_cost_info;
  if (cost === undefined || cost === null) return;
  const at = '.mcp_server_cost_info';
  if (!isRecord(cost)) return report('mcp_info', 'must be an object', at);
  const price = (value: unknown, where: string) => {
    if (value !== undefined && value !== null && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      report('mcp_info', 'must be a non-negative number', where);
    }
  };
  price(cost.default_cost_per_query, `${at}.default_cost_per_query`);
  const perTool = cost.tool_name_to_cost_per_query;
  if (perTool === undefined || perTool === null) return;
  if (!isRecord(perTool)) return report('mcp_info', 'must be an object', `${at}.tool_name_to_cost_per_query`);
  for (const [tool, value] of Object.entries(perTool)) price(value, `${at}.tool_name_to_cost_per_query.${tool}`);
}

/**
 * A name or alias is one name space with every other server's names and aliases, compared as lookups compare
 * them (case-insensitively, spaces as `_`), so that a name, an `x-mcp-{name}-*` header or a tool prefix always
 * means one server.
 */
function takenNames(draft: McpServerDraft, others: Iterable<NamedServer>): { field: McpServerField; message: string }[] {
  const selfId = draft.id ?? draft.name;
  const owners = new Map<string, string>();
  for (const other of others) {
    if (other.id === selfId) continue;
    for (const name of [other.name, other.alias]) {
      if (name !== undefined && !owners.has(keyOf(name))) owners.set(keyOf(name), other.id);
    }
  }
  const taken: { field: McpServerField; message: string }[] = [];
  for (const [field, value] of [['server_name', draft.name], ['alias', draft.alias]] as const) {
    const owner = value === undefined ? undefined : owners.get(keyOf(value));
    if (owner !== undefined) taken.push({ field, message: `is already the name or alias of MCP server "${owner}"` });
  }
  return taken;
}

/**
 * Names that nest with another server's (`a` and `a-b` with separator `-`): `a-b-c` would be tool `c` of one and
 * tool `b-c` of the other, and `x-mcp-a-b-…` headers either's.
 */
function nestedNames(draft: McpServerDraft, others: Iterable<NamedServer>, separator: string): { field: McpServerField; message: string }[] {
  const selfId = draft.id ?? draft.name;
  const theirs: [string, string][] = [];
  for (const other of others) {
    if (other.id === selfId) continue;
    for (const name of [other.name, other.alias]) if (name !== undefined) theirs.push([keyOf(name), other.id]);
  }
  const sep = separator.toLowerCase();
  const nested: { field: McpServerField; message: string }[] = [];
  for (const [field, value] of [['server_name', draft.name], ['alias', draft.alias]] as const) {
    if (value === undefined) continue;
    // Compared with the separator appended: with `__`, `a` and `a_` nest too (`a___x` is `a`'s `_x` or `a_`'s `x`).
    const mine = keyOf(value) + sep;
    const clash = theirs.find(([other]) => other + sep !== mine && (mine.startsWith(other + sep) || (other + sep).startsWith(mine)));
    if (clash !== undefined) {
      nested.push({
        field,
        message: `nests with the name or alias of MCP server "${clash[1]}" around the tool name separator "${separator}", so prefixed tool names would be ambiguous`,
      });
    }
  }
  return nested;
}

function keyOf(name: string): string {
  return serverPrefix(name).toLowerCase();
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
