/** The OpenAPI REST client over real loopback HTTP: keep-alive reuse, the size cap, the timeout and the per-call abort. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RestClient, type RestLimits } from '../../src/openapi/rest-client.js';

let http: Server;
let origin: string;
let client: RestClient;
const sockets = new Set<string>();

beforeEach(async () => {
  http = createServer((request: IncomingMessage, response: ServerResponse) => {
    sockets.add(`${request.socket.remotePort}`);
    if (request.url === '/slow') return void setTimeout(() => response.end('late'), 2_000).unref();
    if (request.url === '/big') {
      response.setHeader('content-length', '1000');
      return void response.end('x'.repeat(1000));
    }
    if (request.url === '/chunked-big') {
      response.write('y'.repeat(600));
      return void setTimeout(() => response.end('y'.repeat(600)), 20);
    }
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ method: request.method, url: request.url }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  client = new RestClient();
  sockets.clear();
});

afterEach(async () => {
  await client.close();
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

const limits = (overrides: Partial<RestLimits> = {}): RestLimits => ({ timeoutMs: 1_000, maxResponseBytes: 500, ...overrides });
const get = (path: string, overrides: Partial<RestLimits> = {}) =>
  client.send({ url: new URL(path, origin), method: 'GET', headers: {} }, limits(overrides), 'REST API of MCP server "api"');

describe('RestClient', () => {
  it('sends path and query, returns status, headers and body, and reuses keep-alive connections', async () => {
    const first = await get('/pets?status=sold');
    expect(first).toMatchObject({ ok: true, status: 200, headers: { 'content-type': 'application/json' } });
    expect(first.ok && JSON.parse(first.body.toString())).toEqual({ method: 'GET', url: '/pets?status=sold' });
    for (let call = 0; call < 5; call++) expect(await get(`/pets/${call}`)).toMatchObject({ ok: true, status: 200 });
    // A call sent the instant the previous answer was read may find that socket not yet released (undici frees
    // it a tick later) and open a second one; after that, both are reused.
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('refuses a body over the cap by its declared length and while reading a chunked one, without an uncaught error', async () => {
    expect(await get('/big')).toMatchObject({ ok: false, reason: 'too_large' });
    expect(await get('/chunked-big')).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('fails a slow answer as a timeout naming the server', async () => {
    const outcome = await get('/slow', { timeoutMs: 100 });
    expect(outcome).toEqual({ ok: false, reason: 'timeout', message: 'REST API of MCP server "api" did not answer within 0.1 s.' });
  });

  it('stops at once when the caller aborts, as cancelled rather than timed out', async () => {
    const aborter = new AbortController();
    const pending = get('/slow', { signal: aborter.signal });
    setTimeout(() => aborter.abort(), 50);
    expect(await pending).toEqual({ ok: false, reason: 'aborted', message: 'REST API of MCP server "api": the call was cancelled.' });
  });

  it('reports a closed port as unreachable with an error code and no URL', async () => {
    await client.close();
    client = new RestClient();
    const outcome = await client.send({ url: new URL('http://127.0.0.1:1/x?key=secret'), method: 'GET', headers: {} }, limits(), 'api');
    expect(outcome).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(!outcome.ok && outcome.message).not.toContain('secret');
  });
});
