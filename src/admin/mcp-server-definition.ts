/**
 * A stored server (`/v1/mcp/server` fields) as the gateway's McpServerDefinition, and the naming rule both the
 * store's unique key and the registry use (the tool prefix: alias, else name).
 */
import { authTypeOf, declaredTransportOf, servedTransportOf } from '../mcp/mcp-server-rules.js';
import { serverPrefix } from '../mcp/names.js';
import { openApiSettings } from '../openapi/server-settings.js';
import type { McpServerDefinition, McpServerInfo } from '../mcp/server-definition.js';
import type { StoredMcpServer } from '../store/mcp-servers-record.js';

/** What openApiSettings takes as "where the config came from" for a server stored through the API. */
const STORED_SOURCE = '<admin-api>';

/** The unique key of a server's name space: its tool prefix, lower-cased. */
export function nameKeyOf(server: Pick<StoredMcpServer, 'alias' | 'server_name'>): string {
  return serverPrefix(server.alias ?? server.server_name).toLowerCase();
}

export function definitionOf(server: StoredMcpServer): McpServerDefinition {
  const credentials = server.credentials ?? {};
  // The stored transport is always set (create defaults it), so the command never decides it here.
  const transport = servedTransportOf(declaredTransportOf(server.transport, null), server.spec_path);
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
    allowAllKeys: server.allow_all_keys,
    availableOnPublicInternet: server.available_on_public_internet,
    info: (server.mcp_info ?? undefined) as McpServerInfo | undefined,
    // Relative spec paths resolve against the working directory (there is no config file folder to use).
    ...(transport === 'openapi' ? { openapi: openApiSettings({ spec_path: server.spec_path ?? '' }, STORED_SOURCE) } : {}),
  };
}
