/**
 * The configured upstream MCP servers: validated definitions built once from `mcp_servers`, and the
 * lookups every path uses (by id, by name or alias, by access group; qualified names).
 */
import type { LoadedConfig } from '../config/load-config.js';
import type { McpServerEntry } from '../config/schema.js';
import { DEFAULT_SEPARATOR, QualifiedNames, serverNameProblem, serverPrefix } from './names.js';
import type { McpServerDefinition, McpServerInfo, McpTransportKind } from './server-definition.js';

export interface ServerSelection {
  servers: McpServerDefinition[];
  /** Selectors that matched no server, alias or access group. */
  unknown: string[];
}

export class McpServerRegistry {
  readonly names: QualifiedNames;
  private readonly byId = new Map<string, McpServerDefinition>();
  private readonly byLowerName = new Map<string, McpServerDefinition>();
  private readonly byPrefix = new Map<string, McpServerDefinition>();

  constructor(
    private readonly servers: readonly McpServerDefinition[],
    separator: string,
  ) {
    for (const server of servers) {
      this.byId.set(server.id, server);
      this.byPrefix.set(server.prefix, server);
      for (const name of [server.name, server.alias]) {
        if (name !== undefined) {
          this.byLowerName.set(name.toLowerCase(), server);
          this.byLowerName.set(serverPrefix(name).toLowerCase(), server);
        }
      }
    }
    this.names = new QualifiedNames(this.byPrefix.keys(), separator);
  }

  all(): readonly McpServerDefinition[] {
    return this.servers;
  }

  get(id: string): McpServerDefinition | undefined {
    return this.byId.get(id);
  }

  /** By name or alias, case-insensitively; spaces may be written as `_`. */
  find(nameOrAlias: string): McpServerDefinition | undefined {
    return this.byLowerName.get(nameOrAlias.trim().toLowerCase());
  }

  /** The server whose prefix this is (as parsed from a qualified name). */
  withPrefix(prefix: string): McpServerDefinition | undefined {
    return this.byPrefix.get(prefix);
  }

  /** Resolves names, aliases or access groups (in that order) to servers, in configuration order. */
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
    if (transport !== 'stdio' && !entry.url) problems.push(`${path}.url: is required for transport ${transport}`);
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
    });
  }
  return { registry: new McpServerRegistry(servers, separator), problems };
}

function transportOf(entry: McpServerEntry): McpTransportKind {
  if (entry.transport === 'streamable_http') return 'http';
  if (entry.transport) return entry.transport;
  return entry.command ? 'stdio' : 'http';
}
