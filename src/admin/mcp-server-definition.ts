/**
 * A stored server (`/v1/mcp/server` fields) as the MCP server rules' draft and as the gateway's
 * McpServerDefinition (built from that draft, as config servers are), and the naming rule both the store's unique
 * key and the registry use (the tool prefix: alias, else name).
 */
import { authTypeOf, declaredTransportOf, draftOAuth2Flow, servedTransportOf, type McpServerDraft } from '../mcp/mcp-server-rules.js';
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

/** The server as mcp/mcp-server-rules.ts reads it (an empty `alias`, `url` or oauth2 URL counts as unset there too). */
export function storedServerDraft(server: StoredMcpServer): McpServerDraft {
  const credentials = server.credentials ?? {};
  return {
    id: server.server_id,
    name: server.server_name,
    alias: server.alias ?? undefined,
    transport: declaredTransportOf(server.transport, null),
    url: server.url ?? undefined,
    command: server.command ?? undefined,
    args: server.args,
    env: server.env,
    authType: authTypeOf(server.auth_type),
    clientId: credentials.client_id,
    clientSecret: credentials.client_secret,
    tokenUrl: server.token_url ?? undefined,
    authorizationUrl: server.authorization_url ?? undefined,
    registrationUrl: server.registration_url ?? undefined,
    oauth2Flow: server.oauth2_flow ?? undefined,
    specPath: server.spec_path ?? undefined,
    staticHeaders: server.static_headers,
    extraHeaders: server.extra_headers,
    accessGroups: server.mcp_access_groups,
    info: server.mcp_info ?? undefined,
  };
}

export function definitionOf(server: StoredMcpServer): McpServerDefinition {
  const draft = storedServerDraft(server);
  // The stored transport is always set (create defaults it), so the command never decides it here.
  const transport = servedTransportOf(draft.transport, draft.specPath);
  return {
    id: server.server_id,
    name: server.server_name,
    alias: draft.alias,
    prefix: serverPrefix(draft.alias ?? draft.name),
    description: server.description ?? undefined,
    transport,
    url: transport === 'stdio' ? undefined : draft.url,
    command: draft.command,
    args: server.args,
    env: server.env,
    auth: {
      type: draft.authType,
      value: server.credentials?.auth_value,
      clientId: draft.clientId,
      clientSecret: draft.clientSecret,
      tokenUrl: draft.tokenUrl,
      scopes: server.credentials?.scopes,
      // As a config server's: the grant decided once here, and the interactive flow's endpoints.
      ...(draft.authType === 'oauth2'
        ? { flow: draftOAuth2Flow(draft, new Set()), authorizationUrl: draft.authorizationUrl, registrationUrl: draft.registrationUrl }
        : {}),
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
