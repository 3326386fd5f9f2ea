/**
 * A stored server (`/v1/mcp/server` fields) as the gateway's McpServerDefinition, and the naming rule both the
 * store's unique key and the registry use (the tool prefix: alias, else name).
 */
import { serverPrefix } from '../mcp/names.js';
import { openApiSettings } from '../openapi/server-settings.js';
import type { McpServerDefinition, McpServerInfo, McpTransportKind, UpstreamAuthType } from '../mcp/server-definition.js';
import type { StoredMcpServer } from '../store/mcp-servers-record.js';

/** What openApiSettings takes as "where the config came from" for a server stored through the API. */
const STORED_SOURCE = '<admin-api>';

/** `streamable_http` is LiteLLM's other spelling of `http`. */
export function transportKind(transport: string): McpTransportKind {
  if (transport === 'sse' || transport === 'stdio') return transport;
  return 'http';
}

/** The Terraform resource says `bearer`; LiteLLM says `bearer_token`. Unset means `none`. */
export function authTypeOf(authType: string | null): UpstreamAuthType {
  if (authType === null || authType === 'none') return 'none';
  if (authType === 'bearer') return 'bearer_token';
  return authType as UpstreamAuthType;
}

/** The unique key of a server's name space: its tool prefix, lower-cased. */
export function nameKeyOf(server: Pick<StoredMcpServer, 'alias' | 'server_name'>): string {
  return serverPrefix(server.alias ?? server.server_name).toLowerCase();
}

export function definitionOf(server: StoredMcpServer): McpServerDefinition {
  const credentials = server.credentials ?? {};
  const stored = transportKind(server.transport);
  // As in config: a spec_path makes an http/sse server an OpenAPI-backed one (its url, if any, is the API's base URL).
  const transport = server.spec_path !== null && stored !== 'stdio' ? 'openapi' : stored;
  return {
    id: server.server_id,
    name: server.server_name,
    alias: server.alias ?? undefined,
    prefix: serverPrefix(server.alias ?? server.server_name),
    description: server.description ?? undefined,
    transport,
    url: transport === 'stdio' ? undefined : (server.url ?? undefined),
    command: server.command ?? undefined,
    args: server.args,
    env: server.env,
    auth: {
      type: authTypeOf(server.auth_type),
      value: credentials.auth_value,
      clientId: credentials.client_id,
      clientSecret: credentials.client_secret,
      tokenUrl: credentials.token_url,
      scopes: credentials.scopes,
    },
    staticHeaders: server.static_headers,
    extraHeaders: server.extra_headers,
    allowedTools: server.allowed_tools ?? undefined,
    disallowedTools: server.disallowed_tools ?? undefined,
    accessGroups: server.mcp_access_groups,
    info: (server.mcp_info ?? undefined) as McpServerInfo | undefined,
    // Relative spec paths resolve against the working directory (there is no config file folder to use).
    ...(transport === 'openapi' ? { openapi: openApiSettings({ spec_path: server.spec_path ?? '' }, STORED_SOURCE) } : {}),
  };
}
