/**
 * Tells which downstream call a server-to-client message belongs to. Over Streamable HTTP the upstream sends
 * such a message (sampling, elicitation, a log line) on the SSE response of the POST it relates to, but the
 * SDK client does not pass that on. So the upstream's fetch is wrapped: the POST is sent inside the
 * downstream call's async context, and its SSE response is read once more on the way through (bytes
 * unchanged) to note `server request id → call` before the SDK dispatches the message.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { DownstreamCall } from '../hub/downstream-call.js';

/** Bounds the notes kept for messages the SDK never dispatched (e.g. invalid ones). */
const MAX_PENDING = 1_000;

export class StreamAttribution {
  private readonly context = new AsyncLocalStorage<DownstreamCall>();
  private readonly requests = new Map<string | number, DownstreamCall>();
  private readonly logs: DownstreamCall[] = [];

  /** Runs `fn` (which sends one upstream request) as part of `call`. */
  run<T>(call: DownstreamCall | undefined, fn: () => T): T {
    return call ? this.context.run(call, fn) : fn();
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
      const call = this.context.getStore();
      const response = await base(url, init);
      const type = response.headers.get('content-type') ?? '';
      if (!call || !response.body || !type.includes('text/event-stream')) return response;
      return new Response(response.body.pipeThrough(this.tap(call, requestIdOf(init?.body))), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    };
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

function requestIdOf(body: unknown): string | number | undefined {
  if (typeof body !== 'string' || !body.includes('"id"')) return undefined;
  try {
    const id = (JSON.parse(body) as { id?: unknown; method?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}
