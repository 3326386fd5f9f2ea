/**
 * The 401 that starts an MCP client's OAuth flow: a request to the own endpoint of an interactive-OAuth server
 * (`/{server}/mcp`, `/mcp/{server}`) without the user's credential is refused with
 * `WWW-Authenticate: Bearer resource_metadata="…"` (MCP authorization spec, RFC 9728 §5.1), pointing at the
 * proxy's metadata for that endpoint. Aggregate endpoints never challenge: they leave such servers out (hub.ts).
 */
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import { McpOAuthRequiredError } from '../../http/errors.js';
import { hasUserCredential, isInteractiveOAuth } from '../credentials/oauth2-flow.js';
import type { McpServerRegistry } from '../server-registry.js';
import { resourceMetadataUrl, type McpEndpointForm } from './proxy-oauth-metadata.js';

export interface OAuthChallenge {
  wwwAuthenticate: string;
  error: McpOAuthRequiredError;
}

/** `segment`: the path's server part; only a single server name or alias (not a list or a group) is challenged. */
export function oauthChallenge(
  registry: McpServerRegistry,
  segment: string,
  form: McpEndpointForm,
  headers: McpClientHeaders,
  base: string,
): OAuthChallenge | undefined {
  if (segment.includes(',')) return undefined;
  const server = registry.find(segment);
  if (server === undefined || !isInteractiveOAuth(server) || hasUserCredential(server, headers)) return undefined;
  const metadata = resourceMetadataUrl(base, segment.trim(), form);
  return {
    wwwAuthenticate: `Bearer resource_metadata="${metadata}"`,
    error: new McpOAuthRequiredError(`MCP server "${server.name}" needs the user's OAuth authorization; discover it at ${metadata}.`),
  };
}
