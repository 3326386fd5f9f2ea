/**
 * The upstream MCP servers, changeable at runtime: config servers (read-only; their id is the config key) plus
 * servers stored through `/v1/mcp/server`. Lookups read an immutable snapshot that a change swaps whole, so the
 * request path never locks or copies; listeners hear which servers a swap added, changed or removed.
 */
import type { LoadedConfig } from '../config/load-config.js';
import type { McpServerEntry } from '../config/schema.js';
import { DEFAULT_SEPARATOR, QualifiedNames, serverNameProblem, serverPrefix } from './names.js';
import { openApiProblems, openApiSettings } from '../openapi/server-settings.js';
import type { McpServerDefinition, McpServerInfo, McpTransportKind } from './server-definition.js';

export interface ServerSelection {
  servers: McpServerDefinition[];
  /** Selectors that matched no server, alias or access group. */
  unknown: string[];
}

/** What one swap did; `changed` and `added` hold the new definitions, `removed` the old ones. */
export interface RegistryChange {
  added: McpServerDefinition[];
  changed: McpServerDefinition[];
  removed: McpServerDefinition[];
  /** Stored servers left out because a config server (or an earlier stored one) already has their id or prefix. */
  skipped: { id: string; reason: string }[];
}

export type RegistryListener = (change: RegistryChange) => void;

/** One immutable set of servers and its lookup tables. */
class ServerSnapshot {
  readonly names: QualifiedNames;
  readonly accessGroups: readonly string[];
  readonly byId = new Map<string, McpServerDefinition>();
  private readonly byLowerName = new Map<string, McpServerDefinition>();
  private readonly byPrefix = new Map<string, McpServerDefinition>();

  constructor(
    readonly servers: readonly McpServerDefinition[],
    separator: string,
  ) {
    const groups = new Set<string>();
    for (const server of servers) {
      this.byId.set(server.id, server);
      this.byPrefix.set(server.prefix, server);
      for (const name of [server.name, server.alias]) {
        if (name !== undefined) {
          this.byLowerName.set(name.toLowerCase(), server);
          this.byLowerName.set(serverPrefix(name).toLowerCase(), server);
        }
      }
      for (const group of server.accessGroups) groups.add(group);
    }
    this.names = new QualifiedNames(this.byPrefix.keys(), separator);
    this.accessGroups = [...groups].sort();
  }

  find(nameOrAlias: string): McpServerDefinition | undefined {
    return this.byLowerName.get(nameOrAlias.trim().toLowerCase());
  }

  withPrefix(prefix: string): McpServerDefinition | undefined {
    return this.byPrefix.get(prefix);
  }

  select(selectors: readonly string[]): ServerSelection {
    const chosen = new Set<McpServerDefinition>();
    const unknown: string[] = [];
    for (const selector of selectors) {
      const server = this.find(selector);
      if (server) {
        chosen.add(server);
        continue;
      }
      const group = this.servers.filter((candidate) =>
        candidate.accessGroups.some((name) => name.toLowerCase() === selector.trim().toLowerCase()),
      );
      if (group.length === 0) unknown.push(selector);
      for (const member of group) chosen.add(member);
    }
    return { servers: this.servers.filter((server) => chosen.has(server)), unknown };
  }
}

export class McpServerRegistry {
  private snapshot: ServerSnapshot;
  private readonly configIds: ReadonlySet<string>;
  private readonly listeners = new Set<RegistryListener>();

  constructor(
    private readonly configServers: readonly McpServerDefinition[],
    readonly separator: string,
  ) {
    this.snapshot = new ServerSnapshot(configServers, separator);
    this.configIds = new Set(configServers.map((server) => server.id));
  }

  get names(): QualifiedNames {
    return this.snapshot.names;
  }

  all(): readonly McpServerDefinition[] {
    return this.snapshot.servers;
  }

  get(id: string): McpServerDefinition | undefined {
    return this.snapshot.byId.get(id);
  }

  /** By name or alias, case-insensitively; spaces may be written as `_`. */
  find(nameOrAlias: string): McpServerDefinition | undefined {
    return this.snapshot.find(nameOrAlias);
  }

  /** The server whose prefix this is (as parsed from a qualified name). */
  withPrefix(prefix: string): McpServerDefinition | undefined {
    return this.snapshot.withPrefix(prefix);
  }

  /** Resolves names, aliases or access groups (in that order) to servers, in registry order. */
  select(selectors: readonly string[]): ServerSelection {
    return this.snapshot.select(selectors);
  }

  /** Every access group any server is in, sorted. */
  accessGroups(): readonly string[] {
    return this.snapshot.accessGroups;
  }

  /** Config servers are read-only through the admin API. */
  isConfigServer(id: string): boolean {
    return this.configIds.has(id);
  }

  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Replaces every stored (non-config) server with `stored` and swaps the snapshot. A definition equal to the
   * one it replaces keeps the old object, so sessions holding it see no change.
   */
  replaceStored(stored: readonly McpServerDefinition[]): RegistryChange {
    const previous = this.snapshot;
    const change: RegistryChange = { added: [], changed: [], removed: [], skipped: [] };
    const next: McpServerDefinition[] = [...this.configServers];
    const ids = new Set(this.configIds);
    const prefixes = new Set(this.configServers.map((server) => server.prefix.toLowerCase()));
    for (const candidate of stored) {
      if (ids.has(candidate.id)) {
        change.skipped.push({ id: candidate.id, reason: `server_id "${candidate.id}" is used by another server` });
        continue;
      }
      if (prefixes.has(candidate.prefix.toLowerCase())) {
        change.skipped.push({ id: candidate.id, reason: `name or alias "${candidate.prefix}" is used by another server` });
        continue;
      }
      ids.add(candidate.id);
      prefixes.add(candidate.prefix.toLowerCase());
      const before = previous.byId.get(candidate.id);
      if (before === undefined) {
        change.added.push(candidate);
        next.push(candidate);
      } else if (sameDefinition(before, candidate)) {
        next.push(before);
      } else {
        change.changed.push(candidate);
        next.push(candidate);
      }
    }
    for (const server of previous.servers) if (!ids.has(server.id)) change.removed.push(server);
    if (change.added.length + change.changed.length + change.removed.length === 0) return change;
    this.snapshot = new ServerSnapshot(next, this.separator);
    for (const listener of this.listeners) listener(change);
    return change;
  }
}

function sameDefinition(a: McpServerDefinition, b: McpServerDefinition): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Builds the registry from config; problems are returned with their YAML path for the config error. */
export function buildServerRegistry(loaded: LoadedConfig, env: Readonly<Record<string, string | undefined>>): {
  registry: McpServerRegistry;
  problems: string[];
} {
  const separator = loaded.config.general_settings?.mcp_tool_prefix_separator ?? env.MCP_TOOL_PREFIX_SEPARATOR ?? DEFAULT_SEPARATOR;
  const problems: string[] = [];
  const servers: McpServerDefinition[] = [];
  const missing = new Map(loaded.missingEnv.map((entry) => [entry.path, entry.variable]));
  const prefixes = new Set<string>();

  for (const [name, entry] of Object.entries(loaded.config.mcp_servers ?? {})) {
    const path = `mcp_servers.${name}`;
    const before = problems.length;
    for (const [label, value] of [['', name], ['.alias', entry.alias]] as const) {
      const problem = value === undefined ? undefined : serverNameProblem(value, separator);
      if (problem) problems.push(`${path}${label}: ${problem}`);
    }
    const transport = transportOf(entry);
    if (transport === 'stdio' && !entry.command) problems.push(`${path}.command: is required for transport stdio`);
    if (transport !== 'stdio' && transport !== 'openapi' && !entry.url) problems.push(`${path}.url: is required for transport ${transport}`);
    if (entry.spec_path !== undefined && entry.transport === 'stdio') problems.push(`${path}.spec_path: cannot be used with transport stdio`);
    problems.push(...openApiProblems(path, entry));
    if (entry.auth_type === 'oauth2') {
      for (const key of ['client_id', 'client_secret', 'token_url'] as const) {
        if (!entry[key] && !missing.has(`${path}.${key}`)) problems.push(`${path}.${key}: is required for auth_type oauth2`);
      }
    }
    const prefix = serverPrefix(entry.alias ?? name);
    if (prefixes.has(prefix)) problems.push(`${path}: name or alias "${prefix}" is used by another server`);
    prefixes.add(prefix);
    if (problems.length > before) continue;

    const missingCredential = [...missing].find(([missingPath]) => missingPath.startsWith(`${path}.`))?.[1];
    servers.push({
      id: name,
      name,
      alias: entry.alias,
      prefix,
      description: entry.description,
      transport,
      url: entry.url,
      command: entry.command,
      args: entry.args ?? [],
      env: entry.env ?? {},
      auth: {
        type: entry.auth_type ?? 'none',
        value: entry.auth_value ?? entry.authentication_token,
        clientId: entry.client_id,
        clientSecret: entry.client_secret,
        tokenUrl: entry.token_url,
        scopes: entry.scopes,
      },
      staticHeaders: entry.static_headers ?? {},
      extraHeaders: entry.extra_headers ?? [],
      allowedTools: entry.allowed_tools,
      disallowedTools: entry.disallowed_tools,
      allowedParams: entry.allowed_params,
      accessGroups: entry.access_groups ?? [],
      instructions: entry.instructions,
      info: entry.mcp_info as McpServerInfo | undefined,
      missingCredential,
      ...(transport === 'openapi' ? { openapi: openApiSettings(entry, loaded.source) } : {}),
    });
  }
  return { registry: new McpServerRegistry(servers, separator), problems };
}

function transportOf(entry: McpServerEntry): McpTransportKind {
  if (entry.spec_path !== undefined && entry.transport !== 'stdio') return 'openapi';
  if (entry.transport === 'streamable_http') return 'http';
  if (entry.transport) return entry.transport;
  return entry.command ? 'stdio' : 'http';
}
