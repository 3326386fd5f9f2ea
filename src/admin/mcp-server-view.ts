/**
 * How `/v1/mcp/server` renders a server (LiteLLM's `LiteLLM_MCPServerTable` field names; timestamps ISO 8601).
 * `credentials` is always null. Stored servers show admins their `env` and `static_headers` (the Terraform
 * provider reads `env` back); config servers never show their values, which may be resolved `os.environ/`
 * secrets. The oauth2 fields are shown (URLs, not secrets): a stored server's as written, a config server's as
 * the gateway uses them (`oauth2_flow` decided). Non-admins get LiteLLM's reduced view: no url, spec_path,
 * headers, env, command or args, nor the oauth2 URLs.
 */
import type { McpServerDefinition } from '../mcp/server-definition.js';
import type { McpServerHealth, StoredMcpServer } from '../store/mcp-servers-record.js';
import { isoOrNull } from '../auth/management-fields.js';

/** Fields blanked (null) in a non-admin's view: where and how the server is reached. */
type ReducedFields = 'url' | 'spec_path' | 'static_headers' | 'extra_headers' | 'env' | 'command' | 'args';
/** Stored as epoch milliseconds, shown as ISO 8601 (null for config servers). */
type TimeFields = 'created_at' | 'updated_at' | 'last_health_check';

/** A server's fields as stored, with the view's own forms: no secrets, nullable reduced fields, ISO timestamps. */
export type McpServerView = Omit<StoredMcpServer, 'credentials' | 'secrets_error' | ReducedFields | TimeFields> & {
  [Field in ReducedFields]: StoredMcpServer[Field] | null;
} & {
  [Field in TimeFields]: string | null;
} & {
  credentials: null;
  /** `config` (config.yaml, read-only here) or `db` (created through this API). */
  source: 'config' | 'db';
};

/** Shown instead of a config server's env / static header values. */
const HIDDEN = '********';

export function storedServerView(server: StoredMcpServer, health: McpServerHealth | undefined, admin: boolean): McpServerView {
  const latest = newer(health, server);
  return reduce(
    {
      server_id: server.server_id,
      server_name: server.server_name,
      alias: server.alias,
      description: server.description,
      url: server.url,
      transport: server.transport,
      spec_version: server.spec_version,
      auth_type: server.auth_type,
      credentials: null,
      mcp_access_groups: server.mcp_access_groups,
      command: server.command,
      args: server.args,
      env: server.env,
      mcp_info: server.mcp_info,
      static_headers: server.static_headers,
      extra_headers: server.extra_headers,
      allowed_tools: server.allowed_tools,
      disallowed_tools: server.disallowed_tools,
      spec_path: server.spec_path,
      allow_all_keys: server.allow_all_keys,
      available_on_public_internet: server.available_on_public_internet,
      authorization_url: server.authorization_url,
      token_url: server.token_url,
      registration_url: server.registration_url,
      oauth2_flow: server.oauth2_flow,
      created_at: iso(server.created_at),
      created_by: server.created_by,
      updated_at: iso(server.updated_at),
      updated_by: server.updated_by,
      status: server.secrets_error !== undefined ? 'unhealthy' : latest.status,
      last_health_check: iso(latest.checkedAt),
      health_check_error: server.secrets_error ?? latest.error,
      source: 'db',
    },
    admin,
  );
}

export function configServerView(server: McpServerDefinition, health: McpServerHealth | undefined, admin: boolean): McpServerView {
  return reduce(
    {
      server_id: server.id,
      server_name: server.name,
      alias: server.alias ?? null,
      description: server.description ?? null,
      url: server.url ?? null,
      transport: server.transport,
      spec_version: null,
      auth_type: server.auth.type,
      credentials: null,
      mcp_access_groups: [...server.accessGroups],
      command: server.command ?? null,
      args: server.args,
      env: hideValues(server.env),
      mcp_info: server.info ?? null,
      static_headers: hideValues(server.staticHeaders),
      extra_headers: server.extraHeaders,
      allowed_tools: server.allowedTools ?? null,
      disallowed_tools: server.disallowedTools ?? null,
      spec_path: server.openapi?.specPath ?? null,
      allow_all_keys: server.allowAllKeys === true,
      available_on_public_internet: server.availableOnPublicInternet !== false,
      authorization_url: server.auth.authorizationUrl ?? null,
      token_url: server.auth.tokenUrl ?? null,
      registration_url: server.auth.registrationUrl ?? null,
      oauth2_flow: server.auth.flow ?? null,
      created_at: null,
      created_by: null,
      updated_at: null,
      updated_by: null,
      status: health?.status ?? 'unknown',
      last_health_check: iso(health?.checkedAt ?? null),
      health_check_error: health?.error ?? null,
      source: 'config',
    },
    admin,
  );
}

function reduce(view: McpServerView, admin: boolean): McpServerView {
  if (admin) return view;
  return {
    ...view,
    url: null,
    spec_path: null,
    static_headers: null,
    extra_headers: null,
    env: null,
    command: null,
    args: null,
    authorization_url: null,
    token_url: null,
    registration_url: null,
  };
}

/** This replica's last check, unless the stored one (another replica's) is more recent. */
function newer(health: McpServerHealth | undefined, server: StoredMcpServer): McpServerHealth {
  if (health !== undefined && (server.last_health_check === null || health.checkedAt >= server.last_health_check)) return health;
  return { status: server.status, checkedAt: server.last_health_check ?? 0, error: server.health_check_error };
}

function hideValues(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(record).map((key) => [key, HIDDEN]));
}

/** 0 stands for "never" (`checkedAt` of a server whose health was never checked). */
function iso(epochMs: number | null): string | null {
  return isoOrNull(epochMs === 0 ? null : epochMs);
}
