/** OAuth2 client-credentials tokens for upstream MCP servers, against a real token endpoint on 127.0.0.1. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OAuth2TokenCache, OAuth2TokenError } from '../../../../src/mcp/credentials/oauth2-token-cache.js';
import type { McpServerDefinition, UpstreamAuthConfig } from '../../../../src/mcp/server-definition.js';
import { startOAuth2TokenServer, type OAuth2TokenServer, type TokenReply } from '../../../fixtures/oauth2-token-server.js';

const SECRET = 's3cr3t-Client-Value';

let tokenServer: OAuth2TokenServer | null = null;

afterEach(async () => {
  await tokenServer?.close();
  tokenServer = null;
});

async function startServer(reply: (index: number) => TokenReply): Promise<OAuth2TokenServer> {
  tokenServer = await startOAuth2TokenServer((_request, index) => reply(index));
  return tokenServer;
}

function oauthServer(tokenUrl: string, auth: Partial<UpstreamAuthConfig> = {}, id = 'github'): McpServerDefinition {
  return {
    id,
    name: id,
    prefix: id,
    transport: 'http',
    url: 'http://127.0.0.1:1/mcp',
    args: [],
    env: {},
    auth: { type: 'oauth2', clientId: 'gatehouse', clientSecret: SECRET, tokenUrl, ...auth },
    staticHeaders: {},
    extraHeaders: [],
    accessGroups: [],
  };
}

function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('OAuth2TokenCache', () => {
  it('posts a form-encoded client-credentials grant with the client credentials in the body', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'tok-1', expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();

    await expect(cache.getToken(oauthServer(server.tokenUrl))).resolves.toBe('tok-1');

    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/oauth/token');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(request.form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'gatehouse',
      client_secret: SECRET,
    });
  });

  it('sends the scopes space-joined in one form-encoded scope field', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'tok', expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();

    await cache.getToken(oauthServer(server.tokenUrl, { scopes: ['repo:read', 'user email'] }));

    const [request] = server.requests;
    expect(request.form.getAll('scope')).toEqual(['repo:read user email']);
    expect(request.rawBody).toContain('scope=repo%3Aread+user+email');
  });

  it('leaves scope out when the server has no scopes', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'tok', expiresIn: 3600 }));
    await new OAuth2TokenCache().getToken(oauthServer(server.tokenUrl, { scopes: [] }));
    expect(server.requests[0].form.has('scope')).toBe(false);
  });

  it('reuses a cached token instead of fetching again', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);

    expect(await cache.getToken(definition)).toBe('tok-0');
    expect(await cache.getToken(definition)).toBe('tok-0');
    expect(server.fetchCount).toBe(1);
  });

  it('refreshes 60 s before expires_in runs out', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 120 }));
    const clock = manualClock();
    const cache = new OAuth2TokenCache({ now: clock.now });
    const definition = oauthServer(server.tokenUrl);

    expect(await cache.getToken(definition)).toBe('tok-0');
    clock.advance(59_999);
    expect(await cache.getToken(definition)).toBe('tok-0');
    clock.advance(1);
    expect(await cache.getToken(definition)).toBe('tok-1');
    expect(server.fetchCount).toBe(2);
  });

  it('caches short-lived tokens for at least 10 s', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 30 }));
    const clock = manualClock();
    const cache = new OAuth2TokenCache({ now: clock.now });
    const definition = oauthServer(server.tokenUrl);

    await cache.getToken(definition);
    clock.advance(9_999);
    expect(await cache.getToken(definition)).toBe('tok-0');
    clock.advance(1);
    expect(await cache.getToken(definition)).toBe('tok-1');
  });

  it('assumes expires_in 3600 when the endpoint omits it, and accepts a numeric string', async () => {
    const server = await startServer((index) =>
      index === 0 ? { kind: 'token', accessToken: 'tok-0' } : { kind: 'token', accessToken: `tok-${index}`, expiresIn: '600' },
    );
    const clock = manualClock();
    const cache = new OAuth2TokenCache({ now: clock.now });
    const definition = oauthServer(server.tokenUrl);

    await cache.getToken(definition);
    clock.advance(3_540_000 - 1);
    expect(await cache.getToken(definition)).toBe('tok-0');
    clock.advance(1);
    expect(await cache.getToken(definition)).toBe('tok-1');
    clock.advance(540_000 - 1);
    expect(await cache.getToken(definition)).toBe('tok-1');
    clock.advance(1);
    expect(await cache.getToken(definition)).toBe('tok-2');
  });

  it('shares one in-flight token request between concurrent callers', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    server.hold();
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);

    const calls = Array.from({ length: 8 }, () => cache.getToken(definition));
    await vi.waitFor(() => expect(server.fetchCount).toBe(1));
    server.release();

    expect(await Promise.all(calls)).toEqual(Array(8).fill('tok-0'));
    expect(server.fetchCount).toBe(1);
  });

  it('keeps the shared request alive when one waiting caller aborts', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'tok', expiresIn: 3600 }));
    server.hold();
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);
    const controller = new AbortController();

    const leaving = cache.getToken(definition, controller.signal);
    const staying = cache.getToken(definition);
    await vi.waitFor(() => expect(server.fetchCount).toBe(1));
    controller.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    server.release();

    await expect(staying).resolves.toBe('tok');
    expect(server.fetchCount).toBe(1);
  });

  it('caches tokens per server id', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();

    expect(await cache.getToken(oauthServer(server.tokenUrl, {}, 'a'))).toBe('tok-0');
    expect(await cache.getToken(oauthServer(server.tokenUrl, {}, 'b'))).toBe('tok-1');
    expect(await cache.getToken(oauthServer(server.tokenUrl, {}, 'a'))).toBe('tok-0');
    expect(server.fetchCount).toBe(2);
  });

  it('fetches a new token after invalidate()', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);

    expect(await cache.getToken(definition)).toBe('tok-0');
    cache.invalidate('github');
    expect(await cache.getToken(definition)).toBe('tok-1');
    expect(await cache.getToken(definition)).toBe('tok-1');
    expect(server.fetchCount).toBe(2);
  });

  it('does not cache a token whose request was in flight when invalidate() was called', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    server.hold();
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);

    const stale = cache.getToken(definition);
    await vi.waitFor(() => expect(server.fetchCount).toBe(1));
    cache.invalidate('github');
    server.release();
    expect(await stale).toBe('tok-0');

    expect(await cache.getToken(definition)).toBe('tok-1');
    expect(server.fetchCount).toBe(2);
  });

  it('fetches a new token when the server definition changes its client credentials', async () => {
    const server = await startServer((index) => ({ kind: 'token', accessToken: `tok-${index}`, expiresIn: 3600 }));
    const cache = new OAuth2TokenCache();

    expect(await cache.getToken(oauthServer(server.tokenUrl))).toBe('tok-0');
    expect(await cache.getToken(oauthServer(server.tokenUrl, { clientSecret: 'rotated' }))).toBe('tok-1');
    expect(server.requests[1].form.get('client_secret')).toBe('rotated');
  });

  it.each([401, 500])('reports a %i from the token endpoint with the server and status, never the secret', async (status) => {
    const server = await startServer(() => ({
      kind: 'status',
      status,
      body: JSON.stringify({ error: 'invalid_client', echoed: SECRET }),
    }));
    const cache = new OAuth2TokenCache();

    const error = await cache.getToken(oauthServer(server.tokenUrl)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuth2TokenError);
    const tokenError = error as OAuth2TokenError;
    expect(tokenError.message).toContain('`github`');
    expect(tokenError.message).toContain(String(status));
    expect(tokenError.message).not.toContain(SECRET);
    expect(JSON.stringify(tokenError)).not.toContain(SECRET);
    expect(tokenError.tokenEndpointStatus).toBe(status);
    expect(tokenError.serverId).toBe('github');
    expect(tokenError.status).toBe(502);
    expect(tokenError.code).toBe('mcp_upstream_error');
  });

  it('does not cache a failure: the next call asks the endpoint again', async () => {
    const server = await startServer((index) =>
      index === 0 ? { kind: 'status', status: 500 } : { kind: 'token', accessToken: 'tok-ok', expiresIn: 3600 },
    );
    const cache = new OAuth2TokenCache();
    const definition = oauthServer(server.tokenUrl);

    await expect(cache.getToken(definition)).rejects.toBeInstanceOf(OAuth2TokenError);
    await expect(cache.getToken(definition)).resolves.toBe('tok-ok');
    expect(server.fetchCount).toBe(2);
  });

  it('rejects a 200 answer without an access_token', async () => {
    const server = await startServer(() => ({ kind: 'raw', status: 200, contentType: 'application/json', body: '{"token_type":"Bearer"}' }));
    await expect(new OAuth2TokenCache().getToken(oauthServer(server.tokenUrl))).rejects.toThrow(/200 without an access_token/);
  });

  it('rejects a 200 answer that is not JSON', async () => {
    const server = await startServer(() => ({ kind: 'raw', status: 200, contentType: 'text/html', body: '<html>login</html>' }));
    await expect(new OAuth2TokenCache().getToken(oauthServer(server.tokenUrl))).rejects.toThrow(/not JSON/);
  });

  it('gives up on a token endpoint that does not answer within the timeout', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'late', expiresIn: 3600 }));
    server.hold();
    const cache = new OAuth2TokenCache({ timeoutMs: 100 });

    const error = await cache.getToken(oauthServer(server.tokenUrl)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuth2TokenError);
    expect((error as OAuth2TokenError).message).toMatch(/did not answer within 100 ms/);
    expect((error as OAuth2TokenError).tokenEndpointStatus).toBeNull();
    server.release();
  });

  it('reports an unreachable token endpoint without a status', async () => {
    const server = await startServer(() => ({ kind: 'token', accessToken: 'x' }));
    const { tokenUrl } = server;
    await server.close();
    tokenServer = null;

    const error = await new OAuth2TokenCache().getToken(oauthServer(tokenUrl)).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuth2TokenError);
    expect((error as OAuth2TokenError).message).toMatch(/could not be reached/);
    expect((error as OAuth2TokenError).message).not.toContain(SECRET);
  });

  it('refuses a server that is not a complete oauth2 definition, without calling fetch', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const cache = new OAuth2TokenCache({ fetch: fetchSpy });

    await expect(cache.getToken(oauthServer('http://127.0.0.1:1/token', { clientSecret: undefined }))).rejects.toThrow(
      /token_url, client_id and client_secret/,
    );
    await expect(cache.getToken(oauthServer('http://127.0.0.1:1/token', { type: 'bearer_token' }))).rejects.toBeInstanceOf(
      OAuth2TokenError,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
