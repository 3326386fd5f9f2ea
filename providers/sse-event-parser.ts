/**
 * An incremental `text/event-stream` parser over raw bytes, for upstream streams read straight off an undici body
 * (no web streams, no decoder stream): LLM providers' SSE answers (sse-frames.ts) and MCP Streamable HTTP. Lines end at LF (a CR before it is dropped); a blank line
 * ends an event. One event may hold at most `maxBytes` bytes (its pending line plus its data lines), so a
 * hostile upstream cannot make the proxy buffer an unbounded message; the stream as a whole is not bounded.
 */

export interface SseEvent {
  /** The `id` field, when this event set one (a priming event may carry only an id). */
  id?: string;
  /** The `event` field; absent means `message`. */
  type?: string;
  /** The data lines joined with `\n`; absent when the event had no data line. */
  data?: string;
}

export class SseEventTooLargeError extends Error {
  constructor(maxBytes: number) {
    super(`upstream message exceeds the ${maxBytes}-byte limit`);
    this.name = 'SseEventTooLargeError';
  }
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

export class SseEventParser {
  /** The last `retry:` value the stream sent, in milliseconds. */
  retryMs: number | undefined;
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private data: string[] = [];
  private dataBytes = 0;
  private id: string | undefined;
  private type: string | undefined;

  constructor(private readonly maxBytes: number) {}

  /** Feeds one chunk; returns the events it completed (throws SseEventTooLargeError past the limit). */
  push(chunk: Buffer): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(LF, start);
      if (newline === -1) {
        if (start < chunk.length) {
          this.partial.push(start === 0 ? chunk : chunk.subarray(start));
          this.partialBytes += chunk.length - start;
          if (this.partialBytes + this.dataBytes > this.maxBytes) throw new SseEventTooLargeError(this.maxBytes);
        }
        return events;
      }
      let line = chunk.subarray(start, newline);
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = Buffer.concat(this.partial, this.partialBytes + line.length);
        this.partial = [];
        this.partialBytes = 0;
      }
      this.line(line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, line.length - 1) : line, events);
      start = newline + 1;
    }
  }

  private line(line: Buffer, events: SseEvent[]): void {
    if (line.length === 0) {
      this.dispatch(events);
      return;
    }
    if (line[0] === COLON) return; // a comment (keep-alive)
    const colon = line.indexOf(COLON);
    const field = colon === -1 ? line.toString('latin1') : line.toString('latin1', 0, colon);
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line[valueStart] === SPACE) valueStart++;
    if (field === 'data') {
      this.dataBytes += line.length - valueStart;
      if (this.dataBytes > this.maxBytes) throw new SseEventTooLargeError(this.maxBytes);
      this.data.push(line.toString('utf8', valueStart));
    } else if (field === 'id') {
      const id = line.toString('utf8', valueStart);
      if (!id.includes('\0')) this.id = id;
    } else if (field === 'event') {
      this.type = line.toString('utf8', valueStart);
    } else if (field === 'retry') {
      const retry = line.toString('latin1', valueStart);
      if (/^\d+$/.test(retry)) this.retryMs = Number(retry);
    }
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0 || this.id !== undefined) {
      const event: SseEvent = {};
      if (this.id !== undefined) event.id = this.id;
      if (this.type !== undefined && this.type !== '') event.type = this.type;
      if (this.data.length > 0) event.data = this.data.length === 1 ? this.data[0] : this.data.join('\n');
      events.push(event);
    }
    this.data = [];
    this.dataBytes = 0;
    this.id = undefined;
    this.type = undefined;
  }
}
