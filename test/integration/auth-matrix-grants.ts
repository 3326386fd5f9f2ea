/**
 * The grants of the authorisation matrix test and, written out by hand from them (not computed by the resolver),
 * what each caller may see and call. Three servers (alpha, beta, gamma), two access groups (g1 = alpha+beta,
 * g2 = beta+gamma), the recording fixture's four tools on each.
 */
export const SERVERS = ['alpha', 'beta', 'gamma'] as const;
export const TOOLS = ['whoami', 'add', 'slow', 'fail'] as const;
export const GROUPS = { g1: ['alpha', 'beta'], g2: ['beta', 'gamma'] } as const;

export type ServerName = (typeof SERVERS)[number];
export type ToolName = (typeof TOOLS)[number];
export type GroupName = keyof typeof GROUPS;

export const ARGUMENTS: Record<ToolName, Record<string, unknown>> = { whoami: {}, add: { a: 1, b: 2 }, slow: { ms: 0 }, fail: {} };

const ALL: readonly ToolName[] = TOOLS;

/** A caller with a working key: the servers it may use and, per server, the tools (a server absent: not allowed). */
export interface Allowed {
  name: string;
  allowed: Partial<Record<ServerName, readonly ToolName[]>>;
}

/**
 * The management requests that set the grants up (run in order with the master key), and the keys they make.
 * Each key's comment is the reasoning behind its row in EXPECTED.
 */
export const SETUP = {
  organizations: [{ organization_id: 'org-g1', object_permission: { mcp_access_groups: ['g1'] } }],
  teams: [
    { team_id: 'team-ab', object_permission: { mcp_servers: ['alpha', 'beta'] } },
    { team_id: 'team-gamma', object_permission: { mcp_servers: ['gamma'] } },
    { team_id: 'team-in-org', organization_id: 'org-g1' },
    { team_id: 'team-blocked', blocked: true, object_permission: { mcp_servers: ['all-proxy-mcpservers'] } },
  ],
  keys: {
    // alpha only, by name.
    direct: { object_permission: { mcp_servers: ['alpha'] } },
    // g2 = beta + gamma.
    group: { object_permission: { mcp_access_groups: ['g2'] } },
    // key g2 {beta, gamma} ∩ team {alpha, beta} = {beta}.
    teamAndKey: { team_id: 'team-ab', object_permission: { mcp_access_groups: ['g2'] } },
    // key {alpha, gamma}; tools: alpha only `add`, gamma none at all.
    toolLevel: { object_permission: { mcp_servers: ['alpha', 'gamma'], mcp_tool_permissions: { alpha: ['add'], gamma: [] } } },
    // key {alpha} ∩ team {gamma} = {}: nothing, not everything.
    emptyIntersection: { team_id: 'team-gamma', object_permission: { mcp_servers: ['alpha'] } },
    // No grant anywhere: no MCP server.
    noGrants: {},
    // key: every server, beta only `whoami` (naming beta in tool permissions grants it too); org ceiling g1 = {alpha, beta}.
    orgCeiling: { team_id: 'team-in-org', object_permission: { mcp_servers: ['all-proxy-mcpservers'], mcp_tool_permissions: { beta: ['whoami'] } } },
    // Refused with 401 whatever they grant:
    expired: { duration: '0s', object_permission: { mcp_servers: ['all-proxy-mcpservers'] } },
    blocked: { blocked: true, object_permission: { mcp_servers: ['all-proxy-mcpservers'] } },
    blockedTeam: { team_id: 'team-blocked' },
  },
} as const;


export const EXPECTED: readonly Allowed[] = [
  { name: 'master', allowed: { alpha: ALL, beta: ALL, gamma: ALL } },
  { name: 'direct', allowed: { alpha: ALL } },
  { name: 'group', allowed: { beta: ALL, gamma: ALL } },
  { name: 'teamAndKey', allowed: { beta: ALL } },
  { name: 'toolLevel', allowed: { alpha: ['add'], gamma: [] } },
  { name: 'emptyIntersection', allowed: {} },
  { name: 'noGrants', allowed: {} },
  { name: 'orgCeiling', allowed: { alpha: ALL, beta: ['whoami'] } },
];

/** Callers refused with 401 on every path: no key, an unknown key, an expired key, a blocked key, a key of a blocked team. */
export const UNAUTHENTICATED = ['none', 'unknown', 'expired', 'blocked', 'blockedTeam'] as const;

export function mayCall(caller: Allowed, server: ServerName, tool: ToolName): boolean {
  return caller.allowed[server]?.includes(tool) ?? false;
}

export function mayUse(caller: Allowed, server: ServerName): boolean {
  return caller.allowed[server] !== undefined;
}

/** The tool names a scope over `servers` shows the caller, prefixed (`alpha-add`) or not. */
export function visibleNames(caller: Allowed, servers: readonly ServerName[], prefixed: boolean): string[] {
  return servers.flatMap((server) => (caller.allowed[server] ?? []).map((tool) => (prefixed ? `${server}-${tool}` : tool))).sort();
}
