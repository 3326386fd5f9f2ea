/** Which credentials an upstream MCP server receives: auth types, precedence, header copying and stdio env. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseMcpClientHeaders, type McpClientHeaders } from '../../../../src/auth/mcp-client-headers.js';
import { OAuth2TokenCache } from '../../../../src/mcp/credentials/oauth2-token-cache.js';
import {
  credentialFingerprint,
  resolveStdioEnv,
  resolveUpstreamHeaders,
} from '../../../../src/mcp/credentials/upstream-headers.js';
import type { McpServerDefinition, UpstreamAuthConfig } from '../../../../src/mcp/server-definition.js';
import { startOAuth2TokenServer, type OAuth2TokenServer } from '../../../fixtures/oauth2-token-server.js';

function definition(overrides: Partial<McpServerDefinition> = {}, auth: UpstreamAuthConfig = { type: 'none' }): McpServerDefinition {
  return {
    id: 'srv',
    name: 'srv',
    prefix: 'srv',
    transport: 'http',
    url: 'http://127.0.0.1:1/mcp',
    args: [],
    env: {},
    auth,
    staticHeaders: {},
    extraHeaders: [],
    accessGroups: [],
    ...overrides,
  };
}

function clientHeaders(overrides: Partial<McpClientHeaders> = {}): McpClientHeaders {
  return { perServer: new Map(), forwardable: {}, ...overrides };
}

/** A cache whose fetch fails the test: proves no token request is made. */
function noTokenRequests(): { cache: OAuth2TokenCache; fetchSpy: ReturnType<typeof vi.fn<typeof fetch>> } {
  const fetchSpy = vi.fn<typeof fetch>(() => Promise.reject(new Error('no token request expected')));
  return { cache: new OAuth2TokenCache({ fetch: fetchSpy }), fetchSpy };
}

async function headersFor(server: McpServerDefinition, client: McpClientHeaders = clientHeaders()): Promise<Record<string, string>> {
  const { cache, fetchSpy } = noTokenRequests();
  const headers = await resolveUpstreamHeaders(server, client, cache);
  expect(fetchSpy).not.toHaveBeenCalled();
  return headers;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

let tokenServer: OAuth2TokenServer | null = null;

afterEach(async () => {
  await tokenServer?.close();
  tokenServer = null;
});

async function oauthDefinition(overrides: Partial<McpServerDefinition> = {}): Promise<McpServerDefinition> {
  tokenServer = await startOAuth2TokenServer((_request, index) => ({ kind: 'token', accessToken: `oauth-${index}`, expiresIn: 3600 }));
  return definition(overrides, { type: 'oauth2', clientId: 'cid', clientSecret: 'csecret', tokenUrl: tokenServer.tokenUrl });
}

describe('resolveUpstreamHeaders: static credential by auth type', () => {
  it.each<[UpstreamAuthConfig, Record<string, string>]>([
    [{ type: 'none', value: 'ignored' }, {}],
    [{ type: 'api_key', value: 'k-1' }, { 'X-API-Key': 'k-1' }],
    [{ type: 'bearer_token', value: 'b-1' }, { Authorization: 'Bearer b-1' }],
    [{ type: 'basic', value: 'user:pass' }, { Authorization: `Basic ${b64('user:pass')}` }],
    [{ type: 'basic', value: 'dXNlcjpwYXNz' }, { Authorization: 'Basic dXNlcjpwYXNz' }],
    [{ type: 'authorization', value: 'Custom scheme=1' }, { Authorization: 'Custom scheme=1' }],
    [{ type: 'token', value: 'ghp_1' }, { Authorization: 'token ghp_1' }],
    [{ type: 'bearer_token' }, {}],
    [{ type: 'bearer_token', value: '' }, {}],
  ])('%j → %j', async (auth, expected) => {
    expect(await headersFor(definition({}, auth))).toEqual(expected);
  });

  it.each([
    ['base64 of text without a colon', b64('abcd')],
    ['a token that only looks like base64', 'abcdefgh'],
    ['base64 with the wrong length', 'dXNlcjpwYXNzZ'],
    ['non-canonical base64 (padding bits set)', 'dXNlcjpwYXN='],
    ['base64 of bytes that are not UTF-8', Buffer.from([0x3a, 0x41, 0xff, 0x42]).toString('base64')],
    ['base64 of text with control characters', b64('user:\u0001pass')],
    ['a plain password', 'hunter2'],
  ])('basic: encodes %s', async (_label, value) => {
    const headers = await headersFor(definition({}, { type: 'basic', value }));
    expect(headers).toEqual({ Authorization: `Basic ${b64(value)}` });
  });

  it('basic: encodes user:pass even when the password contains base64 characters', async () => {
    const headers = await headersFor(definition({}, { type: 'basic', value: 'admin:dXNlcjpwYXNz' }));
    expect(headers.Authorization).toBe(`Basic ${b64('admin:dXNlcjpwYXNz')}`);
  });

  it('oauth2: sends the client-credentials token as a Bearer token', async () => {
    const server = await oauthDefinition();
    const headers = await resolveUpstreamHeaders(server, clientHeaders(), new OAuth2TokenCache());
    expect(headers).toEqual({ Authorization: 'Bearer oauth-0' });
    expect(tokenServer?.fetchCount).toBe(1);
  });
});

describe('resolveUpstreamHeaders: precedence per-request > x-mcp-auth > oauth2 > static', () => {
  it('per-request headers beat the oauth2 token, and no token is fetched', async () => {
    const server = await oauthDefinition();
    const client = clientHeaders({ perServer: new Map([['srv', { Authorization: 'Bearer mine' }]]) });

    const headers = await resolveUpstreamHeaders(server, client, new OAuth2TokenCache());

    expect(headers).toEqual({ Authorization: 'Bearer mine' });
    expect(tokenServer?.fetchCount).toBe(0);
  });

  it('per-request headers replace the static credential entirely, even when they name another header', async () => {
    const client = clientHeaders({ perServer: new Map([['srv', { 'X-Api-Key': 'mine' }]]) });
    const headers = await headersFor(definition({}, { type: 'bearer_token', value: 'static' }), client);
    expect(headers).toEqual({ 'X-Api-Key': 'mine' });
  });

  it('per-request headers beat x-mcp-auth', async () => {
    const client = clientHeaders({ perServer: new Map([['srv', { Authorization: 'Bearer mine' }]]), clientAuth: 'legacy' });
    expect(await headersFor(definition({}, { type: 'bearer_token', value: 'static' }), client)).toEqual({
      Authorization: 'Bearer mine',
    });
  });

  it('per-request headers for another server are not used', async () => {
    const client = clientHeaders({ perServer: new Map([['other', { Authorization: 'Bearer theirs' }]]) });
    expect(await headersFor(definition({}, { type: 'bearer_token', value: 'static' }), client)).toEqual({
      Authorization: 'Bearer static',
    });
  });

  it('x-mcp-auth beats the oauth2 token and is sent as a Bearer token', async () => {
    const server = await oauthDefinition();
    const headers = await resolveUpstreamHeaders(server, clientHeaders({ clientAuth: 'legacy' }), new OAuth2TokenCache());
    expect(headers).toEqual({ Authorization: 'Bearer legacy' });
    expect(tokenServer?.fetchCount).toBe(0);
  });

  it.each<[UpstreamAuthConfig['type'], Record<string, string>]>([
    ['bearer_token', { Authorization: 'Bearer legacy:pw' }],
    ['api_key', { 'X-API-Key': 'legacy:pw' }],
    ['basic', { Authorization: `Basic ${b64('legacy:pw')}` }],
    ['authorization', { Authorization: 'legacy:pw' }],
    ['token', { Authorization: 'token legacy:pw' }],
    ['none', {}],
  ])('x-mcp-auth beats the static value and is formatted by auth type %s', async (type, expected) => {
    const client = clientHeaders({ clientAuth: 'legacy:pw' });
    expect(await headersFor(definition({}, { type, value: 'static:value' }), client)).toEqual(expected);
  });

  it('the oauth2 token beats a static value configured on the same server', async () => {
    const base = await oauthDefinition();
    const server = { ...base, auth: { ...base.auth, value: 'static' } };
    const headers = await resolveUpstreamHeaders(server, clientHeaders(), new OAuth2TokenCache());
    expect(headers).toEqual({ Authorization: 'Bearer oauth-0' });
  });
});

describe('resolveUpstreamHeaders: extra_headers and static_headers', () => {
  it('copies allow-listed client headers under the configured casing, looking them up case-insensitively', async () => {
    const server = definition({ extraHeaders: ['X-Tenant-ID', 'X-Missing'] });
    const client = clientHeaders({ forwardable: { 'x-tenant-id': 'acme', 'x-other': 'no' } });
    expect(await headersFor(server, client)).toEqual({ 'X-Tenant-ID': 'acme' });
  });

  it('lets static headers override copied ones without duplicating the name', async () => {
    const server = definition({ extraHeaders: ['X-Tenant'], staticHeaders: { 'x-tenant': 'fixed', 'X-Static': 's' } });
    const client = clientHeaders({ forwardable: { 'x-tenant': 'from-client' } });
    expect(await headersFor(server, client)).toEqual({ 'x-tenant': 'fixed', 'X-Static': 's' });
  });

  it('lets the credential override a static authorization header without duplicating it', async () => {
    const server = definition({ staticHeaders: { authorization: 'Basic old' } }, { type: 'bearer_token', value: 'b' });
    expect(await headersFor(server)).toEqual({ Authorization: 'Bearer b' });
  });

  it('lets per-request headers override a same-named static header', async () => {
    const server = definition({ staticHeaders: { 'X-Region': 'eu', 'X-Keep': 'k' } });
    const client = clientHeaders({ perServer: new Map([['srv', { 'X-Region': 'us' }]]) });
    expect(await headersFor(server, client)).toEqual({ 'X-Region': 'us', 'X-Keep': 'k' });
  });

  it('keeps a static Authorization header when no credential applies', async () => {
    const server = definition({ staticHeaders: { Authorization: 'Bearer static-header' } });
    expect(await headersFor(server)).toEqual({ Authorization: 'Bearer static-header' });
  });

  it('never copies the caller\'s Authorization to an oauth2 (client-credentials) server', async () => {
    const server = await oauthDefinition({ extraHeaders: ['Authorization', 'X-Tenant'] });
    const client = clientHeaders({
      forwardable: { authorization: 'Bearer caller', 'x-tenant': 'acme' },
      perServer: new Map([['srv', { 'X-Trace': 't' }]]),
    });
    const headers = await resolveUpstreamHeaders(server, client, new OAuth2TokenCache());
    expect(headers).toEqual({ 'X-Tenant': 'acme', 'X-Trace': 't' });
  });
});

describe('resolveUpstreamHeaders: the proxy key never goes upstream', () => {
  const servers = [{ id: 'srv', name: 'srv' }];
  const server = definition({ extraHeaders: ['Authorization', 'x-litellm-api-key', 'X-Tenant'] });

  it('when it came in Authorization', async () => {
    const client = parseMcpClientHeaders(
      { authorization: 'Bearer sk-proxy', 'x-tenant': 'acme' },
      servers,
      { clientAuthHeaderName: 'x-mcp-auth', proxyKeyPresentedIn: 'authorization' },
    );
    expect(await headersFor(server, client)).toEqual({ 'X-Tenant': 'acme' });
  });

  it('when it came in x-litellm-api-key (Authorization is then the caller\'s upstream token)', async () => {
    const client = parseMcpClientHeaders(
      { 'x-litellm-api-key': 'sk-proxy', authorization: 'Bearer upstream', 'x-tenant': 'acme' },
      servers,
      { clientAuthHeaderName: 'x-mcp-auth', proxyKeyPresentedIn: 'x-litellm-api-key' },
    );
    const headers = await headersFor(server, client);
    expect(headers).toEqual({ Authorization: 'Bearer upstream', 'X-Tenant': 'acme' });
    expect(JSON.stringify(headers)).not.toContain('sk-proxy');
  });
});

describe('resolveStdioEnv', () => {
  const server = definition({
    transport: 'stdio',
    env: {
      LITERAL: 'plain',
      TENANT: '${X-Tenant-Id}',
      TOKEN: '${X-Github-Token}',
      MISSING: '${X-Not-Sent}',
      PROXY_KEY: '${X-Litellm-Api-Key}',
      NOT_A_REFERENCE: 'prefix-${X-Tenant-Id}',
      AUTH_NOT_X: '${Authorization}',
    },
  });

  it('fills ${X-Header} values from the request, keeps other values literal and omits absent headers', () => {
    const client = clientHeaders({
      forwardable: { 'x-tenant-id': 'acme', 'x-github-token': 'from-forwardable', authorization: 'Bearer a' },
      perServer: new Map([['srv', { 'X-Github-Token': 'from-per-server' }]]),
    });
    expect(resolveStdioEnv(server, client)).toEqual({
      LITERAL: 'plain',
      TENANT: 'acme',
      TOKEN: 'from-per-server',
      NOT_A_REFERENCE: 'prefix-${X-Tenant-Id}',
      AUTH_NOT_X: '${Authorization}',
    });
  });

  it('falls back to forwardable headers when the server has no per-request value', () => {
    const client = clientHeaders({ forwardable: { 'x-github-token': 'from-forwardable' } });
    expect(resolveStdioEnv(server, client)).toMatchObject({ TOKEN: 'from-forwardable' });
    expect(resolveStdioEnv(server, client)).not.toHaveProperty('TENANT');
  });

  it('never fills a variable with the proxy key', () => {
    const client = parseMcpClientHeaders(
      { 'x-litellm-api-key': 'sk-proxy' },
      [{ id: 'srv', name: 'srv' }],
      { clientAuthHeaderName: 'x-mcp-auth', proxyKeyPresentedIn: 'x-litellm-api-key' },
    );
    expect(resolveStdioEnv(server, client)).not.toHaveProperty('PROXY_KEY');
  });
});

describe('credentialFingerprint', () => {
  it('is stable and independent of key order', () => {
    expect(credentialFingerprint({ a: '1', b: '2' })).toBe(credentialFingerprint({ b: '2', a: '1' }));
  });

  it('changes with any name or value, and never contains the values', () => {
    const base = credentialFingerprint({ Authorization: 'Bearer secret-token' });
    expect(credentialFingerprint({ Authorization: 'Bearer secret-token2' })).not.toBe(base);
    expect(credentialFingerprint({ 'X-API-Key': 'Bearer secret-token' })).not.toBe(base);
    expect(credentialFingerprint({})).not.toBe(base);
    expect(base).not.toContain('secret');
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('does not confuse values that only differ in how they would be concatenated', () => {
    expect(credentialFingerprint({ a: 'b:c' })).not.toBe(credentialFingerprint({ 'a:b': 'c' }));
  });
});

describe('interactive OAuth servers (auth_type oauth2, authorization_code flow)', () => {
  const interactive = definition({ extraHeaders: ['Authorization'] }, { type: 'oauth2', flow: 'authorization_code', clientId: 'cid', clientSecret: 'csecret' });
  const parse = (headers: Record<string, string>) =>
    parseMcpClientHeaders(headers, [{ id: 'srv', name: 'srv' }], {
      clientAuthHeaderName: 'x-mcp-auth',
      proxyKeyPresentedIn: headers['x-litellm-api-key'] !== undefined ? 'x-litellm-api-key' : headers.authorization !== undefined ? 'authorization' : null,
    });

  it("sends the user's Authorization when the proxy key came in x-litellm-api-key, and asks for no token", async () => {
    expect(await headersFor(interactive, parse({ 'x-litellm-api-key': 'sk-proxy', authorization: 'Bearer user-token' }))).toEqual({
      Authorization: 'Bearer user-token',
    });
  });

  it('prefers x-mcp-{server}-authorization over Authorization', async () => {
    const headers = parse({ 'x-litellm-api-key': 'sk-proxy', authorization: 'Bearer user-token', 'x-mcp-srv-authorization': 'Bearer per-server' });
    expect(await headersFor(interactive, headers)).toEqual({ Authorization: 'Bearer per-server' });
  });

  it('never sends the proxy key: Authorization carrying it is no user token, and the request is refused naming the server', async () => {
    for (const headers of [parse({ authorization: 'Bearer sk-proxy' }), parse({ 'x-litellm-api-key': 'Bearer sk-proxy', authorization: 'Bearer sk-proxy' }), parse({})]) {
      await expect(resolveUpstreamHeaders(interactive, headers, noTokenRequests().cache)).rejects.toMatchObject({
        code: 'mcp_oauth_required',
        message: expect.stringContaining('MCP server "srv"'),
      });
    }
  });
});
