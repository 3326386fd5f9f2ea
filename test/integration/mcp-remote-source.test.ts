/**
 * Issue #4, point 2 and acceptance "a remote (non-`litellm_proxy`) MCP server on an allow-listed loopback port works
 * with the tool's `headers`; 127.0.0.1, 169.254.169.254 or 10.0.0.1 are refused unless allow-listed". Remote
 * servers are real fixtures on 127.0.0.1: the recording server (Streamable HTTP) and server-everything in legacy
 * SSE mode (reached through the fallback). Nothing leaves loopback: made-up host names use an injected resolver.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpEgressDeniedError, McpUpstreamError } from '../../src/http/errors.js';
import { createEgressDispatcher, egressFetch } from '../../src/mcp/remote/egress-dispatcher.js';
import { EgressPolicy, type HostLookup } from '../../src/mcp/remote/egress-policy.js';
import { RemoteMcpSources } from '../../src/mcp/remote/remote-mcp-source.js';
import { startCountingListener, type CountingListener } from '../fixtures/counting-listener.js';
import { startRecordingServer, type RecordingServer, type WhoamiAnswer } from '../fixtures/mcp/recording-server.js';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';

let recording: RecordingServer;
let recordingPort: number;
let listener: CountingListener;
const pools: RemoteMcpSources[] = [];

beforeAll(async () => {
  recording = await startRecordingServer();
  recordingPort = Number(new URL(recording.origin).port);
  listener = await startCountingListener();
});

afterAll(async () => {
  await recording.close();
  await listener.close();
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.closeAll()));
});

function sources(allowlist: string[], lookup?: HostLookup): RemoteMcpSources {
  const pool = new RemoteMcpSources({ egress: new EgressPolicy(allowlist, { lookup }), listTimeoutMs: 5_000 });
  pools.push(pool);
  return pool;
}

function textOf(result: { content: unknown[] }): string {
  const first = result.content[0] as { type: string; text?: string };
  return first.text ?? '';
}

describe('remote MCP server over Streamable HTTP on an allow-listed loopback port', () => {
  it('lists all tools and calls one with the tool headers and authorization observed at the server', async () => {
    const pool = sources([`127.0.0.1:${recordingPort}`]);
    const source = await pool.open({
      serverLabel: 'rec',
      serverUrl: `${recording.origin}/remote?tenant=t1`,
      headers: { 'X-Api-Key': 'key-123', 'X-Tenant': 'acme' },
      authorization: 'oauth-token-1',
    });

    const tools = await source.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['whoami', 'add', 'slow', 'fail']);

    const whoami = JSON.parse(textOf(await source.callTool('whoami', {}, { timeoutMs: 5_000 }))) as WhoamiAnswer;
    expect(whoami.authorization).toBe('Bearer oauth-token-1');
    expect(whoami.xApiKey).toBe('key-123');
    expect(whoami.headers['x-tenant']).toBe('acme');
    expect(textOf(await source.callTool('add', { a: 2, b: 3 }, { timeoutMs: 5_000 }))).toBe('5');

    const initialize = recording.initializes('/remote').at(-1);
    expect(initialize?.headers['x-api-key']).toBe('key-123');
    expect(initialize?.headers.authorization).toBe('Bearer oauth-token-1');
  });

  it('reuses one session per (server, headers): one initialize for repeated opens, another for other headers', async () => {
    const pool = sources([`127.0.0.1:${recordingPort}`]);
    const spec = { serverLabel: 'pooled', serverUrl: `${recording.origin}/pooled`, headers: { 'X-Api-Key': 'a' } };
    for (let round = 0; round < 3; round++) {
      const source = await pool.open(spec);
      await source.listTools();
      await source.callTool('add', { a: round, b: 1 }, { timeoutMs: 5_000 });
    }
    expect(recording.initializes('/pooled')).toHaveLength(1);

    await (await pool.open({ ...spec, headers: { 'X-Api-Key': 'b' } })).listTools();
    expect(recording.initializeCountsBy('x-api-key', '/pooled')).toEqual({ a: 1, b: 1 });
    expect(pool.size).toBe(2);
  });

  it('allows the fixture through an allow-listed CIDR 127.0.0.0/8', async () => {
    const source = await sources(['127.0.0.0/8']).open({ serverLabel: 'cidr', serverUrl: `${recording.origin}/cidr` });
    expect((await source.listTools()).length).toBe(4);
  });

  it('connects to the address the policy checked: a made-up allow-listed name resolved by the injected lookup', async () => {
    const lookup: HostLookup = async () => [{ address: '127.0.0.1', family: 4 }];
    const source = await sources([`mcp.internal.test:${recordingPort}`], lookup).open({
      serverLabel: 'named',
      serverUrl: `http://mcp.internal.test:${recordingPort}/named`,
    });
    expect((await source.listTools()).length).toBe(4);
    expect(recording.initializes('/named').at(-1)?.headers.host).toBe(`mcp.internal.test:${recordingPort}`);
  });
});

describe('refused destinations (issue #4: refused unless allow-listed, before any connection)', () => {
  it.each(['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'])('refuses %s:<port> in open() without connecting', async (host) => {
    const before = listener.connections;
    const error = await sources([])
      .open({ serverLabel: 'probe', serverUrl: `http://${host}:${listener.port}/mcp?token=SECRET`, authorization: 'SECRET-TOKEN' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpEgressDeniedError);
    expect((error as Error).message).toContain('MCP server "probe"');
    expect((error as Error).message).not.toMatch(/SECRET|\/mcp/);
    expect(listener.connections).toBe(before);
  });

  it.each(['169.254.169.254', '10.0.0.1', '192.168.1.1'])('refuses %s with 403 whatever the port', async (host) => {
    const error = await sources([`127.0.0.1:${listener.port}`])
      .open({ serverLabel: 'probe', serverUrl: `http://${host}/latest/meta-data/` })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 403, code: 'mcp_egress_denied' });
  });

  it('refuses a host that resolves to a private address on the second lookup (DNS rebinding), with no connection', async () => {
    let lookups = 0;
    // First answer public (passes the pre-connect check; never connected to), every later one loopback.
    const lookup: HostLookup = async () => [{ address: ++lookups === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }];
    const pool = sources([], lookup);
    const source = await pool.open({ serverLabel: 'rebind', serverUrl: `http://rebind.test:${listener.port}/mcp` });
    const before = listener.connections;

    const error = await source.listTools().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpEgressDeniedError);
    expect((error as Error).message).toContain('MCP server "rebind": server_url host "rebind.test" resolves to a loopback address');
    expect(lookups).toBeGreaterThanOrEqual(2);
    expect(listener.connections).toBe(before);
    // The failed session left the pool: the next open checks again (and is refused before connecting).
    await expect(pool.open({ serverLabel: 'rebind', serverUrl: `http://rebind.test:${listener.port}/mcp` })).rejects.toBeInstanceOf(
      McpEgressDeniedError,
    );
  });

  it('checks every connection the HTTP client opens, also to an IP literal reached by a redirect', async () => {
    // An allow-listed server redirects to a loopback port that is not allow-listed; fetch follows redirects itself.
    const redirector = createServer((_request, response) => {
      response.writeHead(307, { location: `http://127.0.0.1:${listener.port}/latest/meta-data/` }).end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    const redirectorPort = (redirector.address() as AddressInfo).port;
    const dispatcher = createEgressDispatcher(new EgressPolicy([`127.0.0.1:${redirectorPort}`]));
    const before = listener.connections;
    try {
      const error = await egressFetch(dispatcher)(`http://127.0.0.1:${redirectorPort}/mcp`).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).cause).toBeInstanceOf(McpEgressDeniedError);
      expect(listener.connections).toBe(before);
    } finally {
      await dispatcher.destroy();
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });

  it('an allow-listed URL that is no MCP server (404 to POST and GET) fails with 502 naming the server_label', async () => {
    const source = await sources([`127.0.0.1:${listener.port}`]).open({ serverLabel: 'not-mcp', serverUrl: `http://127.0.0.1:${listener.port}/x` });
    const error = await source.listTools().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpUpstreamError);
    expect((error as Error).message).toContain('MCP server "not-mcp"');
  });
});

describe('failures name the server_label and the host, never a credential', () => {
  it('an allow-listed server that is down: listing throws 502, a call becomes an isError result', async () => {
    const down = await startCountingListener();
    const port = down.port;
    await down.close();
    const pool = sources([`127.0.0.1:${port}`]);
    const spec = { serverLabel: 'down', serverUrl: `http://127.0.0.1:${port}/mcp?key=SECRET-Q`, headers: { 'X-Api-Key': 'SECRET-H' } };

    const listError = await (await pool.open(spec)).listTools().catch((caught: unknown) => caught);
    expect(listError).toBeInstanceOf(McpUpstreamError);
    expect((listError as Error).message).toMatch(/MCP server "down".*ECONNREFUSED/);
    expect((listError as Error).message).not.toMatch(/SECRET|\/mcp/);

    const result = await (await pool.open(spec)).callTool('add', { a: 1, b: 2 }, { timeoutMs: 2_000 });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('MCP server "down"');
    expect(textOf(result)).not.toMatch(/SECRET/);
  });
});

describe('legacy HTTP+SSE server reached through the Streamable HTTP fallback (wire-formats §4.4)', () => {
  let everything: RunningEverything;

  beforeAll(async () => {
    everything = await startEverything('sse');
  });

  afterAll(async () => {
    await everything.close();
  });

  it('POST to the SSE URL is answered 404, the premise of the fallback', async () => {
    const response = await fetch(everything.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
  });

  it('lists and calls tools after falling back to SSE on the same URL', async () => {
    const port = new URL(everything.url).port;
    const pool = sources([`127.0.0.1:${port}`]);
    const source = await pool.open({ serverLabel: 'everything', serverUrl: everything.url, headers: { 'X-Trace': 'sse-1' } });

    const tools = await source.listTools();
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await source.callTool('echo', { message: 'hello over sse' }, { timeoutMs: 5_000 });
    expect(textOf(result)).toContain('hello over sse');

    // The session is pooled after the fallback: another open reuses it.
    await (await pool.open({ serverLabel: 'everything', serverUrl: everything.url, headers: { 'X-Trace': 'sse-1' } })).listTools();
    expect(pool.size).toBe(1);
  });
});
