/**
 * The proxy's side of an interactive-OAuth dance with an upstream's authorization server: the authorization
 * redirect, the token request (the configured client secret added here and never shown to the client), and
 * dynamic client registration (answered by the proxy when a client_id is configured, else relayed).
 */
import type { McpServerDefinition } from '../server-definition.js';
import type { UpstreamOAuthEndpoints } from './upstream-oauth-discovery.js';

/** An answer to relay to the client as is. */
export interface RelayedAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface RelayRequest {
  fetch: typeof fetch;
  signal: AbortSignal;
}

/** The client_id (and secret) the operator registered with the upstream, if any. */
function configuredClient(server: McpServerDefinition): { id: string; secret?: string } | undefined {
  const { clientId, clientSecret } = server.auth;
  if (clientId === undefined || clientId === '') return undefined;
  return clientSecret === undefined || clientSecret === '' ? { id: clientId } : { id: clientId, secret: clientSecret };
}

/**
 * The upstream authorization URL for the client's query: PKCE, `redirect_uri` and `state` passed through,
 * `client_id` the configured one when set, `resource` the upstream's own, `scope` the configured scopes when
 * the client asked for none.
 */
export function authorizationRedirect(server: McpServerDefinition, endpoints: UpstreamOAuthEndpoints, query: Readonly<Record<string, string>>): string {
  const url = new URL(endpoints.authorizationEndpoint);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const client = configuredClient(server);
  if (client !== undefined) url.searchParams.set('client_id', client.id);
  if (url.searchParams.has('resource')) url.searchParams.set('resource', endpoints.resource);
  if (!url.searchParams.has('scope') && server.auth.scopes !== undefined && server.auth.scopes.length > 0) {
    url.searchParams.set('scope', server.auth.scopes.join(' '));
  }
  return url.href;
}

/**
 * Forwards a token request (authorization_code or refresh_token grant) to the upstream token endpoint. With a
 * configured client its id and secret are used (in the form, or as HTTP Basic when the upstream supports only
 * that); without one the client's own Basic credentials from its upstream registration pass through.
 */
export async function relayTokenRequest(
  server: McpServerDefinition,
  endpoints: UpstreamOAuthEndpoints,
  form: URLSearchParams,
  clientBasic: string | undefined,
  request: RelayRequest,
): Promise<RelayedAnswer> {
  const body = new URLSearchParams(form);
  if (body.has('resource')) body.set('resource', endpoints.resource);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const client = configuredClient(server);
  if (client === undefined) {
    if (clientBasic !== undefined) headers.authorization = clientBasic;
  } else {
    body.set('client_id', client.id);
    body.delete('client_secret');
    if (client.secret !== undefined) {
      const basicOnly = endpoints.tokenAuthMethods.includes('client_secret_basic') && !endpoints.tokenAuthMethods.includes('client_secret_post');
      if (basicOnly) headers.authorization = `Basic ${basicCredentials(client.id, client.secret)}`;
      else body.set('client_secret', client.secret);
    }
  }
  const response = await request.fetch(endpoints.tokenEndpoint, { method: 'POST', headers, body: body.toString(), signal: request.signal });
  return { status: response.status, body: withoutSecret(await jsonObjectOf(response), client?.secret) };
}

/**
 * RFC 7591 registration. With a configured client_id the proxy answers itself: the client gets that id and no
 * secret (the proxy adds it at `/token`). Otherwise the request goes to the upstream's registration endpoint;
 * undefined when it has none.
 */
export async function registerClient(
  server: McpServerDefinition,
  endpoints: UpstreamOAuthEndpoints | undefined,
  metadata: Record<string, unknown>,
  request: RelayRequest,
): Promise<RelayedAnswer | undefined> {
  const client = configuredClient(server);
  if (client !== undefined) {
    const { client_secret: _ignored, ...echoed } = metadata;
    return {
      status: 201,
      body: { ...echoed, client_id: client.id, client_id_issued_at: Math.floor(Date.now() / 1000), token_endpoint_auth_method: 'none' },
    };
  }
  if (endpoints?.registrationEndpoint === undefined) return undefined;
  const response = await request.fetch(endpoints.registrationEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(metadata),
    signal: request.signal,
  });
  return { status: response.status, body: await jsonObjectOf(response) };
}

/** RFC 6749 §2.3.1: both parts form-urlencoded before they are joined and base64-encoded. */
function basicCredentials(id: string, secret: string): string {
  return Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`, 'utf8').toString('base64');
}

async function jsonObjectOf(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below in OAuth's error shape.
  }
  return { error: 'server_error', error_description: `The upstream authorization server answered HTTP ${response.status} without a JSON object.` };
}

/** An upstream that echoes the request (some do in error descriptions) must not hand the client our secret. */
function withoutSecret(body: Record<string, unknown>, secret: string | undefined): Record<string, unknown> {
  if (secret === undefined) return body;
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return value.split(secret).join('[redacted]');
    if (Array.isArray(value)) return value.map(scrub);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrub(item)]));
    return value;
  };
  return scrub(body) as Record<string, unknown>;
}
