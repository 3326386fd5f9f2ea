/**
 * Tells which downstream call a server-to-client message belongs to. Over Streamable HTTP the upstream sends
 * such a message (sampling, elicitation, a log line) on the SSE response of the POST it relates to, but the
 * SDK client does not pass that on. So the outgoing request carries a marker in `_meta`, the upstream's
 * fetch is wrapped to take the marker out of the POST body again (the upstream never sees it) and learn the
 * call, and the SSE response is read once more on the way through (bytes unchanged) to note
 * `server request id → call` before the SDK dispatches the message. (An AsyncLocalStorage did this before;
 * its promise hooks slowed the whole process by 15–23% per agent round once enabled — docs/benchmarks.md.)
 */
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, Request } from '@modelcontextprotocol/sdk/types.js';
import type { DownstreamCall } from '../hub/downstream-call.js';

/** The `_meta` key of the marker; removed from the body before it leaves the proxy. */
const MARK = 'gatehouse/call';

/** Bounds the notes kept for messages the SDK never dispatched (e.g. invalid ones). */
const MAX_PENDING = 1_000;

export class StreamAttribution {
  private readonly marked = new Map<string, DownstreamCall>();
  private readonly requests = new Map<string | number, DownstreamCall>();
  private readonly logs: DownstreamCall[] = [];
  private counter = 0;

  /** The request with a marker naming `call`; `release` the returned token when the request is done. */
  mark(request: Request, call: DownstreamCall): { request: Request; token: string } {
    const token = String(++this.counter);
    this.marked.set(token, call);
    const params = request.params ?? {};
    return { request: { ...request, params: { ...params, _meta: { ...params._meta, [MARK]: token } } }, token };
  }

  release(token: string): void {
    this.marked.delete(token);
  }

  /** The call whose stream carried the server request with this id, if known (and forgets it). */
  takeRequest(id: string | number): DownstreamCall | undefined {
    const call = this.requests.get(id);
    this.requests.delete(id);
    return call;
  }

  /** The call whose stream carried the next log notification, if known. */
  takeLog(): DownstreamCall | undefined {
    return this.logs.shift();
  }

  wrapFetch(base: FetchLike = fetch): FetchLike {
    return async (url, init) => {
      const unmarked = this.unmark(init);
      const call = unmarked.call;
      const response = await base(url, unmarked.init);
      const type = response.headers.get('content-type') ?? '';
      if (!call || !response.body || !type.includes('text/event-stream')) return response;
      return new Response(response.body.pipeThrough(this.tap(call, unmarked.requestId)), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
  }

  /**
   * Takes the marker out of an outgoing message (for transports that serialise it themselves): the message
   * without it, and the call it names. A message without a marker is returned as it is.
   */
  take(message: JSONRPCMessage): { message: JSONRPCMessage; call?: DownstreamCall } {
    if (!('method' in message) || !('id' in message)) return { message };
    const meta = message.params?._meta;
    const token = meta?.[MARK];
    if (!meta || typeof token !== 'string') return { message };
    const { [MARK]: _marker, ...rest } = meta;
    const params = { ...message.params };
    if (Object.keys(rest).length === 0) delete params._meta;
    else params._meta = rest;
    return { message: { ...message, params }, call: this.marked.get(token) };
  }

  /** Takes the marker out of a POST body: the call it names, and the body without it. */
  private unmark(init: RequestInit | undefined): { init: RequestInit | undefined; call?: DownstreamCall; requestId?: string | number } {
    const body = init?.body;
    if (typeof body !== 'string' || !body.includes(MARK)) return { init };
    let message: { id?: unknown; params?: { _meta?: Record<string, unknown> } };
    try {
      message = JSON.parse(body) as typeof message;
    } catch {
      return { init };
    }
    const meta = message.params?._meta;
    const token = meta?.[MARK];
    if (!meta || typeof token !== 'string') return { init };
    delete meta[MARK];
    if (Object.keys(meta).length === 0) delete message.params?._meta;
    const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : undefined;
    return { init: { ...init, body: JSON.stringify(message) }, call: this.marked.get(token), requestId: id };
  }

  /**
   * Reads the stream on the way through. When it ends before the answer to `requestId` came (the upstream
   * closed it to be polled, SEP-1699), the downstream stream is closed too, so the client resumes in turn.
   */
  private tap(call: DownstreamCall, requestId: string | number | undefined): TransformStream<Uint8Array, Uint8Array> {
    const decoder = new TextDecoder();
    let buffered = '';
    let answered = false;
    return new TransformStream({
      transform: (chunk, controller) => {
        buffered += decoder.decode(chunk, { stream: true });
        let newline = buffered.indexOf('\n');
        while (newline !== -1) {
          if (this.note(buffered.slice(0, newline), call, requestId)) answered = true;
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
        controller.enqueue(chunk);
      },
      flush: () => {
        if (!answered && requestId !== undefined) call.closeStream();
      },
    });
  }

  /** Notes server-to-client messages; true when the line is the answer to `requestId`. */
  private note(line: string, call: DownstreamCall, requestId: string | number | undefined): boolean {
    if (!line.startsWith('data:')) return false;
    let message: { id?: unknown; method?: unknown };
    try {
      message = JSON.parse(line.slice(5)) as { id?: unknown; method?: unknown };
    } catch {
      return false;
    }
    return this.noteMessage(message, call, requestId);
  }

  /**
   * Notes a message read from the stream of `call`'s request, before it is dispatched: a server request is
   * remembered by its id, a log line in order. True when the message is the answer to `requestId`.
   */
  noteMessage(message: { id?: unknown; method?: unknown }, call: DownstreamCall, requestId: string | number | undefined): boolean {
    if (typeof message.method !== 'string') return message.id !== undefined && message.id === requestId;
    if (typeof message.id === 'string' || typeof message.id === 'number') {
      if (this.requests.size >= MAX_PENDING) this.requests.clear();
      this.requests.set(message.id, call);
    } else if (message.method === 'notifications/message') {
      if (this.logs.length >= MAX_PENDING) this.logs.length = 0;
      this.logs.push(call);
    }
    return false;
  }
}
