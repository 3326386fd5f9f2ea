/**
 * The event sink of a streamed response. Events are held until the upstream has accepted the first model call,
 * so a failure before that (unknown model, upstream down, a refused tool) is still an ordinary HTTP error; then
 * the held events go out and every later one is written as it comes (`event:` + `data:` frames, no `[DONE]`).
 */
import type { ServerResponse } from 'node:http';
import { SseWriter } from '../../http/sse.js';
import type { ResponseEvent } from './response-types.js';

export class HeldSse {
  private readonly held: ResponseEvent[] = [];
  private writer: SseWriter | undefined;

  /** `open` is called once, just before the first byte, and returns the extra response headers. */
  constructor(
    private readonly res: ServerResponse,
    private readonly open: () => Record<string, string>,
  ) {}

  get opened(): boolean {
    return this.writer !== undefined;
  }

  /** True once the client went away (or the stream ended). */
  get closed(): boolean {
    return this.writer?.closed ?? false;
  }

  readonly write = async (event: ResponseEvent): Promise<void> => {
    if (this.writer) await this.writer.event(event.type, JSON.stringify(event));
    else this.held.push(event);
  };

  async release(): Promise<void> {
    if (this.writer) return;
    this.writer = new SseWriter(this.res);
    this.writer.open(this.open());
    for (const event of this.held.splice(0)) await this.write(event);
  }

  end(): void {
    this.writer?.end();
  }
}
