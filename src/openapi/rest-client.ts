/**
 * HTTP for OpenAPI tool calls: one undici `Agent` (a keep-alive pool per origin, reused by every call of every
 * server on that origin), a timeout and the caller's abort signal on each request, and a response size cap
 * enforced while reading, so a huge answer is cut off instead of filling memory. Failures come back as results
 * with a message naming the server, never as exceptions.
 */
import { Agent, type Dispatcher } from 'undici';

export interface RestRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RestLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export type RestOutcome =
  | { ok: true; status: number; headers: Record<string, string>; body: Buffer }
  | { ok: false; reason: 'timeout' | 'too_large' | 'aborted' | 'unreachable'; message: string };

/** Per origin: a bound on sockets, so one slow REST API cannot make the proxy open connections without end. */
const CONNECTIONS_PER_ORIGIN = 32;

export class RestClient {
  private readonly agent = new Agent({ connections: CONNECTIONS_PER_ORIGIN });

  async send(request: RestRequest, limits: RestLimits, label: string): Promise<RestOutcome> {
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
    const seconds = `${Math.round(limits.timeoutMs / 100) / 10} s`;
    const stopped = (): RestOutcome =>
      timeout.aborted
        ? { ok: false, reason: 'timeout', message: `${label} did not answer within ${seconds}.` }
        : { ok: false, reason: 'aborted', message: `${label}: the call was cancelled.` };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.agent.request({
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        headersTimeout: limits.timeoutMs,
        bodyTimeout: limits.timeoutMs,
      });
    } catch (error) {
      if (signal.aborted) return stopped();
      return { ok: false, reason: 'unreachable', message: `${label} could not be reached (${errorCode(error)}).` };
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const tooLarge = (): RestOutcome => ({
      ok: false,
      reason: 'too_large',
      message: `${label} answered HTTP ${response.statusCode} with a body larger than the ${limits.maxResponseBytes} byte limit; it was not read.`,
    });
    const declared = Number(headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
      discard(response.body);
      return tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        size += buffer.length;
        if (size > limits.maxResponseBytes) {
          discard(response.body);
          return tooLarge();
        }
        chunks.push(buffer);
      }
    } catch (error) {
      if (signal.aborted) return stopped();
      return { ok: false, reason: 'unreachable', message: `${label} broke off its answer (${errorCode(error)}).` };
    }
    return { ok: true, status: response.statusCode, headers, body: Buffer.concat(chunks) };
  }

  /** Drops every connection; calls still in flight fail as unreachable. */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

/**
 * Drops an unread body and its connection. Destroyed unread, undici's body emits `RequestAbortedError`; with no
 * listener that 'error' event would be an uncaught exception, so it is heard and ignored here.
 */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/** A reason without the URL (which may carry a key in its query). */
function errorCode(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.name : 'error';
}
