/**
 * One downstream session's state for `tools/call` requests served directly (direct-tool-call.ts): the calls
 * in flight (so `notifications/cancelled` reaches them), the server-to-client requests relayed on their
 * streams (so the client's answers, POSTed to the session, find them), and the streams a client may resume.
 */
import { ErrorCode, McpError, type Result } from '@modelcontextprotocol/sdk/types.js';
import type { DirectCallStream } from './direct-call-stream.js';

interface PendingRelay {
  resolve(result: Result): void;
  reject(error: Error): void;
}

/** The prefix of relayed request ids, apart from the SDK `Server`'s numeric ones. */
const RELAY_ID_PREFIX = 'gatehouse-relay-';

export class DirectCalls {
  readonly inflight = new Map<string | number, AbortController>();
  readonly streams = new Map<string, DirectCallStream>();
  private readonly relays = new Map<string, PendingRelay>();
  private counter = 0;

  /** A new relayed request id and the promise of the client's answer to it. */
  openRelay(): { id: string; answer: Promise<Result> } {
    const id = `${RELAY_ID_PREFIX}${++this.counter}`;
    const answer = new Promise<Result>((resolve, reject) => this.relays.set(id, { resolve, reject }));
    return { id, answer };
  }

  /** Hands the client's answer to its relayed request; false when the id is not one of ours. */
  answerRelay(message: { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }): boolean {
    if (typeof message.id !== 'string') return false;
    const relay = this.relays.get(message.id);
    if (!relay) return false;
    this.relays.delete(message.id);
    if (message.error !== undefined) {
      const code = typeof message.error.code === 'number' ? message.error.code : ErrorCode.InternalError;
      const text = typeof message.error.message === 'string' ? message.error.message : 'The client refused the request.';
      relay.reject(new McpError(code, text, message.error.data));
    } else {
      relay.resolve((message.result ?? {}) as Result);
    }
    return true;
  }

  dropRelay(id: string, reason: Error): void {
    this.relays.get(id)?.reject(reason);
    this.relays.delete(id);
  }

  /** The stream an event id belongs to (`<stream id>_<n>`), if it is one of ours. */
  streamOf(eventId: string): DirectCallStream | undefined {
    const cut = eventId.lastIndexOf('_');
    return cut === -1 ? undefined : this.streams.get(eventId.slice(0, cut));
  }

  /** The session closed: every call in flight is aborted and every relay refused. */
  closeAll(): void {
    for (const controller of this.inflight.values()) controller.abort();
    for (const id of [...this.relays.keys()]) this.dropRelay(id, new Error('The session was closed.'));
    this.inflight.clear();
    this.streams.clear();
  }
}
