/**
 * Server-sent events framing, in one place: the frames and stream heads of the LLM routes (`SseWriter`) and of
 * the MCP gateway's direct `tools/call` streams. `SseWriter` writes go straight to the socket (no buffering) and
 * wait for `drain` when the client reads slower than the upstream writes.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tell nginx-style proxies not to buffer the stream.
  'x-accel-buffering': 'no',
} as const;

const DONE_FRAME = 'data: [DONE]\n\n';

/** One `data:` frame; `json` is already serialised. */
export function dataFrame(json: string): string {
  return `data: ${json}\n\n`;
}

/**
 * One named event (`event:` + `data:`). With `id` (written between the two, as the MCP SDK's server transport
 * does) a client can resume after it with `Last-Event-ID`.
 */
export function eventFrame(name: string, json: string, id?: string): string {
  return id === undefined ? `event: ${name}\ndata: ${json}\n\n` : `event: ${name}\nid: ${id}\ndata: ${json}\n\n`;
}

/** An event without data: the id to resume after and the reconnect delay (MCP's priming event, SEP-1699). */
export function primingFrame(id: string, retryMs: number): string {
  return `id: ${id}\nretry: ${retryMs}\ndata: \n\n`;
}

/**
 * The head of an MCP Streamable HTTP event stream, as the SDK's server transport writes it, so a call the
 * gateway serves itself looks like one the transport serves. Not flushed: it leaves with the first frame (one
 * write for a lone answer).
 */
export function writeMcpStreamHead(res: ServerResponse, sessionId: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'mcp-session-id': sessionId,
  });
}

export class SseWriter {
  private corked = false;

  constructor(private readonly res: ServerResponse) {}

  open(extraHeaders: Record<string, string>): void {
    this.res.writeHead(200, { ...SSE_HEADERS, ...extraHeaders });
    this.res.flushHeaders();
  }

  /** One `data:` frame; `json` is already serialised. */
  data(json: string): Promise<void> {
    return this.write(dataFrame(json));
  }

  /** One named event (`event:` + `data:`), as the Responses API and legacy MCP SSE use. */
  event(name: string, json: string): Promise<void> {
    return this.write(eventFrame(name, json));
  }

  /** Chat Completions' terminator. */
  done(): void {
    this.end(DONE_FRAME);
  }

  end(last?: string): void {
    if (!this.res.writableEnded) this.res.end(last);
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded;
  }

  private async write(frame: string): Promise<void> {
    if (this.closed) return;
    // Frames parsed from one upstream read arrive in one turn of the event loop: send them in one write
    // (the socket writes dominated the bench profile) by corking until the loop moves on.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      setImmediate(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    if (!this.res.write(frame)) {
      // Resolves on drain; a client that went away emits close instead.
      await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
    }
  }
}
