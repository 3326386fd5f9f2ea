/**
 * The SSE answer of one `tools/call` served directly (direct-tool-call.ts). Messages for the call (progress,
 * log lines, relayed server requests) are written as they come; the answer ends the response. Headers and a
 * lone answer go out in one write. For clients at protocol 2025-11-25 or later the stream is resumable, like
 * the SDK transport's: every event carries an id, and when the upstream closes its stream to be polled
 * (SEP-1699) this one ends after a priming event (id + `retry`), and the client's GET with that
 * `Last-Event-ID` picks it up again here. Frames and head come from http/sse.ts; they are written synchronously, not
 * through `SseWriter`, whose promise per write and corking timer would add work per event on this hot path.
 */
import type { ServerResponse } from 'node:http';
import { eventFrame, primingFrame, writeMcpStreamHead } from '../../http/sse.js';

export interface DirectCallStreamOptions {
  sessionId: string;
  /** The client can resume (protocol >= 2025-11-25): events get ids and the stream may be paused. */
  resumable: boolean;
  /** Sent as `retry:` on a priming event. */
  retryMs: number;
}

/** Events kept for a resume, per stream; a call sends few besides its answer. */
const MAX_KEPT_EVENTS = 256;

export class DirectCallStream {
  private res: ServerResponse | undefined;
  private headersSent = false;
  private counter = 0;
  private readonly kept: { id: string; frame: string }[] = [];
  private finished = false;
  /** The client was told to come back (a priming event ended the response before the answer). */
  paused = false;

  constructor(
    readonly id: string,
    res: ServerResponse,
    private readonly options: DirectCallStreamOptions,
  ) {
    this.res = res;
  }

  get done(): boolean {
    return this.finished;
  }

  write(message: object): void {
    const frame = this.frame(message);
    const res = this.res;
    if (res === undefined) return;
    this.sendHeaders(res);
    res.write(frame);
  }

  /** Writes the answer and ends the response (or keeps it for the client's resume). */
  finish(message: object): void {
    this.finished = true;
    const frame = this.frame(message);
    const res = this.res;
    if (res === undefined) return;
    this.res = undefined;
    this.sendHeaders(res);
    res.end(frame);
  }

  /** SEP-1699 polling: ends the response without the answer after a priming event; false when not resumable. */
  pause(): boolean {
    const res = this.res;
    if (!this.options.resumable || res === undefined || this.finished) return false;
    const eventId = this.nextId();
    this.kept.push({ id: eventId, frame: '' });
    this.res = undefined;
    this.paused = true;
    this.sendHeaders(res);
    res.end(primingFrame(eventId, this.options.retryMs));
    return true;
  }

  /** The events after `lastEventId`, then the answer when it is there, else whatever comes next. */
  resume(lastEventId: string, res: ServerResponse): void {
    this.res?.end();
    this.headersSent = false;
    this.sendHeaders(res);
    const index = this.kept.findIndex((event) => event.id === lastEventId);
    const replay = this.kept.slice(index + 1).map((event) => event.frame).join('');
    if (this.finished) {
      res.end(replay);
      return;
    }
    if (replay !== '') res.write(replay);
    this.res = res;
    this.paused = false;
  }

  /** The client went away: forget its response (the call may still finish for a resume). */
  detach(res: ServerResponse): void {
    if (this.res === res) this.res = undefined;
  }

  private frame(message: object): string {
    const data = JSON.stringify(message);
    if (!this.options.resumable) return eventFrame('message', data);
    const eventId = this.nextId();
    const frame = eventFrame('message', data, eventId);
    if (this.kept.length >= MAX_KEPT_EVENTS) this.kept.shift();
    this.kept.push({ id: eventId, frame });
    return frame;
  }

  private nextId(): string {
    return `${this.id}_${++this.counter}`;
  }

  private sendHeaders(res: ServerResponse): void {
    if (this.headersSent) return;
    this.headersSent = true;
    writeMcpStreamHead(res, this.options.sessionId);
  }
}
