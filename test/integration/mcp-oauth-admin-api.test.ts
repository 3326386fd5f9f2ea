/**
 * Interactive MCP OAuth on a server created through `POST /v1/mcp/server` with LiteLLM's top-level
 * `authorization_url`, `token_url`, `registration_url` and `oauth2_flow`: the official SDK client signs in through
 * it exactly as through a config.yaml one (mcp-oauth-interactive.test.ts). The protected upstream names a dead
 * authorization server, so only the stored endpoints can make the flow work. `PUT` with `oauth2_flow:
 * client_credentials` and a `token_url` turns the same server into the proxy's own M2M grant; a bad URL is a 400
 * naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startAuthorizationServer, type FixtureAuthorizationServer } from '../fixtures/oauth/authorization-server.js';
import { startOAuthProtectedServer, type OAuthProtectedServer } from '../fixtures/mcp/oauth-protected-server.js';
import { startOAuth2TokenServer, type OAuth2TokenServer } from '../fixtures/oauth2-token-server.js';
import { adminRequest, type AdminResponse } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { textOf } from './mcp-downstream.js';
import { MemoryOAuthProvider, signIn } from './mcp-oauth-client.js';

const MASTER = 'sk-master-oauth-admin';
/** Nothing listens here: discovery from the upstream's metadata would fail. */
const DEAD_ISSUER = 'http://127.0.0.1:9';
const M2M_TOKEN = 'm2m-token-1';

let authServer: FixtureAuthorizationServer;
let m2m: OAuth2TokenServer;
let upstream: OAuthProtectedServer;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  authServer = await startAuthorizationServer();
  m2m = await startOAuth2TokenServer(() => ({ kind: 'token', accessToken: M2M_TOKEN, expiresIn: 3600 }));
  upstream = await startOAuthProtectedServer(DEAD_ISSUER, (token) => authServer.issued(token) || token === M2M_TOKEN);
  // gh_cfg: the config.yaml twin of the server the first test creates through the API.
  gatehouse = await startGatehouse(`
model_list: []
general_settings: { master_key: ${MASTER}, mcp_health_check_interval: 0 }
mcp_servers:
  gh_cfg:
    url: "${upstream.url}"
    transport: http
    auth_type: oauth2
    authorization_url: "${authServer.origin}/authorize"
    token_url: "${authServer.origin}/token"
    registration_url: "${authServer.origin}/register"
    oauth2_flow: authorization_code
`);
});

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([authServer?.close(), m2m?.close(), upstream?.close()]);
});

const admin = (method: string, path: string, body?: unknown): Promise<AdminResponse> => adminRequest(gatehouse.origin, method, path, { key: MASTER, body });

function interactiveServer(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server_id: id,
    server_name: id,
    url: upstream.url,
    transport: 'http',
    auth_type: 'oauth2',
    authorization_url: `${authServer.origin}/authorize`,
    token_url: `${authServer.origin}/token`,
    registration_url: `${authServer.origin}/register`,
    oauth2_flow: 'authorization_code',
    ...extra,
  };
}

async function callWhoami(path: string): Promise<string> {
  const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}${path}`), { requestInit: { headers: { 'x-litellm-api-key': MASTER } } }));
  try {
    return textOf(await client.callTool({ name: 'whoami', arguments: {} }));
  } finally {
    await client.close();
  }
}

describe('interactive OAuth on a server created through /v1/mcp/server', () => {
  it('stores and shows authorization_url, token_url, registration_url and oauth2_flow, and signs a user in with the SDK client through them', async () => {
    const created = await admin('POST', '/v1/mcp/server', interactiveServer('gh_api'));
    expect(created.status).toBe(201);
    const shown = {
      authorization_url: `${authServer.origin}/authorize`,
      token_url: `${authServer.origin}/token`,
      registration_url: `${authServer.origin}/register`,
      oauth2_flow: 'authorization_code',
      credentials: null,
    };
    expect(created.body).toMatchObject(shown);
    expect((await admin('GET', '/v1/mcp/server/gh_api')).body).toMatchObject(shown);
    expect((await admin('GET', '/v1/mcp/server/gh_cfg')).body).toMatchObject({ ...shown, source: 'config' });

    // The OAuth documents and the challenge are the config twin's, but for the name.
    const documents = async (name: string) => {
      const challenge = await fetch(`${gatehouse.origin}/${name}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-litellm-api-key': MASTER },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      const read = async (path: string) => {
        const response = await fetch(`${gatehouse.origin}${path}`);
        return { status: response.status, body: await response.json() };
      };
      const text = JSON.stringify({
        challenge: [challenge.status, challenge.headers.get('www-authenticate')],
        server: await read(`/.well-known/oauth-authorization-server/${name}`),
        resource: await read(`/.well-known/oauth-protected-resource/${name}/mcp`),
      });
      return JSON.parse(text.replaceAll(name, '<name>')) as unknown;
    };
    const stored = await documents('gh_api');
    expect(stored).toMatchObject({ challenge: [401, expect.stringContaining('resource_metadata=')], server: { status: 200, body: { registration_endpoint: `${gatehouse.origin}/<name>/register` } } });
    expect(stored).toEqual(await documents('gh_cfg'));

    const provider = new MemoryOAuthProvider();
    const client = await signIn({ origin: gatehouse.origin, key: MASTER }, '/gh_api/mcp', provider);
    // Registration was relayed to the stored registration_url, the code exchanged at the stored token_url.
    expect(provider.client?.client_id).toMatch(/^dyn-/);
    expect(authServer.requests.map((request) => request.path)).toEqual(expect.arrayContaining(['/register', '/authorize', '/token']));
    expect(authServer.resources).toContain(upstream.url);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(`Bearer ${provider.saved?.access_token}`);
    await client.close();
    for (const request of [...authServer.requests, ...upstream.requests]) expect(JSON.stringify(request.headers)).not.toContain(MASTER);
  });

  it('reads credentials.token_url as token_url, and refuses the two when they differ', async () => {
    const body = interactiveServer('nested_token', { token_url: undefined, credentials: { token_url: `${authServer.origin}/token` } });
    const created = await admin('POST', '/v1/mcp/server', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ token_url: `${authServer.origin}/token`, credentials: null });
    const clash = await admin('PUT', '/v1/mcp/server', { server_id: 'nested_token', token_url: `${authServer.origin}/a`, credentials: { token_url: `${authServer.origin}/b` } });
    expect(clash.status).toBe(400);
    expect(clash.body).toMatchObject({ error: { type: 'invalid_request_error', param: 'token_url' } });
    expect((await admin('DELETE', '/v1/mcp/server/nested_token')).status).toBe(202);
  });

  it('flips to the proxy\'s client-credentials grant on PUT with oauth2_flow client_credentials and token_url, and back', async () => {
    const created = await admin('POST', '/v1/mcp/server', interactiveServer('flip'));
    expect(created.status).toBe(201);
    // Interactive: without a user's token the call is refused, naming the server.
    await expect(callWhoami('/flip/mcp')).rejects.toThrow(/401|authoriz/i);

    const missing = await admin('PUT', '/v1/mcp/server', { server_id: 'flip', oauth2_flow: 'client_credentials' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { param: 'credentials.client_id', message: expect.stringContaining('client_credentials flow') } });

    const flipped = await admin('PUT', '/v1/mcp/server', {
      server_id: 'flip',
      oauth2_flow: 'client_credentials',
      token_url: m2m.tokenUrl,
      credentials: { client_id: 'm2m-client', client_secret: 'm2m-secret' },
    });
    expect(flipped.status).toBe(202);
    expect(flipped.body).toMatchObject({ oauth2_flow: 'client_credentials', token_url: m2m.tokenUrl, authorization_url: `${authServer.origin}/authorize`, credentials: null });
    expect(await callWhoami('/flip/mcp')).toBe(`Bearer ${M2M_TOKEN}`);
    expect(Object.fromEntries(m2m.requests[0].form)).toMatchObject({ grant_type: 'client_credentials', client_id: 'm2m-client', client_secret: 'm2m-secret' });
    // An M2M server has no OAuth endpoints of its own.
    expect((await fetch(`${gatehouse.origin}/.well-known/oauth-authorization-server/flip`)).status).toBe(404);

    const back = await admin('PUT', '/v1/mcp/server', { server_id: 'flip', oauth2_flow: 'authorization_code' });
    expect(back.status).toBe(202);
    expect((await fetch(`${gatehouse.origin}/.well-known/oauth-authorization-server/flip`)).status).toBe(200);
    expect((await admin('DELETE', '/v1/mcp/server/flip')).status).toBe(202);
  });
});

describe('the oauth2 fields are checked as config.yaml checks them', () => {
  it.each(['authorization_url', 'token_url', 'registration_url'])('refuses a %s that is not an http(s) URL with a 400 naming it, on create and on update', async (field) => {
    const created = await admin('POST', '/v1/mcp/server', interactiveServer(`bad_${field}`, { [field]: 'ftp://auth.example/x' }));
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({ error: { type: 'invalid_request_error', param: field, message: `Invalid MCP server: '${field}' must be an http(s) URL.` } });

    expect((await admin('POST', '/v1/mcp/server', interactiveServer(`ok_${field}`))).status).toBe(201);
    const updated = await admin('PUT', '/v1/mcp/server', { server_id: `ok_${field}`, [field]: 'not a url' });
    expect(updated.status).toBe(400);
    expect(updated.body).toMatchObject({ error: { param: field } });
    expect((await admin('GET', `/v1/mcp/server/ok_${field}`)).body).toMatchObject({ [field]: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) });
    expect((await admin('DELETE', `/v1/mcp/server/ok_${field}`)).status).toBe(202);
  });

  it('refuses an unknown oauth2_flow, and reads "" as an unset URL', async () => {
    const refused = await admin('POST', '/v1/mcp/server', interactiveServer('bad_flow', { oauth2_flow: 'implicit' }));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { param: 'oauth2_flow', message: expect.stringContaining('"client_credentials", "authorization_code"') } });
    const empty = await admin('POST', '/v1/mcp/server', interactiveServer('empty_urls', { registration_url: '', oauth2_flow: null }));
    expect(empty.status).toBe(201);
    expect(empty.body).toMatchObject({ registration_url: null, oauth2_flow: null });
    expect((await admin('DELETE', '/v1/mcp/server/empty_urls')).status).toBe(202);
  });
});
