/**
 * `mcp_servers:` of config.yaml through the MCP server rules (mcp-server-rules.ts, shared with the admin API):
 * each entry read into a draft in file order and checked against the ones before it, each violation reported as
 * `mcp_servers.<name>.<key>: <message>` for the ConfigError.
 */
import type { MissingEnv } from '../config/resolve-env.js';
import type { Config, McpServerEntry } from '../config/schema.js';
import { DEFAULT_SEPARATOR } from './names.js';
import { authTypeOf, declaredTransportOf, mcpServerViolations, type McpServerDraft, type McpServerField, type NamedServer } from './mcp-server-rules.js';

/** Where config.yaml spells a rule field differently from the admin API ('' is the server's own key). */
const CONFIG_KEYS: Partial<Record<McpServerField, string>> = {
  server_id: '',
  server_name: '',
  'credentials.client_id': 'client_id',
  'credentials.client_secret': 'client_secret',
  mcp_access_groups: 'access_groups',
};

const CREDENTIAL_FIELDS: readonly McpServerField[] = ['credentials.client_id', 'credentials.client_secret', 'token_url'];

/** `general_settings.mcp_tool_prefix_separator`, else env `MCP_TOOL_PREFIX_SEPARATOR` (LiteLLM's), else `-`. */
export function mcpToolSeparator(config: Config, env: Readonly<Record<string, string | undefined>>): string {
  return config.general_settings?.mcp_tool_prefix_separator ?? env.MCP_TOOL_PREFIX_SEPARATOR ?? DEFAULT_SEPARATOR;
}

/** The YAML path of a rule field of server `name`. */
export function configPathOf(name: string, field: McpServerField, at = ''): string {
  const key = CONFIG_KEYS[field] ?? field;
  return `mcp_servers.${name}${key === '' ? '' : `.${key}`}${at}`;
}

/** The credential fields of server `name` whose `os.environ/` variable is unset (`unset`: their YAML paths). */
export function deferredCredentials(name: string, unset: ReadonlySet<string>): ReadonlySet<McpServerField> {
  return new Set(CREDENTIAL_FIELDS.filter((field) => unset.has(configPathOf(name, field))));
}

export function configServerDraft(name: string, entry: McpServerEntry): McpServerDraft {
  return {
    name,
    alias: entry.alias,
    transport: declaredTransportOf(entry.transport, entry.command),
    url: entry.url,
    command: entry.command,
    args: entry.args ?? [],
    env: entry.env ?? {},
    authType: authTypeOf(entry.auth_type),
    clientId: entry.client_id,
    clientSecret: entry.client_secret,
    tokenUrl: entry.token_url,
    authorizationUrl: entry.authorization_url,
    registrationUrl: entry.registration_url,
    oauth2Flow: entry.oauth2_flow,
    specPath: entry.spec_path,
    staticHeaders: entry.static_headers ?? {},
    extraHeaders: entry.extra_headers ?? [],
    accessGroups: entry.access_groups ?? [],
    info: entry.mcp_info,
    displayNames: entry.tool_name_to_display_name,
  };
}

/**
 * Every rule violation of `config.mcp_servers`, one line each. `skip`: servers whose entry already failed the
 * schema (their fields may not have their types); `missing`: `os.environ/` values left unset.
 */
export function mcpServersConfigProblems(
  config: Config,
  env: Readonly<Record<string, string | undefined>>,
  missing: readonly MissingEnv[],
  skip: ReadonlySet<string> = new Set(),
): string[] {
  const separator = mcpToolSeparator(config, env);
  const unset = new Set(missing.map((entry) => entry.path));
  const problems: string[] = [];
  const earlier: NamedServer[] = [];
  for (const [name, entry] of Object.entries(config.mcp_servers ?? {})) {
    if (skip.has(name)) continue;
    const deferred = deferredCredentials(name, unset);
    for (const violation of mcpServerViolations(configServerDraft(name, entry), { separator, others: earlier, deferred })) {
      problems.push(`${configPathOf(name, violation.field, violation.at)}: ${violation.message}`);
    }
    earlier.push({ id: name, name, alias: entry.alias });
  }
  return problems;
}
