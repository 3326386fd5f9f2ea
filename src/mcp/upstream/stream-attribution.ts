/**
 * Tells which downstream call a server-to-client message belongs to. Over Streamable HTTP the upstream sends
 * such a message (sampling, elicitation, a log line) on the SSE response of the POST it relates to, but the
 * SDK client does not pass that on. So the outgoing request carries a marker in `_meta`; our Streamable HTTP
 * transport (streamable-http-client.ts) takes it out again before the message is serialised (the upstream never
 * sees it), learns the call, and notes `server request id → call` for each message of that POST's stream
 * before the SDK dispatches it. The legacy SSE transport only needs the marker taken out (`wrapFetch`).
 * (An AsyncLocalStorage did this before; its promise hooks slowed the whole process by 15–23% per agent round
 * once enabled — docs/benchmarks.md.)
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

  /**
   * A fetch that takes the marker out of a POST body, for the legacy SSE transport: its POSTs are answered 202
   * and the answers come on the session's one GET stream, where no call can be told (upstream-client.ts relays
   * by the calls in flight instead).
   */
  wrapFetch(base: FetchLike = fetch): FetchLike {
    return (url, init) => base(url, this.unmark(init));
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

  /** The request init with the marker taken out of its JSON body (untouched when there is none). */
  private unmark(init: RequestInit | undefined): RequestInit | undefined {
    const body = init?.body;
    if (typeof body !== 'string' || !body.includes(MARK)) return init;
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      return init;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return init;
    const taken = this.take(message as JSONRPCMessage);
    return taken.message === message ? init : { ...init, body: JSON.stringify(taken.message) };
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
