/**
 * The upstream MCP servers, changeable at runtime: config servers (read-only; their id is the config key) plus
 * servers stored through `/v1/mcp/server`. Lookups read an immutable snapshot that a change swaps whole, so the
 * request path never locks or copies; listeners hear which servers a swap added, changed or removed.
 */
import type { LoadedConfig } from '../config/load-config.js';
import { openApiSettings } from '../openapi/server-settings.js';
import { configServerDraft, deferredCredentials, mcpServersConfigProblems, mcpToolSeparator } from './config-server-rules.js';
import { draftOAuth2Flow, servedTransportOf } from './mcp-server-rules.js';
import { QualifiedNames, serverPrefix } from './names.js';
import type { McpServerDefinition, McpServerInfo } from './server-definition.js';

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

/**
 * Builds the registry from config. `problems` (YAML path first) are the MCP server rules' findings: parseConfig
 * has already refused a config that has any, but a LoadedConfig is a plain object, so it is not trusted blindly.
 */
export function buildServerRegistry(loaded: LoadedConfig, env: Readonly<Record<string, string | undefined>>): {
  registry: McpServerRegistry;
  problems: string[];
} {
  const separator = mcpToolSeparator(loaded.config, env);
  const problems = mcpServersConfigProblems(loaded.config, env, loaded.missingEnv);
  if (problems.length > 0) return { registry: new McpServerRegistry([], separator), problems };
  const servers: McpServerDefinition[] = [];
  const missing = new Map(loaded.missingEnv.map((entry) => [entry.path, entry.variable]));

  for (const [name, entry] of Object.entries(loaded.config.mcp_servers ?? {})) {
    const path = `mcp_servers.${name}`;
    // The definition reads the draft the rules passed, so both see the same values.
    const draft = configServerDraft(name, entry);
    const transport = servedTransportOf(draft.transport, draft.specPath);
    const missingCredential = [...missing].find(([missingPath]) => missingPath.startsWith(`${path}.`))?.[1];
    servers.push({
      id: name,
      name,
      alias: draft.alias,
      prefix: serverPrefix(draft.alias ?? name),
      description: entry.description,
      transport,
      ...(transport === 'http' && (entry.transport === undefined || entry.transport === null) ? { sseFallback: true as const } : {}),
      // A stdio server's url can only be a `stdio://` placeholder (the Terraform resource's convention).
      url: transport === 'stdio' ? undefined : draft.url,
      command: draft.command,
      args: [...draft.args],
      env: { ...draft.env },
      auth: {
        type: draft.authType,
        value: entry.auth_value ?? entry.authentication_token,
        clientId: draft.clientId,
        clientSecret: draft.clientSecret,
        tokenUrl: draft.tokenUrl,
        scopes: entry.scopes,
        ...(draft.authType === 'oauth2'
          ? {
              flow: draftOAuth2Flow(draft, deferredCredentials(name, new Set(missing.keys()))),
              authorizationUrl: draft.authorizationUrl,
              registrationUrl: draft.registrationUrl,
            }
          : {}),
      },
      staticHeaders: { ...draft.staticHeaders },
      extraHeaders: [...draft.extraHeaders],
      allowedTools: entry.allowed_tools,
      disallowedTools: entry.disallowed_tools,
      allowedParams: entry.allowed_params,
      accessGroups: [...draft.accessGroups],
      allowAllKeys: entry.allow_all_keys === true,
      availableOnPublicInternet: entry.available_on_public_internet !== false,
      instructions: entry.instructions,
      info: draft.info as McpServerInfo | undefined,
      missingCredential,
      ...(transport === 'openapi' ? { openapi: openApiSettings(entry, loaded.source) } : {}),
    });
  }
  return { registry: new McpServerRegistry(servers, separator), problems };
}
