/**
 * Bench child process: the thinnest Node proxy we could write with our stack, Fastify + undici.Pool,
 * no parsing and no logging. The request body is piped to the fixture and the response body piped back.
 * It is the ceiling any Node proxy on this box can reach. Usage: bare-proxy.ts <upstream origin>.
 */
import type { Readable } from 'node:stream';
import Fastify from 'fastify';
import { Pool } from 'undici';
import { announceReady } from './child-lifecycle.js';

const CHAT_PATH = '/v1/chat/completions';

const origin = process.argv[2];
if (!origin) throw new Error('usage: bare-proxy.ts <upstream origin, e.g. http://127.0.0.1:4001>');

const pool = new Pool(origin);
const app = Fastify({ logger: false, keepAliveTimeout: 30_000 });

// Keep the body a stream: the bare proxy never looks inside it.
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

app.post(CHAT_PATH, async (request, reply) => {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const length = request.headers['content-length'];
  if (length !== undefined) headers['content-length'] = length;
  const upstream = await pool.request({ method: 'POST', path: CHAT_PATH, headers, body: request.body as Readable });
  reply.code(upstream.statusCode);
  for (const name of ['content-type', 'content-length', 'cache-control']) {
    const value = upstream.headers[name];
    if (typeof value === 'string') reply.header(name, value);
  }
  return reply.send(upstream.body);
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
announceReady(Number(new URL(address).port), async () => {
  await app.close();
  await pool.close();
});
