/**
 * Bench child process: the thinnest Node proxy we could write with our stack, Fastify + undici.Pool,
 * no parsing and no logging. Request bodies are piped upstream and response bodies piped back. It is the
 * ceiling any Node proxy on this box can reach. Usage: bare-proxy.ts <chat upstream origin> [<MCP upstream origin>]:
 * `POST /v1/chat/completions` goes to the first; with a second, `/mcp` (POST, GET, DELETE) goes to it with the
 * Streamable HTTP headers passed both ways, so one client session maps to one upstream session.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Pool } from 'undici';
import { announceReady } from './child-lifecycle.js';

const CHAT_PATH = '/v1/chat/completions';
const MCP_PATH = '/mcp';
const REQUEST_HEADERS = ['content-type', 'content-length', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id'];
const RESPONSE_HEADERS = ['content-type', 'content-length', 'cache-control', 'mcp-session-id'];

const [chatOrigin, mcpOrigin] = process.argv.slice(2);
if (!chatOrigin) throw new Error('usage: bare-proxy.ts <chat upstream origin> [<MCP upstream origin>]');

const pools = [new Pool(chatOrigin), ...(mcpOrigin ? [new Pool(mcpOrigin)] : [])];
const app = Fastify({ logger: false, keepAliveTimeout: 30_000 });

// Keep the body a stream: the bare proxy never looks inside it.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

function pick(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
  }
  return picked;
}

function relay(pool: Pool, method: 'GET' | 'POST' | 'DELETE') {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const upstream = await pool.request({
      method,
      path: request.url,
      headers: pick(request.headers, REQUEST_HEADERS),
      body: method === 'POST' ? (request.body as Readable) : null,
    });
    reply.code(upstream.statusCode).headers(pick(upstream.headers, RESPONSE_HEADERS));
    return reply.send(upstream.body);
  };
}

app.post(CHAT_PATH, relay(pools[0], 'POST'));
if (pools[1]) for (const method of ['GET', 'POST', 'DELETE'] as const) app.route({ method, url: MCP_PATH, handler: relay(pools[1], method) });

const address = await app.listen({ port: 0, host: '127.0.0.1' });
announceReady(Number(new URL(address).port), async () => {
  await app.close();
  await Promise.all(pools.map((pool) => pool.close()));
});
