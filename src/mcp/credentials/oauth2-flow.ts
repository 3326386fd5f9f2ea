/**
 * Which OAuth2 grant an `auth_type: oauth2` server uses, decided as LiteLLM decides it, and whether a request
 * carries the user's own credential for a server on the interactive (authorization code) flow.
 */
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import type { McpServerDefinition } from '../server-definition.js';

/** LiteLLM's `oauth2_flow` values. */
export const OAUTH2_FLOWS = ['client_credentials', 'authorization_code'] as const;
export type OAuth2Flow = (typeof OAUTH2_FLOWS)[number];

/**
 * `oauth2_flow` when written; else the proxy's own client-credentials grant when `token_url`, `client_id` and
 * `client_secret` are all given (LiteLLM's `has_client_credentials`), else the interactive flow in which the MCP
 * client authorizes the user through the proxy. `present` says whether a field is set (or names an unset
 * `os.environ/` variable, which still means the operator meant to set it).
 */
export function oauth2FlowOf(
  written: string | null | undefined,
  present: { clientId: boolean; clientSecret: boolean; tokenUrl: boolean },
): OAuth2Flow {
  if (written === 'client_credentials' || written === 'authorization_code') return written;
  return present.clientId && present.clientSecret && present.tokenUrl ? 'client_credentials' : 'authorization_code';
}

/**
 * An `auth_type: oauth2` server whose credential is the user's token, sent by the MCP client on each request.
 * A definition without a `flow` is decided from its credentials.
 */
export function isInteractiveOAuth(server: Pick<McpServerDefinition, 'auth'>): boolean {
  const { auth } = server;
  if (auth.type !== 'oauth2') return false;
  const flow = auth.flow ?? oauth2FlowOf(undefined, { clientId: isSet(auth.clientId), clientSecret: isSet(auth.clientSecret), tokenUrl: isSet(auth.tokenUrl) });
  return flow === 'authorization_code';
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}

/**
 * The user's `Authorization` for an interactive-OAuth server: only when it does not carry the proxy key (the key
 * then came in `x-litellm-api-key`; mcp-client-headers.ts keeps it out of `forwardable`).
 */
export function userAuthorization(headers: McpClientHeaders): string | undefined {
  const authorization = headers.forwardable.authorization;
  return authorization === undefined || authorization.trim() === '' ? undefined : authorization;
}

/**
 * Whether the request carries a credential for `server` by the precedence resolveUpstreamHeaders applies:
 * this server's `x-mcp-{server}-*` headers, the legacy `x-mcp-auth`, or the user's `Authorization`.
 */
export function hasUserCredential(server: Pick<McpServerDefinition, 'id'>, headers: McpClientHeaders): boolean {
  const perServer = headers.perServer.get(server.id);
  if (perServer !== undefined && Object.keys(perServer).length > 0) return true;
  return headers.clientAuth !== undefined || userAuthorization(headers) !== undefined;
}
