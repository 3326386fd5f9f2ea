/**
 * Bench child process: an MCP server on the SDK (`McpServer` + `StreamableHTTPServerTransport`, stateful
 * sessions, default SSE answers, node:http keep-alive) with one fast tool, `add`. Every session gets its own
 * `McpServer`, as the SDK's examples do. Serves `POST/GET/DELETE /mcp`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { announceReady } from './child-lifecycle.js';
import { BENCH_TOOL_DESCRIPTION, BENCH_TOOL_NAME, MCP_PATH } from './mcp-wire.js';

const sessions = new Map<string, StreamableHTTPServerTransport>();

function createMcpServer(): McpServer {
  const server = new McpServer({ name: 'gatehouse-bench-fixture', version: '1.0.0' });
  server.registerTool(
    BENCH_TOOL_NAME,
    { description: BENCH_TOOL_DESCRIPTION, inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  return server;
}

function reject(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return parts.length === 0 ? undefined : JSON.parse(Buffer.concat(parts).toString('utf8'));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if ((req.url ?? '').split('?')[0] !== MCP_PATH) return reject(res, 404, 'not found');
  const body = req.method === 'POST' ? await readJson(req) : undefined;
  const sessionId = req.headers['mcp-session-id'];
  if (typeof sessionId === 'string') {
    const transport = sessions.get(sessionId);
    if (!transport) return reject(res, 404, 'Session not found');
    return transport.handleRequest(req, res, body);
  }
  if (req.method !== 'POST' || !isInitializeRequest(body)) return reject(res, 400, 'Bad Request: no valid session id');
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => randomUUID(),
    onsessioninitialized: (id) => {
      sessions.set(id, transport);
    },
  });
  transport.onclose = () => {
    if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
  };
  await createMcpServer().connect(transport);
  return transport.handleRequest(req, res, body);
}

const http = createServer((req, res) => {
  handle(req, res).catch(() => {
    if (!res.headersSent) reject(res, 500, 'fixture error');
    else res.end();
  });
});
// The load generator and Gatehouse hold connections open between slices; the default 5 s would drop them.
http.keepAliveTimeout = 30_000;

await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
announceReady((http.address() as AddressInfo).port, () => http.close());
