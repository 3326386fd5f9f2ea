/**
 * The MCP client side of the interactive OAuth flow, as an IDE runs it against a Gatehouse server endpoint: an
 * in-memory OAuthClientProvider, following the fixture authorization server's redirects, and the whole sign-in
 * with the official SDK client (401 → discovery → registration → authorize → token exchange through the proxy).
 */
import { expect } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

export const REDIRECT = 'http://127.0.0.1:1/callback';

/** An in-memory OAuthClientProvider, as an IDE keeps one per server. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  authorizationUrl: URL | undefined;
  readonly redirectUrl = REDIRECT;
  readonly clientMetadata: OAuthClientMetadata = {
    client_name: 'gatehouse-test',
    redirect_uris: [REDIRECT],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  tokens() {
    return this.saved;
  }
  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
}

/** The Gatehouse a client signs in through: its origin, the proxy key (sent as `x-litellm-api-key`), the fetch to use. */
export interface OAuthGateway {
  origin: string;
  key: string;
  fetch?: typeof fetch;
}

function transportFor(gateway: OAuthGateway, path: string, provider: OAuthClientProvider): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(`${gateway.origin}${path}`), {
    authProvider: provider,
    requestInit: { headers: { 'x-litellm-api-key': gateway.key } },
    fetch: gateway.fetch ?? fetch,
  });
}

/** Follows the authorization redirects (the fixture approves at once) to the client's redirect URI; returns the code. */
async function approve(gateway: OAuthGateway, provider: MemoryOAuthProvider): Promise<string> {
  let location = provider.authorizationUrl?.href;
  for (let hop = 0; location !== undefined && !location.startsWith(REDIRECT); hop++) {
    expect(hop).toBeLessThan(5);
    const response = await (gateway.fetch ?? fetch)(location, { redirect: 'manual' });
    expect(response.status).toBe(302);
    location = new URL(response.headers.get('location') ?? '', location).href;
  }
  const code = new URL(location ?? '').searchParams.get('code');
  expect(code).toBeTruthy();
  return code ?? '';
}

/** Runs the whole flow on `path` and returns a connected client. */
export async function signIn(gateway: OAuthGateway, path: string, provider: MemoryOAuthProvider): Promise<Client> {
  const first = new Client({ name: 'gatehouse-test', version: '1.0.0' });
  const transport = transportFor(gateway, path, provider);
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl?.href.startsWith(`${gateway.origin}/`)).toBe(true);
  await transport.finishAuth(await approve(gateway, provider));
  const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
  await client.connect(transportFor(gateway, path, provider));
  return client;
}
