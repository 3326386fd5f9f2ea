/**
 * The OAuth documents the proxy publishes for an interactive-OAuth server, so an MCP client discovers the proxy
 * as that server's authorization server (LiteLLM's layout): RFC 9728 protected resource metadata for the
 * server's MCP endpoint, and RFC 8414 authorization server metadata whose endpoints are the proxy's relays
 * (`/{server}/authorize`, `/{server}/token`, `/{server}/register`).
 */
import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { McpServerDefinition } from '../server-definition.js';

/** The two per-server endpoint forms: `/{server}/mcp` and `/mcp/{server}`. */
export type McpEndpointForm = 'server-first' | 'mcp-first';

/** `segment`: the server as the client named it in the path, so the URLs match the ones it connected to. */
export function mcpEndpointUrl(base: string, segment: string, form: McpEndpointForm): string {
  const name = encodeURIComponent(segment);
  return form === 'server-first' ? `${base}/${name}/mcp` : `${base}/mcp/${name}`;
}

/** Where the `WWW-Authenticate` challenge of an MCP endpoint points (RFC 9728 §5.1). */
export function resourceMetadataUrl(base: string, segment: string, form: McpEndpointForm): string {
  return `${base}/.well-known/oauth-protected-resource${new URL(mcpEndpointUrl(base, segment, form)).pathname}`;
}

export function protectedResourceMetadata(base: string, segment: string, form: McpEndpointForm, server: McpServerDefinition): OAuthProtectedResourceMetadata {
  return {
    resource: mcpEndpointUrl(base, segment, form),
    authorization_servers: [`${base}/${encodeURIComponent(segment)}`],
    bearer_methods_supported: ['header'],
    ...(server.auth.scopes !== undefined && server.auth.scopes.length > 0 ? { scopes_supported: server.auth.scopes } : {}),
  };
}

/**
 * With a configured `client_id` the proxy answers registration itself and adds the secret at `/token`, so clients
 * are public (`none`); otherwise they hold whatever the upstream registered them with.
 */
export function authorizationServerMetadata(base: string, segment: string, server: McpServerDefinition): OAuthMetadata {
  const issuer = `${base}/${encodeURIComponent(segment)}`;
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: server.auth.clientId !== undefined ? ['none'] : ['none', 'client_secret_post', 'client_secret_basic'],
    ...(server.auth.scopes !== undefined && server.auth.scopes.length > 0 ? { scopes_supported: server.auth.scopes } : {}),
  };
}
