/**
 * Issue #3 acceptance "each auth type and each client-side header form is observed at a fixture upstream with
 * exactly the expected header": every request the recording fixture got for a server carries exactly that
 * credential, and the `whoami` tool (which echoes what the upstream saw) agrees. The oauth2 grant runs against
 * a real local token endpoint, including a 401 that makes the gateway fetch a fresh token and retry once.
 * The proxy-key half of the same acceptance point lives in mcp-proxy-key.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOAuth2TokenServer, type OAuth2TokenServer } from '../fixtures/oauth2-token-server.js';
import { startRecordingServer, type RecordingServer, type WhoamiAnswer } from '../fixtures/mcp/recording-server.js';
import { stdioProbeCommand } from '../fixtures/mcp/stdio-probe-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const downstream = new DownstreamClients();

/** Calls `whoami` on `/{server}/mcp` with `headers`, and returns what the upstream saw. */
async function whoami(gatehouse: RunningGatehouse, server: string, headers: Record<string, string> = {}): Promise<WhoamiAnswer> {
  const client = await downstream.connect(gatehouse.origin, `/${server}/mcp`, headers);
  const result = await client.callTool({ name: 'whoami', arguments: {} });
  expect(result.isError).toBeFalsy();
  return JSON.parse(textOf(result)) as WhoamiAnswer;
}

/** Every distinct value (or `<absent>`) of `header` over all requests the fixture got on `path`. */
function valuesAt(upstream: RecordingServer, path: string, header: string): string[] {
  const requests = upstream.requests.filter((request) => request.path === path);
  expect(requests.length).toBeGreaterThan(0);
  return [...new Set(requests.map((request) => String(request.headers[header.toLowerCase()] ?? '<absent>')))];
}

describe('upstream credentials by auth_type and header form (issue #3: each auth type observed upstream)', () => {
  let upstream: RecordingServer;
  let gatehouse: RunningGatehouse;
  const stdioTag = randomUUID();

  beforeAll(async () => {
    upstream = await startRecordingServer();
    const probe = stdioProbeCommand(stdioTag);
    gatehouse = await startGatehouse(
      `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  plain:     { url: "${upstream.origin}/plain" }
  apikey:    { url: "${upstream.origin}/apikey", auth_type: api_key, auth_value: os.environ/REC_API_KEY }
  bearer:    { url: "${upstream.origin}/bearer", auth_type: bearer_token, auth_value: b-123 }
  basic:     { url: "${upstream.origin}/basic", auth_type: basic, auth_value: "user:pass" }
  basic_enc: { url: "${upstream.origin}/basic_enc", auth_type: basic, auth_value: dXNlcjpwYXNz }
  raw:       { url: "${upstream.origin}/raw", auth_type: authorization, auth_value: "Custom raw-123" }
  tok:       { url: "${upstream.origin}/tok", auth_type: token, auth_value: t-123 }
  statics:
    url: "${upstream.origin}/statics"
    auth_type: bearer_token
    auth_value: b-static
    static_headers: { X-Static: s-1, Accept: text/plain, Content-Type: text/plain }
  extra:     { url: "${upstream.origin}/extra", extra_headers: [X-Tenant] }
  override:  { url: "${upstream.origin}/override", auth_type: bearer_token, auth_value: b-configured }
  legacy:    { url: "${upstream.origin}/legacy", auth_type: bearer_token }
  probe:
    command: ${probe.command}
    args: ${JSON.stringify(probe.args)}
    env: { TENANT: "\${X-Tenant}", FIXED: fixed-1 }
`,
      { env: { REC_API_KEY: 'k-123' } },
    );
  });

  afterAll(async () => {
    await downstream.closeAll();
    await gatehouse?.close();
    await upstream?.close();
  });

  it.each([
    { server: 'plain', authorization: '<absent>', xApiKey: '<absent>' },
    { server: 'apikey', authorization: '<absent>', xApiKey: 'k-123' },
    { server: 'bearer', authorization: 'Bearer b-123', xApiKey: '<absent>' },
    { server: 'basic', authorization: 'Basic dXNlcjpwYXNz', xApiKey: '<absent>' },
    { server: 'basic_enc', authorization: 'Basic dXNlcjpwYXNz', xApiKey: '<absent>' },
    { server: 'raw', authorization: 'Custom raw-123', xApiKey: '<absent>' },
    { server: 'tok', authorization: 'token t-123', xApiKey: '<absent>' },
  ])('auth_type of $server sends Authorization $authorization and X-API-Key $xApiKey on every upstream request', async (expected) => {
    const seen = await whoami(gatehouse, expected.server);
    expect(seen.authorization ?? '<absent>').toBe(expected.authorization);
    expect(seen.xApiKey ?? '<absent>').toBe(expected.xApiKey);
    expect(valuesAt(upstream, `/${expected.server}`, 'authorization')).toEqual([expected.authorization]);
    expect(valuesAt(upstream, `/${expected.server}`, 'x-api-key')).toEqual([expected.xApiKey]);
  });

  it('sends static_headers on every request, beside the configured credential', async () => {
    const seen = await whoami(gatehouse, 'statics');
    expect(seen.headers['x-static']).toBe('s-1');
    expect(valuesAt(upstream, '/statics', 'x-static')).toEqual(['s-1']);
    expect(valuesAt(upstream, '/statics', 'authorization')).toEqual(['Bearer b-static']);
    // Accept and Content-Type belong to the transport: a configured value is not sent beside its own.
    for (const header of ['accept', 'content-type']) {
      for (const value of valuesAt(upstream, '/statics', header)) expect(value).not.toContain('text/plain');
    }
  });

  it('copies only the client headers named in extra_headers', async () => {
    const seen = await whoami(gatehouse, 'extra', { 'x-tenant': 'acme', 'x-other': 'must-not-pass' });
    expect(seen.headers['x-tenant']).toBe('acme');
    expect(valuesAt(upstream, '/extra', 'x-tenant')).toEqual(['acme']);
    expect(valuesAt(upstream, '/extra', 'x-other')).toEqual(['<absent>']);
  });

  it('lets x-mcp-{server}-{header} override the configured credential for that server only', async () => {
    const seen = await whoami(gatehouse, 'override', {
      'x-mcp-override-authorization': 'Bearer per-request',
      'x-mcp-override-x-api-key': 'k-per-request',
    });
    expect(seen.authorization).toBe('Bearer per-request');
    expect(seen.xApiKey).toBe('k-per-request');
    expect(valuesAt(upstream, '/override', 'authorization')).toEqual(['Bearer per-request']);
    // Another server in the same request keeps its own credential.
    const client = await downstream.connect(gatehouse.origin, '/mcp', { 'x-mcp-override-authorization': 'Bearer per-request' });
    const other = JSON.parse(textOf(await client.callTool({ name: 'bearer-whoami', arguments: {} }))) as WhoamiAnswer;
    expect(other.authorization).toBe('Bearer b-123');
  });

  it('sends the legacy x-mcp-auth token under the server auth_type', async () => {
    const seen = await whoami(gatehouse, 'legacy', { 'x-mcp-auth': 'legacy-1' });
    expect(seen.authorization).toBe('Bearer legacy-1');
    expect(valuesAt(upstream, '/legacy', 'authorization')).toEqual(['Bearer legacy-1']);
    expect(valuesAt(upstream, '/legacy', 'x-mcp-auth')).toEqual(['<absent>']);
  });

  it('fills stdio env ${X-Tenant} from the request header and leaves the variable out when the header is absent', async () => {
    const envOf = async (headers: Record<string, string>, name: string) => {
      const client = await downstream.connect(gatehouse.origin, '/probe/mcp', headers);
      return (JSON.parse(textOf(await client.callTool({ name: 'env', arguments: { name } }))) as { value: string | null }).value;
    };
    // Each env variant is its own child; start them together.
    const [viaHeader, viaPerServer, absent] = await Promise.all([
      envOf({ 'x-tenant': 'acme' }, 'TENANT'),
      envOf({ 'x-mcp-probe-x-tenant': 'initech' }, 'TENANT'),
      envOf({}, 'TENANT'),
    ]);
    expect({ viaHeader, viaPerServer, absent }).toEqual({ viaHeader: 'acme', viaPerServer: 'initech', absent: null });
    expect(await envOf({}, 'FIXED')).toBe('fixed-1');
  });
});

describe('oauth2 client-credentials upstream (issue #3: each auth type observed upstream)', () => {
  let upstream: RecordingServer;
  let tokens: OAuth2TokenServer;
  let gatehouse: RunningGatehouse;

  beforeEach(async () => {
    upstream = await startRecordingServer();
    tokens = await startOAuth2TokenServer((_request, index) => ({ kind: 'token', accessToken: `oauth-${index + 1}`, expiresIn: 3600 }));
    gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  oauth:
    url: "${upstream.origin}/oauth"
    auth_type: oauth2
    client_id: gatehouse-client
    client_secret: s3cret
    token_url: "${tokens.tokenUrl}"
    scopes: [tools.read, tools.call]
`);
  });

  afterEach(async () => {
    await downstream.closeAll();
    await gatehouse?.close();
    await upstream?.close();
    await tokens?.close();
  });

  it('fetches a token with the client-credentials grant and sends it as Bearer on every request', async () => {
    const seen = await whoami(gatehouse, 'oauth');
    expect(seen.authorization).toBe('Bearer oauth-1');
    expect(valuesAt(upstream, '/oauth', 'authorization')).toEqual(['Bearer oauth-1']);
    expect(tokens.fetchCount).toBe(1);
    const form = Object.fromEntries(tokens.requests[0].form);
    expect(form).toEqual({ grant_type: 'client_credentials', client_id: 'gatehouse-client', client_secret: 's3cret', scope: 'tools.read tools.call' });
  });

  it('on an upstream 401 fetches a fresh token and retries the call once', async () => {
    const client = await downstream.connect(gatehouse.origin, '/oauth/mcp');
    expect((JSON.parse(textOf(await client.callTool({ name: 'whoami', arguments: {} }))) as WhoamiAnswer).authorization).toBe('Bearer oauth-1');

    upstream.requireAuthorization(['Bearer oauth-2']); // the upstream revokes the first token
    const before = upstream.requests.length;
    const result = await client.callTool({ name: 'whoami', arguments: {} });

    expect(result.isError).toBeFalsy();
    expect((JSON.parse(textOf(result)) as WhoamiAnswer).authorization).toBe('Bearer oauth-2');
    expect(tokens.fetchCount).toBe(2);
    const calls = upstream.requests.slice(before).filter((request) => request.rpcMethods.includes('tools/call'));
    expect(calls.map((request) => [request.headers.authorization, request.status])).toEqual([
      ['Bearer oauth-1', 401],
      ['Bearer oauth-2', 200],
    ]);
  });

  it('retries only once: an upstream that rejects the fresh token too gives an error result naming the server', async () => {
    const client = await downstream.connect(gatehouse.origin, '/oauth/mcp');
    await client.callTool({ name: 'whoami', arguments: {} });
    upstream.requireAuthorization(['Bearer nothing-you-have']);

    const result = await client.callTool({ name: 'whoami', arguments: {} });

    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('"oauth"');
    expect(tokens.fetchCount).toBe(2);
  });
});
