/**
 * Interactive MCP OAuth through the proxy (LiteLLM's "MCP OAuth": `auth_type: oauth2` without `token_url`): the
 * official SDK client connects to `/{server}/mcp`, gets the 401 challenge, discovers the proxy as the server's
 * authorization server, registers, follows the authorization redirect to the fixture authorization server,
 * exchanges the code through the proxy and calls tools with the user's token, which the proxy forwards upstream.
 * The proxy key never reaches the upstream or the authorization server; the client secret never leaves the proxy.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { parseConfig } from '../../src/config/load-config.js';
import { buildServerRegistry } from '../../src/mcp/server-registry.js';
import { startAuthorizationServer, type FixtureAuthorizationServer } from '../fixtures/oauth/authorization-server.js';
import { startOAuthProtectedServer, type OAuthProtectedServer } from '../fixtures/mcp/oauth-protected-server.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { textOf } from './mcp-downstream.js';
import { MemoryOAuthProvider, signIn } from './mcp-oauth-client.js';

const MASTER = 'sk-master-oauth-interactive';
const CLIENT_ID = 'gh-app-client';
const CLIENT_SECRET = 'gh-app-secret-do-not-leak';

/** Every body the proxy answered the SDK client or the test with (JSON and redirects; not SSE streams). */
const proxyAnswers: string[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('text/event-stream')) proxyAnswers.push(`${response.status} ${response.headers.get('location') ?? ''} ${await response.clone().text()}`);
  return response;
};

let authServer: FixtureAuthorizationServer;
let upstream: OAuthProtectedServer;
let plain: RecordingServer;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  authServer = await startAuthorizationServer({ preRegistered: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
  upstream = await startOAuthProtectedServer(authServer.origin, (token) => authServer.issued(token));
  plain = await startRecordingServer();
  gatehouse = await startGatehouse(
    `
model_list: []
general_settings: { master_key: ${MASTER}, use_x_forwarded_for: true, mcp_allowed_hosts: [gatehouse.test] }
mcp_servers:
  github:
    url: "${upstream.url}"
    auth_type: oauth2
    client_id: os.environ/GITHUB_OAUTH_CLIENT_ID
    client_secret: os.environ/GITHUB_OAUTH_CLIENT_SECRET
  dynamic:
    url: "${upstream.url}"
    auth_type: oauth2
  plain:
    url: "${plain.origin}/plain"
  hidden:
    url: "${upstream.url}"
    auth_type: oauth2
    available_on_public_internet: false
`,
    { env: { GITHUB_OAUTH_CLIENT_ID: CLIENT_ID, GITHUB_OAUTH_CLIENT_SECRET: CLIENT_SECRET } },
  );
});

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([authServer?.close(), upstream?.close(), plain?.close()]);
});

/** Runs the whole flow on `path` through this file's Gatehouse and returns a connected client. */
function signInTo(path: string, provider: MemoryOAuthProvider): Promise<Client> {
  return signIn({ origin: gatehouse.origin, key: MASTER, fetch: recordingFetch }, path, provider);
}

function expectNoProxyKeyUpstream(): void {
  const seen = [...authServer.requests.map((request) => request.headers), ...upstream.requests.map((request) => request.headers)];
  expect(seen.length).toBeGreaterThan(0);
  for (const headers of seen) {
    expect(headers['x-litellm-api-key']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(MASTER);
  }
}

describe('interactive MCP OAuth (auth_type oauth2 without token_url)', () => {
  it('signs a user in with the SDK client through /{server}/mcp and forwards their token upstream (configured client_id)', async () => {
    const provider = new MemoryOAuthProvider();
    const client = await signInTo('/github/mcp', provider);

    // Registration was answered by the proxy with the configured client_id and no secret.
    expect(provider.client).toMatchObject({ client_id: CLIENT_ID });
    expect((provider.client as { client_secret?: string }).client_secret).toBeUndefined();
    // The authorization server saw the upstream's resource, never the proxy's.
    expect(authServer.resources).toContain(upstream.url);
    expect(authServer.resources.some((resource) => resource.startsWith(gatehouse.origin))).toBe(false);
    // ... and the token request carried the secret the proxy added.
    const tokenRequest = authServer.requests.find((request) => request.path === '/token');
    expect(tokenRequest?.params).toMatchObject({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET });

    const tools = await client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toEqual(['whoami']);
    const seen = textOf(await client.callTool({ name: 'whoami', arguments: {} }));
    expect(seen).toBe(`Bearer ${provider.saved?.access_token}`);
    expect(authServer.issued(provider.saved?.access_token ?? '')).toBe(true);
    await client.close();

    expectNoProxyKeyUpstream();
    expect(proxyAnswers.length).toBeGreaterThan(0);
    for (const answer of proxyAnswers) expect(answer).not.toContain(CLIENT_SECRET);
    for (const line of gatehouse.logs) expect(line).not.toContain(CLIENT_SECRET);
  });

  it('relays dynamic client registration to the upstream when no client_id is configured, on /mcp/{server}', async () => {
    const provider = new MemoryOAuthProvider();
    const client = await signInTo('/mcp/dynamic', provider);
    expect(provider.client?.client_id).toMatch(/^dyn-/);
    expect(authServer.requests.some((request) => request.path === '/register')).toBe(true);
    expect(textOf(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(`Bearer ${provider.saved?.access_token}`);
    await client.close();
    expectNoProxyKeyUpstream();
  });

  it('answers 401 with resource_metadata and a JSON-RPC body on the server endpoint, and publishes the discovery documents', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
    for (const [path, metadataPath, resource] of [
      ['/github/mcp', '/.well-known/oauth-protected-resource/github/mcp', '/github/mcp'],
      ['/mcp/github', '/.well-known/oauth-protected-resource/mcp/github', '/mcp/github'],
    ]) {
      // The proxy key in Authorization is the proxy's, never a user token for the upstream.
      for (const auth of [{ 'x-litellm-api-key': MASTER }, { authorization: `Bearer ${MASTER}` }] as Record<string, string>[]) {
        const response = await fetch(`${gatehouse.origin}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...auth },
          body: JSON.stringify(initialize),
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe(`Bearer resource_metadata="${gatehouse.origin}${metadataPath}"`);
        expect(await response.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32004, message: expect.stringContaining('"github"') } });
      }
      const metadata = await fetch(`${gatehouse.origin}${metadataPath}`);
      expect(await metadata.json()).toEqual({
        resource: `${gatehouse.origin}${resource}`,
        authorization_servers: [`${gatehouse.origin}/github`],
        bearer_methods_supported: ['header'],
      });
    }
    // A load balancer's X-Forwarded-Proto/Host name the origin; a value that is not a host[:port] is not taken.
    const forwarded = (host: string) =>
      fetch(`${gatehouse.origin}/.well-known/oauth-protected-resource/github/mcp`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': host } }).then(
        (response) => response.json() as Promise<{ resource: string }>,
      );
    expect((await forwarded('gw.example.com')).resource).toBe('https://gw.example.com/github/mcp');
    expect((await forwarded('evil"x, other')).resource).toBe(`https://${new URL(gatehouse.origin).host}/github/mcp`);
    const server = await (await fetch(`${gatehouse.origin}/.well-known/oauth-authorization-server/github`)).json();
    expect(server).toMatchObject({
      issuer: `${gatehouse.origin}/github`,
      authorization_endpoint: `${gatehouse.origin}/github/authorize`,
      token_endpoint: `${gatehouse.origin}/github/token`,
      registration_endpoint: `${gatehouse.origin}/github/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
    });
    // Only interactive-OAuth servers have these documents.
    expect((await fetch(`${gatehouse.origin}/.well-known/oauth-authorization-server/plain`)).status).toBe(404);
  });

  it('leaves a server awaiting sign-in out of aggregate /mcp, reports it, and refuses calls to it naming the server', async () => {
    const client = new Client({ name: 'gatehouse-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${gatehouse.origin}/mcp`), { requestInit: { headers: { 'x-litellm-api-key': MASTER } } }));
    const listed = await client.listTools();
    const names = listed.tools.map((tool) => tool.name);
    expect(names).toContain('plain-whoami');
    expect(names.some((name) => name.startsWith('github-') || name.startsWith('dynamic-'))).toBe(false);
    const unavailable = listed._meta?.['gatehouse/unavailable_servers'] as { server: string; message: string }[];
    expect(unavailable.map((entry) => entry.server).sort()).toEqual(['dynamic', 'github', 'hidden']);
    expect(unavailable[0].message).toContain('own endpoint');
    await expect(client.callTool({ name: 'github-whoami', arguments: {} })).rejects.toThrow(/MCP server "github" needs the user's OAuth authorization/);
    await client.close();
  });

  it("relays only a user's grants: client_credentials (or any other grant) with the operator's secret is refused", async () => {
    const before = authServer.requests.length;
    for (const grant of ['client_credentials', 'password', '']) {
      const response = await fetch(`${gatehouse.origin}/github/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: grant, scope: 'repo' }).toString(),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'unsupported_grant_type' });
    }
    expect(authServer.requests.length).toBe(before);
  });

  it('hides the OAuth endpoints of an internal-only server from external callers', async () => {
    const metadata = (headers: Record<string, string>) => fetch(`${gatehouse.origin}/.well-known/oauth-authorization-server/hidden`, { headers });
    expect((await metadata({})).status).toBe(200);
    const outside = await metadata({ 'x-forwarded-for': '203.0.113.9' });
    expect(outside.status).toBe(404);
    const authorize = await fetch(`${gatehouse.origin}/hidden/authorize?response_type=code`, { headers: { 'x-forwarded-for': '203.0.113.9' }, redirect: 'manual' });
    expect(authorize.status).toBe(404);
  });

  it('applies the MCP endpoints\' DNS-rebinding check: a foreign Host is refused before anything is relayed', async () => {
    const before = authServer.requests.length;
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${gatehouse.origin}/.well-known/oauth-authorization-server/github`, { headers: { host: 'evil.example' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'access_denied' });
    expect(answer.body).toContain('evil.example');
    expect(authServer.requests.length).toBe(before);
  });

  it("sends a per-server x-mcp-{server}-authorization as the user's token", async () => {
    const provider = new MemoryOAuthProvider();
    await (await signInTo('/github/mcp', provider)).close();
    const token = provider.saved?.access_token ?? '';
    const response = await fetch(`${gatehouse.origin}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-litellm-api-key': MASTER, 'x-mcp-github-authorization': `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'github-whoami', arguments: {} } }),
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(`Bearer ${token}`);
  });
});

describe('health checks of interactive-OAuth servers', () => {
  it('reports them unknown, not unhealthy: a background check has no user token', async () => {
    const response = await fetch(`${gatehouse.origin}/v1/mcp/server/health?server_ids=github&server_ids=plain`, { headers: { authorization: `Bearer ${MASTER}` } });
    expect(response.status).toBe(200);
    const body = JSON.stringify(await response.json());
    expect(body).toMatch(/"server_id":"github"[^}]*"status":"unknown"/);
    expect(body).toMatch(/"server_id":"plain"[^}]*"status":"healthy"/);
  });
});

describe('config: the seed example loads as the interactive flow', () => {
  const seed = `
model_list: []
mcp_servers:
  github_mcp:
    url: "https://api.githubcopilot.com/mcp"
    auth_type: oauth2
    client_id: os.environ/GITHUB_OAUTH_CLIENT_ID
    client_secret: os.environ/GITHUB_OAUTH_CLIENT_SECRET
`;
  it.each([
    ['with the variables set', { GITHUB_OAUTH_CLIENT_ID: 'id', GITHUB_OAUTH_CLIENT_SECRET: 'secret' }],
    ['with the variables unset', {}],
  ])('loads %s', (_what, env: Record<string, string>) => {
    const loaded = parseConfig(seed, 'seed.yaml', env);
    const { registry, problems } = buildServerRegistry(loaded, env);
    expect(problems).toEqual([]);
    expect(registry.get('github_mcp')?.auth).toMatchObject({ type: 'oauth2', flow: 'authorization_code' });
  });

  it('keeps token_url with client_id and client_secret, or oauth2_flow client_credentials, on the client-credentials grant', () => {
    const loaded = parseConfig(
      `
model_list: []
mcp_servers:
  m2m: { url: "https://x.example/mcp", auth_type: oauth2, client_id: a, client_secret: b, token_url: "https://x.example/token" }
  forced: { url: "https://y.example/mcp", auth_type: oauth2, oauth2_flow: client_credentials, client_id: a, client_secret: b, token_url: "https://y.example/token" }
  interactive: { url: "https://z.example/mcp", auth_type: oauth2, oauth2_flow: authorization_code, client_id: a, client_secret: b, token_url: "https://z.example/token", authorization_url: "https://z.example/authorize" }
`,
      'flows.yaml',
      {},
    );
    const { registry } = buildServerRegistry(loaded, {});
    expect(registry.get('m2m')?.auth.flow).toBe('client_credentials');
    expect(registry.get('forced')?.auth.flow).toBe('client_credentials');
    expect(registry.get('interactive')?.auth.flow).toBe('authorization_code');
    expect(() => parseConfig('model_list: []\nmcp_servers:\n  f: { url: "https://x.example/mcp", auth_type: oauth2, oauth2_flow: client_credentials }\n', 'f.yaml', {})).toThrow(
      /mcp_servers\.f\.client_id: is required for auth_type oauth2 with the client_credentials flow/,
    );
  });
});
