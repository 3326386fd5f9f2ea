/**
 * The public OAuth endpoints of interactive-OAuth MCP servers (LiteLLM's layout; no proxy key, as an MCP client
 * calls them before it has any token): RFC 9728 and RFC 8414 discovery documents, and the relays to the
 * upstream's authorization server (`/{server}/authorize`, `/{server}/token`, `/{server}/register`). Failures are
 * OAuth error objects (`{error, error_description}`, RFC 6749 §5.2).
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { abortOnDisconnect } from '../http/abort-on-disconnect.js';
import { GatehouseError, InvalidRequestError, McpServerNotFoundError } from '../http/errors.js';
import { requestBaseUrl } from '../http/request-base-url.js';
import { isInteractiveOAuth } from './credentials/oauth2-flow.js';
import { authorizationRedirect, registerClient, relayTokenRequest, type RelayRequest } from './oauth/oauth-relay.js';
import { authorizationServerMetadata, protectedResourceMetadata, type McpEndpointForm } from './oauth/proxy-oauth-metadata.js';
import type { UpstreamOAuthDiscovery } from './oauth/upstream-oauth-discovery.js';
import type { CallerNetwork } from '../auth/caller-network.js';
import { rebindingViolation, type RebindingPolicy } from './gateway/dns-rebinding.js';
import type { McpServerDefinition } from './server-definition.js';
import type { McpServerRegistry } from './server-registry.js';

export interface McpOAuthRoutesOptions {
  registry: McpServerRegistry;
  discovery: UpstreamOAuthDiscovery;
  /** Internal-only servers (`available_on_public_internet: false`) are unknown here to external callers. */
  network: CallerNetwork;
  /** The MCP endpoints' Host/Origin check (`mcp_allowed_hosts` / `mcp_allowed_origins`), applied here too. */
  rebinding: RebindingPolicy;
}

/**
 * The grants a user's sign-in needs. Anything else (client_credentials, password, …) would let any caller use the
 * operator's client secret for its own tokens, so it is refused before the upstream is asked.
 */
const RELAYED_GRANTS: ReadonlySet<string> = new Set(['authorization_code', 'refresh_token']);

/** How long one relayed request to the upstream authorization server may take. */
const RELAY_TIMEOUT_MS = 10_000;

type ServerRequest = FastifyRequest<{ Params: { server: string }; Querystring: Record<string, unknown> }>;

export const mcpOAuthRoutes: FastifyPluginAsync<McpOAuthRoutesOptions> = async (app, { registry, discovery, network, rebinding }) => {
  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    const status = error instanceof GatehouseError ? error.status : (error.statusCode ?? 500);
    const description = status >= 500 && !(error instanceof GatehouseError) ? 'Internal error.' : error.message;
    return reply.code(status).send({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: description });
  });
  app.addHook('onRequest', async (request, reply) => {
    const violation = rebindingViolation(rebinding, request.headers);
    if (violation) return reply.code(403).send({ error: 'access_denied', error_description: violation });
  });
  // RFC 6749 §4.1.3: token requests are form-encoded.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const serverOf = (request: ServerRequest): McpServerDefinition => {
    const server = registry.find(request.params.server);
    const hidden = server?.availableOnPublicInternet === false && network.isExternal(request.socket.remoteAddress, request.headers);
    if (server === undefined || hidden || !isInteractiveOAuth(server)) {
      throw new McpServerNotFoundError(`No MCP server "${request.params.server}" signs users in with OAuth (auth_type oauth2, authorization_code flow).`);
    }
    return server;
  };
  const relay = (reply: FastifyReply): RelayRequest => ({
    fetch,
    signal: AbortSignal.any([abortOnDisconnect(reply).signal, AbortSignal.timeout(RELAY_TIMEOUT_MS)]),
  });

  const resourceMetadata = (form: McpEndpointForm) => async (request: ServerRequest) =>
    protectedResourceMetadata(requestBaseUrl(request), request.params.server, form, serverOf(request));
  app.get('/.well-known/oauth-protected-resource/:server/mcp', resourceMetadata('server-first'));
  app.get('/.well-known/oauth-protected-resource/mcp/:server', resourceMetadata('mcp-first'));
  app.get('/.well-known/oauth-authorization-server/:server', async (request: ServerRequest) =>
    authorizationServerMetadata(requestBaseUrl(request), request.params.server, serverOf(request)),
  );

  app.get('/:server/authorize', async (request: ServerRequest, reply) => {
    const server = serverOf(request);
    const query: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.query)) if (typeof value === 'string') query[name] = value;
    return reply.redirect(authorizationRedirect(server, await discovery.endpointsFor(server), query), 302);
  });

  app.post('/:server/token', async (request: ServerRequest, reply) => {
    const server = serverOf(request);
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(bodyObject(request.body))) if (typeof value === 'string') form.set(name, value);
    const grant = form.get('grant_type') ?? '';
    if (!RELAYED_GRANTS.has(grant)) {
      // RFC 6749 §5.2's error code for a grant this endpoint does not take.
      return reply
        .code(400)
        .header('cache-control', 'no-store')
        .send({ error: 'unsupported_grant_type', error_description: `grant_type must be authorization_code or refresh_token; got "${grant}".` });
    }
    const authorization = request.headers.authorization;
    const clientBasic = typeof authorization === 'string' && /^basic\s/i.test(authorization) ? authorization : undefined;
    const answer = await relayTokenRequest(server, await discovery.endpointsFor(server), form, clientBasic, relay(reply));
    return reply.code(answer.status).header('cache-control', 'no-store').send(answer.body);
  });

  app.post('/:server/register', async (request: ServerRequest, reply) => {
    const server = serverOf(request);
    const endpoints = server.auth.clientId !== undefined ? undefined : await discovery.endpointsFor(server);
    const answer = await registerClient(server, endpoints, bodyObject(request.body), relay(reply));
    if (answer === undefined) {
      throw new InvalidRequestError(`MCP server "${server.name}" offers no dynamic client registration; configure its client_id.`);
    }
    return reply.code(answer.status).send(answer.body);
  });
};

function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new InvalidRequestError('The request body must be an object.');
  return body as Record<string, unknown>;
}
