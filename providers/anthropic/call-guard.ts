/**
 * One upstream call's cancellation: links the caller's signal to the SDK request and runs our own deadline, so a
 * failure can be told apart as "caller went away" or "upstream too slow".
 */
import type { CallOptions } from '../provider.js';

export class CallGuard {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onCallerAbort = (): void => this.controller.abort(this.caller.reason);

  private readonly caller: AbortSignal;
  readonly timeoutMs: number;

  constructor(options: CallOptions) {
    this.caller = options.signal;
    this.timeoutMs = options.timeoutMs;
    if (this.caller.aborted) this.controller.abort(this.caller.reason);
    else this.caller.addEventListener('abort', this.onCallerAbort, { once: true });
  }

  /** Pass this to the SDK: it aborts when the caller aborts or the deadline passes. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get callerAborted(): boolean {
    return this.caller.aborted;
  }

  get deadlinePassed(): boolean {
    return this.timedOut;
  }

  /** (Re)starts the deadline: `timeoutMs` from now. */
  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`no answer within ${this.timeoutMs} ms`));
    }, this.timeoutMs);
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}
