/**
 * Where an interactive-OAuth upstream's own authorization server lives: the configured `authorization_url`,
 * `token_url` and `registration_url`, else discovered from the upstream MCP server as an MCP client would
 * (RFC 9728 protected resource metadata → `authorization_servers[0]` → RFC 8414 / OIDC metadata; the server's
 * origin when it publishes no RFC 9728 document), with the SDK's discovery functions. Cached per server.
 */
import { discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import { McpUpstreamError } from '../../http/errors.js';
import type { McpServerDefinition } from '../server-definition.js';

const DEFAULT_TIMEOUT_MS = 10_000;

export interface UpstreamOAuthEndpoints {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** RFC 7591 dynamic registration; absent when the upstream offers none. */
  registrationEndpoint?: string;
  /** How the upstream wants clients to authenticate at its token endpoint (RFC 8414 default: client_secret_basic). */
  tokenAuthMethods: readonly string[];
  /** The upstream's RFC 8707 resource indicator: its RFC 9728 `resource`, else the server URL. */
  resource: string;
}

export interface UpstreamOAuthDiscoveryOptions {
  fetch?: typeof fetch;
  /** How long each discovery request may take (default 10 s). */
  timeoutMs?: number;
}

interface Cached {
  /** The definition's inputs to discovery: an edited server is discovered afresh. */
  key: string;
  endpoints: Promise<UpstreamOAuthEndpoints>;
}

export class UpstreamOAuthDiscovery {
  private readonly cache = new Map<string, Cached>();
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: UpstreamOAuthDiscoveryOptions = {}) {
    this.fetchImpl = options.fetch ?? fetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The upstream's endpoints; a failed discovery is not cached, so the next request tries again. */
  endpointsFor(server: McpServerDefinition): Promise<UpstreamOAuthEndpoints> {
    const { auth } = server;
    const key = JSON.stringify([server.url, auth.authorizationUrl, auth.tokenUrl, auth.registrationUrl, auth.clientId !== undefined]);
    const cached = this.cache.get(server.id);
    if (cached !== undefined && cached.key === key) return cached.endpoints;
    const endpoints = this.discover(server);
    this.cache.set(server.id, { key, endpoints });
    endpoints.catch(() => {
      if (this.cache.get(server.id)?.endpoints === endpoints) this.cache.delete(server.id);
    });
    return endpoints;
  }

  private async discover(server: McpServerDefinition): Promise<UpstreamOAuthEndpoints> {
    const { auth } = server;
    const url = server.url;
    if (url === undefined) throw new McpUpstreamError(`MCP server "${server.name}" has no url to discover its OAuth authorization server from.`);
    const configured = auth.authorizationUrl !== undefined && auth.tokenUrl !== undefined && (auth.registrationUrl !== undefined || auth.clientId !== undefined);
    if (configured) {
      return { authorizationEndpoint: auth.authorizationUrl!, tokenEndpoint: auth.tokenUrl!, registrationEndpoint: auth.registrationUrl, tokenAuthMethods: [], resource: url };
    }
    const fetchFn = (input: string | URL, init?: RequestInit) => this.fetchImpl(input, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    let resourceMetadata: OAuthProtectedResourceMetadata | undefined;
    try {
      resourceMetadata = await discoverOAuthProtectedResourceMetadata(url, undefined, fetchFn);
    } catch {
      // No RFC 9728 document: the MCP spec's fallback is the server's origin as the authorization server.
    }
    const authorizationServer = resourceMetadata?.authorization_servers?.[0] ?? new URL('/', url).href;
    let metadata;
    try {
      metadata = await discoverAuthorizationServerMetadata(authorizationServer, { fetchFn });
    } catch (error) {
      throw new McpUpstreamError(`OAuth discovery for MCP server "${server.name}" failed at ${authorizationServer}.`, { cause: error });
    }
    const authorizationEndpoint = auth.authorizationUrl ?? metadata?.authorization_endpoint;
    const tokenEndpoint = auth.tokenUrl ?? metadata?.token_endpoint;
    if (authorizationEndpoint === undefined || tokenEndpoint === undefined) {
      throw new McpUpstreamError(
        `OAuth discovery for MCP server "${server.name}" found no authorization server metadata at ${authorizationServer}; set authorization_url and token_url.`,
      );
    }
    return {
      authorizationEndpoint,
      tokenEndpoint,
      registrationEndpoint: auth.registrationUrl ?? metadata?.registration_endpoint,
      tokenAuthMethods: metadata?.token_endpoint_auth_methods_supported ?? [],
      resource: resourceMetadata?.resource ?? url,
    };
  }
}
