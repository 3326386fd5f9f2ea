/**
 * The client side of MCP's Streamable HTTP transport on an undici dispatcher: the SDK `Client` keeps the
 * protocol (ids, timeouts, result schemas), this only moves messages. It does what the SDK's own
 * `StreamableHTTPClientTransport` does on the wire (POST with `mcp-session-id` / `mcp-protocol-version`, JSON
 * or SSE answers, 202 for notifications, the GET stream after `notifications/initialized`, resuming a stream
 * with `Last-Event-ID` when it ends before its answer, SEP-1699), without fetch's `Request`/`Response` objects
 * and web streams, which cost the proxy more CPU than the rest of a relayed call (docs/benchmarks.md).
 *
 * Two gateway concerns live here too, so no extra pass over the bytes is needed: the call marker is taken out
 * of the message before it is serialised (stream-attribution.ts), and every JSON body or SSE event is bounded
 * in size. Errors keep the SDK transport's types: an HTTP status is a `StreamableHTTPError` carrying it (404 =
 * session expired), a network failure is a `TypeError` with the cause, as fetch reports it.
 */
import { setMaxListeners } from 'node:events';
import type { Readable } from 'node:stream';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Dispatcher } from 'undici';
import type { DownstreamCall } from '../hub/downstream-call.js';
import { SseEventParser, SseEventTooLargeError } from '../../../providers/sse-event-parser.js';
import type { StreamAttribution } from './stream-attribution.js';

export interface StreamableHttpClientOptions {
  url: URL;
  /** Credential, static and forwarded headers, sent on every request. */
  headers: Record<string, string>;
  dispatcher: Dispatcher;
  /** Bound on one JSON body or one SSE event. */
  maxMessageBytes: number;
  attribution?: StreamAttribution;
}

/** Reconnecting a stream that ended before its answer: the server's `retry`, else this backoff (as the SDK). */
const RECONNECT = { initialMs: 1_000, maxMs: 30_000, growth: 1.5, maxRetries: 2 };

interface StreamContext {
  /** Resume with GET when the stream ends early: always for the GET stream, once primed for a POST's. */
  reconnectable: boolean;
  /** The request this POST stream answers, and the downstream call it serves. */
  requestId?: string | number;
  call?: DownstreamCall;
}

export class StreamableHttpClientTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly origin: string;
  private readonly path: string;
  private readonly abort = new AbortController();
  private session: string | undefined;
  private protocol: string | undefined;
  private retryMs: number | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;

  /** `options.headers` without the ones this transport sets itself. */
  private readonly baseHeaders: Record<string, string>;

  constructor(private readonly options: StreamableHttpClientOptions) {
    this.baseHeaders = withoutTransportOwned(options.headers);
    this.origin = options.url.origin;
    this.path = options.url.pathname + options.url.search;
    // Every request in flight listens on this signal; a busy session has more than the default 10.
    setMaxListeners(0, this.abort.signal);
  }

  get sessionId(): string | undefined {
    return this.session;
  }

  setProtocolVersion(version: string): void {
    this.protocol = version;
  }

  async start(): Promise<void> {}

  async close(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    this.abort.abort();
    this.onclose?.();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      if (options?.resumptionToken) {
        this.openStream(options.resumptionToken).catch((error: unknown) => this.onerror?.(asError(error)));
        return;
      }
      const { message: outgoing, call } = this.options.attribution?.take(message) ?? { message };
      const response = await this.request('POST', JSON.stringify(outgoing), 'application/json, text/event-stream');
      const session = response.headers['mcp-session-id'];
      if (typeof session === 'string') this.session = session;
      if (response.statusCode < 200 || response.statusCode > 299) {
        const text = await readText(response.body, 4_096).catch(() => '');
        throw new StreamableHTTPError(response.statusCode, `Error POSTing to endpoint: ${text}`);
      }
      const requestId = 'method' in message && 'id' in message ? message.id : undefined;
      if (response.statusCode === 202 || requestId === undefined) {
        response.body.resume();
        if ('method' in message && message.method === 'notifications/initialized') {
          this.openStream(undefined).catch((error: unknown) => this.onerror?.(asError(error)));
        }
        return;
      }
      const type = mediaType(response.headers['content-type']);
      if (type === 'text/event-stream') {
        void this.readStream(response.body, { reconnectable: false, requestId, call });
      } else if (type === 'application/json') {
        const data: unknown = JSON.parse(await readText(response.body, this.options.maxMessageBytes));
        for (const item of Array.isArray(data) ? data : [data]) this.deliver(item);
      } else {
        response.body.resume();
        throw new StreamableHTTPError(-1, `Unexpected content type: ${String(response.headers['content-type'])}`);
      }
    } catch (error) {
      const failure = asError(error);
      this.onerror?.(failure);
      throw failure;
    }
  }

  /** One HTTP request on the shared dispatcher; a network failure becomes fetch's `TypeError`. */
  private async request(method: 'POST' | 'GET', body: string | undefined, accept: string, lastEventId?: string): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { ...this.baseHeaders, accept };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.session !== undefined) headers['mcp-session-id'] = this.session;
    if (this.protocol !== undefined) headers['mcp-protocol-version'] = this.protocol;
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    try {
      return await this.options.dispatcher.request({
        origin: this.origin,
        path: this.path,
        method,
        headers,
        body,
        signal: this.abort.signal,
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new TypeError('fetch failed', { cause: error });
    }
  }

  /** The GET stream: server messages outside any call, or the rest of a stream resumed from `lastEventId`. */
  private async openStream(lastEventId: string | undefined): Promise<void> {
    const response = await this.request('GET', undefined, 'text/event-stream', lastEventId);
    if (response.statusCode < 200 || response.statusCode > 299) {
      response.body.resume();
      if (response.statusCode === 405) return; // the server offers no GET stream: fine
      throw new StreamableHTTPError(response.statusCode, 'Failed to open SSE stream');
    }
    void this.readStream(response.body, { reconnectable: true });
  }

  private async readStream(body: Readable, context: StreamContext): Promise<void> {
    const parser = new SseEventParser(this.options.maxMessageBytes);
    let lastEventId: string | undefined;
    let answered = false;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        let delivered = false;
        for (const event of parser.push(chunk)) {
          if (event.id !== undefined) lastEventId = event.id;
          if (event.data === undefined || (event.type !== undefined && event.type !== 'message')) continue;
          let message: unknown;
          try {
            message = JSON.parse(event.data);
          } catch (error) {
            this.onerror?.(asError(error));
            continue;
          }
          if (isResponse(message)) answered = true;
          if (context.call && isObject(message)) this.options.attribution?.noteMessage(message, context.call, context.requestId);
          // Messages that came in one chunk are handed on one task apart, as they would have arrived apart:
          // what the SDK starts for the first (relaying a progress notification downstream) is done before
          // the next (the answer, which ends the downstream stream) is seen.
          if (delivered) await new Promise(setImmediate);
          delivered = true;
          this.deliver(message);
        }
      }
      // Ended before its answer (the server closed it to be polled): close the downstream stream too, so the
      // client resumes in turn while this side resumes upstream.
      if (!answered && context.call && context.requestId !== undefined) context.call.closeStream();
    } catch (error) {
      if (this.abort.signal.aborted) return;
      body.destroy();
      if (error instanceof SseEventTooLargeError && context.requestId !== undefined && !answered) {
        // Resuming would replay the same event: the request fails now, not at its timeout.
        answered = true;
        this.deliver(transportFailure(context.requestId, error.message));
      } else {
        this.onerror?.(new Error(`SSE stream disconnected: ${asError(error).message}`));
      }
    } finally {
      this.retryMs = parser.retryMs ?? this.retryMs;
    }
    if ((context.reconnectable || lastEventId !== undefined) && !answered && !this.abort.signal.aborted) {
      this.reconnect(lastEventId, 0);
    }
  }

  private reconnect(lastEventId: string | undefined, attempt: number): void {
    if (attempt >= RECONNECT.maxRetries) {
      this.onerror?.(new Error(`Maximum reconnection attempts (${RECONNECT.maxRetries}) exceeded.`));
      return;
    }
    const delay = this.retryMs ?? Math.min(RECONNECT.initialMs * RECONNECT.growth ** attempt, RECONNECT.maxMs);
    this.reconnectTimer = setTimeout(() => {
      this.openStream(lastEventId).catch((error: unknown) => {
        if (this.abort.signal.aborted) return;
        this.onerror?.(new Error(`Failed to reconnect SSE stream: ${asError(error).message}`));
        this.reconnect(lastEventId, attempt + 1);
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private deliver(message: unknown): void {
    if (isObject(message) && message.jsonrpc === '2.0') this.onmessage?.(message as JSONRPCMessage);
    else this.onerror?.(new Error('upstream sent a message that is not JSON-RPC 2.0'));
  }
}

/** `error.data` key of an answer this transport made up for a request the upstream's stream failed to answer. */
export const TRANSPORT_FAILURE = 'gatehouse/transport_failure';

function transportFailure(id: string | number, reason: string): JSONRPCMessage {
  return { jsonrpc: '2.0', id, error: { code: ErrorCode.InternalError, message: reason, data: { [TRANSPORT_FAILURE]: reason } } };
}

/** Reads a whole body as UTF-8, failing past `maxBytes` (the rest is not read). */
async function readText(body: Readable, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new Error(`upstream message exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';', 1)[0].trim().toLowerCase();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isResponse(message: unknown): boolean {
  return isObject(message) && message.method === undefined && ('result' in message || 'error' in message);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Headers the transport sets itself. A configured or forwarded value of one (`Accept: text/plain` in a server's
 * static_headers, say) would be sent beside ours under another letter case, and a server reading the first
 * `Content-Type` refuses the POST (415); the SDK's fetch transports overwrote them the same way.
 */
const TRANSPORT_OWNED_HEADERS: ReadonlySet<string> = new Set(['accept', 'content-type', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']);

function withoutTransportOwned(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !TRANSPORT_OWNED_HEADERS.has(name.toLowerCase())));
}
