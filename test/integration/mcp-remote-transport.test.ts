/**
 * The transport under remote MCP servers (`type: "mcp"` tools with their own `server_url`), over real HTTP on
 * 127.0.0.1: Streamable HTTP on our undici transport falls back to legacy SSE exactly when `initialize` is answered
 * 400, 404 or 405 (wire-formats §4.4), follows redirects as fetch did — each hop through the egress check — and
 * keeps `Accept` / `Content-Type` to itself. Upstreams: the recording server (Streamable HTTP) and the real
 * server-everything in SSE mode behind a small front that answers the first POST with a chosen status.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { McpEgressDeniedError, McpUpstreamError } from '../../src/http/errors.js';
import { EgressPolicy } from '../../src/mcp/remote/egress-policy.js';
import { RemoteMcpSources } from '../../src/mcp/remote/remote-mcp-source.js';
import { startCountingListener, type CountingListener } from '../fixtures/counting-listener.js';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';

let recording: RecordingServer;
let everything: RunningEverything;
let listener: CountingListener;
const pools: RemoteMcpSources[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  [recording, everything, listener] = await Promise.all([startRecordingServer(), startEverything('sse'), startCountingListener()]);
});

afterAll(async () => {
  await Promise.all([recording.close(), everything.close(), listener.close()]);
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.closeAll()));
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
});

function sources(allowlist: string[]): RemoteMcpSources {
  const pool = new RemoteMcpSources({ egress: new EgressPolicy(allowlist), listTimeoutMs: 5_000 });
  pools.push(pool);
  return pool;
}

async function listen(server: Server): Promise<{ origin: string; port: number }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port };
}

interface SseFront {
  url: string;
  port: number;
  /** GET requests that reached the legacy SSE server through the front. */
  gets: number;
}

/** Relays everything to server-everything (SSE) except a POST to the SSE URL, answered `postStatus`. */
async function startSseFront(postStatus: number): Promise<SseFront> {
  const backend = new URL(everything.url);
  const front = { url: '', port: 0, gets: 0 };
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'POST' && incoming.url === backend.pathname) {
      incoming.resume();
      outgoing.writeHead(postStatus, { 'content-type': 'text/plain' }).end('no Streamable HTTP here');
      return;
    }
    if (incoming.method === 'GET') front.gets++;
    const relay = request({ host: backend.hostname, port: backend.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    relay.on('error', () => outgoing.destroy());
    incoming.pipe(relay);
  });
  const { origin, port } = await listen(server);
  front.url = `${origin}${backend.pathname}`;
  front.port = port;
  return front;
}

function textOf(result: { content: unknown[] }): string {
  const first = result.content[0] as { text?: string };
  return first.text ?? '';
}

describe('fallback to legacy SSE (wire-formats §4.4): exactly when initialize is answered 400, 404 or 405', () => {
  it.each([400, 405])('falls back when the initialize POST is answered %i, then lists and calls over SSE', async (status) => {
    const front = await startSseFront(status);
    const source = await sources([`127.0.0.1:${front.port}`]).open({ serverLabel: `sse-${status}`, serverUrl: front.url });

    expect((await source.listTools()).map((tool) => tool.name)).toContain('echo');
    expect(textOf(await source.callTool('echo', { message: `after ${status}` }, { timeoutMs: 5_000 }))).toContain(`after ${status}`);
    expect(front.gets).toBeGreaterThanOrEqual(1);
  });

  it.each([401, 500])('does not fall back when initialize is answered %i: fails with 502 naming the status, no SSE GET', async (status) => {
    const front = await startSseFront(status);
    const source = await sources([`127.0.0.1:${front.port}`]).open({ serverLabel: `no-fallback-${status}`, serverUrl: front.url });

    const error = await source.listTools().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpUpstreamError);
    expect((error as Error).message).toContain(`MCP server "no-fallback-${status}"`);
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect(front.gets).toBe(0);
  });
});

describe('redirects are followed as fetch followed them, every hop through the egress check', () => {
  const redirectTo = (location: string) =>
    createServer((incoming, outgoing) => {
      incoming.resume();
      outgoing.writeHead(307, { location }).end();
    });

  it('reaches an allow-listed server through a 307 from another allow-listed one', async () => {
    const recordingPort = new URL(recording.origin).port;
    const redirector = await listen(redirectTo(`${recording.origin}/redirected`));
    const source = await sources([`127.0.0.1:${redirector.port}`, `127.0.0.1:${recordingPort}`]).open({
      serverLabel: 'moved',
      serverUrl: `${redirector.origin}/mcp`,
    });

    expect((await source.listTools()).map((tool) => tool.name)).toContain('add');
    expect(textOf(await source.callTool('add', { a: 40, b: 2 }, { timeoutMs: 5_000 }))).toBe('42');
    expect(recording.initializes('/redirected')).toHaveLength(1);
  });

  it('refuses a redirect to an address that is not allow-listed, without connecting to it', async () => {
    const redirector = await listen(redirectTo(`http://127.0.0.1:${listener.port}/latest/meta-data/`));
    const source = await sources([`127.0.0.1:${redirector.port}`]).open({
      serverLabel: 'bounce',
      serverUrl: `${redirector.origin}/mcp?token=SECRET-Q`,
      headers: { 'X-Api-Key': 'SECRET-H' },
    });
    const before = listener.connections;

    const error = await source.listTools().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpEgressDeniedError);
    expect((error as Error).message).toContain('MCP server "bounce"');
    expect((error as Error).message).not.toMatch(/SECRET|meta-data/);
    expect(listener.connections).toBe(before);
  });
});

describe('headers the transport owns', () => {
  it('sends its own Accept and Content-Type whatever the tool headers say, and the other tool headers as given', async () => {
    const recordingPort = new URL(recording.origin).port;
    const source = await sources([`127.0.0.1:${recordingPort}`]).open({
      serverLabel: 'owned',
      serverUrl: `${recording.origin}/owned`,
      headers: { Accept: 'text/plain', 'Content-Type': 'text/plain', 'X-Tenant': 'acme' },
    });

    expect((await source.listTools()).length).toBe(4);
    const initialize = recording.initializes('/owned').at(-1);
    expect(initialize?.headers.accept).toBe('application/json, text/event-stream');
    expect(initialize?.headers['content-type']).toBe('application/json');
    expect(initialize?.headers['x-tenant']).toBe('acme');
  });
});
