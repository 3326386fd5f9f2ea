/**
 * Server-sent events framing, in one place. Writes go straight to the socket (no buffering) and wait
 * for `drain` when the client reads slower than the upstream writes.
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

export class SseWriter {
  private corked = false;

  constructor(private readonly res: ServerResponse) {}

  open(extraHeaders: Record<string, string>): void {
    this.res.writeHead(200, { ...SSE_HEADERS, ...extraHeaders });
    this.res.flushHeaders();
  }

  /** One `data:` frame; `json` is already serialised. */
  data(json: string): Promise<void> {
    return this.write(`data: ${json}\n\n`);
  }

  /** One named event (`event:` + `data:`), as the Responses API and legacy MCP SSE use. */
  event(name: string, json: string): Promise<void> {
    return this.write(`event: ${name}\ndata: ${json}\n\n`);
  }

  /** Chat Completions' terminator. */
  done(): void {
    this.end('data: [DONE]\n\n');
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
