/**
 * The one permission resolver: a Caller → the models it may use, the MCP servers it may use, and the tools on
 * each. The master key and an open proxy may use everything. For a virtual key (LiteLLM's rules, see
 * docs/keys.md):
 * - models: every non-empty `models` list among key, team and organisation must allow the model (key ∩ team ∩
 *   org); an empty list (or the key's `all-team-models`) restricts nothing.
 * - MCP servers: each entity's grant is `mcp_servers` ∪ members of `mcp_access_groups` ∪ servers named in
 *   `mcp_tool_permissions`; the grants of the entities that have one are intersected, and an empty intersection
 *   means nothing. When no entity grants anything the key may use no MCP server (LiteLLM's non-admin default).
 *   Servers with `allow_all_keys` are added to every key's set, whatever its grants (as in LiteLLM).
 * - An external caller (auth/caller-network.ts), master key included, may not use servers marked
 *   `available_on_public_internet: false`.
 * - tools: per server, every entity that lists the server in `mcp_tool_permissions` must list the tool.
 * Grants name servers by id, name or alias and are resolved against the live registry on each request.
 */
import { ModelAccessDeniedError, type ModelAccessDeniedCode } from '../http/errors.js';
import type { ObjectPermission } from '../store/index.js';
import { LruCache } from '../store/lru-cache.js';
import type { Caller } from './resolve-caller.js';

/** `mcp_servers: ["all-proxy-mcpservers"]`: every server (LiteLLM's reserved id). */
export const ALL_MCP_SERVERS = 'all-proxy-mcpservers';
/** `models: ["all-proxy-models"]` (or `"*"`): every model. */
export const ALL_MODELS = 'all-proxy-models';
/** On a key: "whatever the team allows", i.e. no restriction of the key's own. */
export const ALL_TEAM_MODELS = 'all-team-models';

/** A server as the permission check sees it; McpServerDefinition satisfies it. */
export interface GrantableServer {
  id: string;
  name: string;
  alias?: string;
  prefix: string;
  accessGroups: readonly string[];
  /** LiteLLM's `allow_all_keys`: every virtual key may use the server, whatever its grants. */
  allowAllKeys?: boolean;
  /** LiteLLM's `available_on_public_internet` (default true); false: external callers may not use the server. */
  availableOnPublicInternet?: boolean;
}

export interface McpAccess {
  /** The caller and the version of its grants: a session opened under one principal is refused to another. */
  readonly principal: string;
  /** Ids of the servers the caller may use; null: every server. */
  readonly servers: ReadonlySet<string> | null;
  /** Prefixes of registered servers the caller may not use, so naming one is a 403 rather than a 404. */
  readonly deniedPrefixes: ReadonlySet<string>;
  /** Server id → the upstream tool names the caller may list and call there; a server not in the map: every tool. */
  readonly tools: ReadonlyMap<string, ReadonlySet<string>>;
  /** Who the access was resolved for: the hub charges tool calls to it and checks its budget (issue #7). */
  readonly caller?: Caller;
}

const EVERYTHING = (caller: Caller): McpAccess => ({ principal: principalOf(caller), servers: null, deniedPrefixes: new Set(), tools: new Map(), caller });

export function mcpAccess(caller: Caller, all: readonly GrantableServer[]): McpAccess {
  // An external caller may not use internal-only servers whoever it is (LiteLLM filters after the grants, admins too).
  const registered = caller.external === true ? all.filter((server) => server.availableOnPublicInternet !== false) : all;
  if (caller.kind !== 'key') return registered.length === all.length ? EVERYTHING(caller) : restricted(caller, all, registered, new Map());
  const permissions = entitiesOf(caller).map((entity) => entity.object_permission);
  const grants = permissions.map((permission) => serverGrant(permission, registered)).filter((grant) => grant !== null);
  const allowed = registered.filter(
    (server) => server.allowAllKeys === true || (grants.length > 0 && grants.every((grant) => grant.has(server.id))),
  );
  const tools = new Map<string, ReadonlySet<string>>();
  for (const server of allowed) {
    const lists = permissions.map((permission) => toolGrant(permission, server)).filter((list) => list !== null);
    if (lists.length > 0) tools.set(server.id, new Set(lists[0].filter((tool) => lists.every((list) => list.includes(tool)))));
  }
  return restricted(caller, all, allowed, tools);
}

/** `allowed` of `all`; the others' prefixes are denied (naming one is a 403, not a 404). */
function restricted(
  caller: Caller,
  all: readonly GrantableServer[],
  allowed: readonly GrantableServer[],
  tools: ReadonlyMap<string, ReadonlySet<string>>,
): McpAccess {
  const ids = new Set(allowed.map((server) => server.id));
  return {
    principal: principalOf(caller),
    servers: ids,
    deniedPrefixes: new Set(all.filter((server) => !ids.has(server.id)).map((server) => server.prefix)),
    tools,
    caller,
  };
}

export function mayUseServer(access: McpAccess, server: { id: string }): boolean {
  return access.servers === null || access.servers.has(server.id);
}

export function mayUseTool(access: McpAccess, server: { id: string }, tool: string): boolean {
  if (!mayUseServer(access, server)) return false;
  const tools = access.tools.get(server.id);
  return tools === undefined || tools.has(tool);
}

/** Who owns what this caller stores (stored Responses): the key's hash; null for the master key and an open proxy. */
export function ownerIdOf(caller: Caller): string | null {
  return caller.kind === 'key' ? caller.key.token : null;
}

/**
 * Whether the caller may read, continue or delete something stored with `ownerId`: the master key and an open
 * proxy may use anything; a virtual key only what it stored itself.
 */
export function mayUseOwned(caller: Caller, ownerId: string | null): boolean {
  return caller.kind !== 'key' || ownerId === caller.key.token;
}

/** Why the caller may not use `model`, or null when it may. */
export function modelRefusal(caller: Caller, model: string): ModelAccessDeniedError | null {
  if (caller.kind !== 'key') return null;
  const { key, team, organization } = caller;
  const checks: [string[], ModelAccessDeniedCode, string][] = [
    [key.models.includes(ALL_TEAM_MODELS) ? [] : key.models, 'key_model_access_denied', `API key ${key.key_name}`],
    [team?.models ?? [], 'team_model_access_denied', `Team "${team?.team_id ?? ''}"`],
    [organization?.models ?? [], 'organization_model_access_denied', `Organization "${organization?.organization_id ?? ''}"`],
  ];
  for (const [models, code, who] of checks) {
    if (models.length > 0 && !models.some((entry) => modelMatches(entry, model))) {
      return new ModelAccessDeniedError(`${who} is not allowed to access model "${model}". Allowed models: ${models.join(', ')}.`, {
        code,
        param: 'model',
      });
    }
  }
  return null;
}

export function assertModelAllowed(caller: Caller, model: string): void {
  const refusal = modelRefusal(caller, model);
  if (refusal !== null) throw refusal;
}

export function modelAllowed(caller: Caller, model: string): boolean {
  return modelRefusal(caller, model) === null;
}

function entitiesOf(caller: Extract<Caller, { kind: 'key' }>): { object_permission: ObjectPermission | null }[] {
  return [caller.key, ...(caller.team ? [caller.team] : []), ...(caller.organization ? [caller.organization] : [])];
}

/** `*` anywhere in an entry matches any run of characters (`openai/*`). */
function modelMatches(entry: string, model: string): boolean {
  if (entry === ALL_MODELS || entry === '*' || entry === model) return true;
  if (!entry.includes('*')) return false;
  let pattern = wildcardPatterns.get(entry);
  if (pattern === undefined) {
    const parts = entry.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`^${parts.join('.*')}$`);
    wildcardPatterns.set(entry, pattern);
  }
  return pattern.test(model);
}

/** Wildcard entries are few and checked on every request: each is compiled once. */
const wildcardPatterns = new LruCache<string, RegExp>(1024);

/** The server ids one entity grants, or null when it grants nothing (and so restricts nothing). */
function serverGrant(permission: ObjectPermission | null, registered: readonly GrantableServer[]): Set<string> | null {
  const direct = permission?.mcp_servers ?? [];
  const groups = (permission?.mcp_access_groups ?? []).map((group) => group.toLowerCase());
  const viaTools = Object.keys(permission?.mcp_tool_permissions ?? {});
  if (direct.length + groups.length + viaTools.length === 0) return null;
  if (direct.includes(ALL_MCP_SERVERS)) return new Set(registered.map((server) => server.id));
  const named = [...direct, ...viaTools];
  return new Set(
    registered
      .filter(
        (server) =>
          named.some((name) => namesServer(name, server)) || server.accessGroups.some((group) => groups.includes(group.toLowerCase())),
      )
      .map((server) => server.id),
  );
}

/** The tools one entity allows on `server`, or null when its `mcp_tool_permissions` does not mention the server. */
function toolGrant(permission: ObjectPermission | null, server: GrantableServer): string[] | null {
  const entries = Object.entries(permission?.mcp_tool_permissions ?? {}).filter(([name]) => namesServer(name, server));
  return entries.length === 0 ? null : entries.flatMap(([, tools]) => tools);
}

/** By id (exactly), or by name, alias or prefix (case-insensitively). */
function namesServer(name: string, server: GrantableServer): boolean {
  if (name === server.id) return true;
  const lower = name.trim().toLowerCase();
  return [server.name, server.alias, server.prefix].some((candidate) => candidate !== undefined && candidate.toLowerCase() === lower);
}

/** Who holds an access and at which version of its grants (a session is refused to any other principal). */
export function principalOf(caller: Caller): string {
  // A session opened from inside the network is not usable from outside it (it may hold internal-only servers).
  const zone = caller.external === true ? ':external' : '';
  if (caller.kind !== 'key') return `${caller.kind}${zone}`;
  return ['key', caller.key.token, caller.key.updated_at, caller.team?.updated_at ?? '-', caller.organization?.updated_at ?? '-'].join(':') + zone;
}
