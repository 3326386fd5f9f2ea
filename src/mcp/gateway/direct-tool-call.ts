/**
 * `tools/call` on an initialised Streamable HTTP session, served without the SDK's server transport and
 * `Server` protocol layer. Those convert every request and answer to web-standard objects and streams and
 * cost the gateway more CPU per relayed call than the rest of the relay (docs/benchmarks.md); a tool call is
 * the hot path of every agent. The same method runs (DownstreamSession.run → MCP_METHODS → hub), with the
 * same scope, errors and server-to-client relays: progress, log lines and sampling/elicitation/roots requests
 * go out on this call's SSE stream, the client's answers (POSTed to the session) come back here, and
 * `notifications/cancelled` aborts the call. Anything else — batches, other methods, unusual headers — is
 * left to the SDK transport, which also answers every malformed request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SUPPORTED_PROTOCOL_VERSIONS, type Notification, type Request, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { McpClientHeaders } from '../../auth/mcp-client-headers.js';
import type { DownstreamCall } from '../hub/downstream-call.js';
import { DirectCallStream } from './direct-call-stream.js';
import { CreateMessageResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { RELAYED_RESULTS, SSE_RETRY_MS, type DownstreamSession } from './downstream-session.js';
import { jsonRpcError, toMcpError } from './jsonrpc-errors.js';

type Message = Record<string, unknown>;

/**
 * Serves `body` on `session` when it is one of ours: a plain `tools/call`, the client's answer to a relayed
 * request, a cancellation of a direct call, or a GET resuming a direct call's stream. False: the SDK
 * transport handles the request.
 */
export function serveDirect(
  session: DownstreamSession,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  headers: () => McpClientHeaders,
): boolean {
  const calls = session.direct;
  if (req.method === 'GET') {
    const lastEventId = req.headers['last-event-id'];
    const stream = typeof lastEventId === 'string' ? calls.streamOf(lastEventId) : undefined;
    if (stream === undefined || typeof lastEventId !== 'string') return false;
    stream.resume(lastEventId, res);
    if (stream.done) calls.streams.delete(stream.id);
    else res.once('close', () => stream.detach(res));
    return true;
  }
  if (req.method !== 'POST' || !isObject(body) || body.jsonrpc !== '2.0') return false;
  if (body.method === undefined) {
    if (!calls.answerRelay(body)) return false;
    res.writeHead(202).end();
    return true;
  }
  if (body.method === 'notifications/cancelled') {
    const requestId = isObject(body.params) ? body.params.requestId : undefined;
    const controller = typeof requestId === 'string' || typeof requestId === 'number' ? calls.inflight.get(requestId) : undefined;
    if (controller === undefined) return false;
    controller.abort();
    res.writeHead(202).end();
    return true;
  }
  if (!isPlainToolCall(body, req) || calls.inflight.has(body.id as string | number)) return false;
  void callTool(session, body, res, headers());
  return true;
}

async function callTool(session: DownstreamSession, message: Message, res: ServerResponse, headers: McpClientHeaders): Promise<void> {
  const id = message.id as string | number;
  const calls = session.direct;
  const controller = new AbortController();
  const stream = new DirectCallStream(`direct-${randomUUID()}`, res, {
    sessionId: session.id ?? '',
    resumable: (session.protocolVersion ?? '') >= '2025-11-25',
    retryMs: SSE_RETRY_MS,
  });
  calls.inflight.set(id, controller);
  calls.streams.set(stream.id, stream);
  // A client that leaves without a way back (no priming event sent) gives the call up.
  res.once('close', () => {
    stream.detach(res);
    if (!stream.done && !stream.paused) controller.abort();
  });
  let answer: Message;
  try {
    const result = await session.run('tools/call', message.params as Record<string, unknown>, {
      headers,
      signal: controller.signal,
      call: directCall(session, stream),
      notify: async (notification) => stream.write({ jsonrpc: '2.0', ...notification }),
    });
    answer = { jsonrpc: '2.0', id, result };
  } catch (error) {
    answer = jsonRpcError(id, toMcpError(error));
  } finally {
    calls.inflight.delete(id);
  }
  stream.finish(answer);
  // Kept only while the client may still come back for it.
  if (!stream.paused) calls.streams.delete(stream.id);
}

/** How server-to-client traffic for this call reaches the client: on the call's own stream. */
function directCall(session: DownstreamSession, stream: DirectCallStream): DownstreamCall {
  return {
    sendRequest: async (request: Request, signal: AbortSignal): Promise<Result> => {
      const { id, answer } = session.direct.openRelay();
      const onAbort = () => {
        stream.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'The upstream cancelled the request.' } });
        session.direct.dropRelay(id, signal.reason instanceof Error ? signal.reason : new Error('Cancelled.'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      stream.write({ jsonrpc: '2.0', id, method: request.method, params: request.params });
      try {
        const schema = RELAYED_RESULTS[request.method] ?? CreateMessageResultSchema;
        return schema.parse(await answer) as Result;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
    sendNotification: async (notification: Notification) => stream.write({ jsonrpc: '2.0', ...notification }),
    supports: (method: string) => session.supports(method),
    closeStream: () => void stream.pause(),
  };
}

/** A single `tools/call` the SDK transport would accept, with nothing about it that needs the transport. */
function isPlainToolCall(body: Message, req: IncomingMessage): boolean {
  if (body.method !== 'tools/call' || (typeof body.id !== 'string' && typeof body.id !== 'number')) return false;
  const params = body.params;
  if (!isObject(params) || typeof params.name !== 'string') return false;
  if (params.arguments !== undefined && !isObject(params.arguments)) return false;
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return false;
  const version = req.headers['mcp-protocol-version'];
  return version === undefined || (typeof version === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(version));
}

function isObject(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
