/**
 * Upstream failures, one class each, raised by providers and mapped to client-facing errors by the router.
 * Messages never contain credentials: providers build them from the upstream's error text after scrubbing.
 */

export type UpstreamError =
  | UpstreamStatusError
  | UpstreamTimeoutError
  | UpstreamConnectionError
  | UpstreamAbortedError
  | UnsupportedRequestError;

/**
 * The request cannot be expressed in this upstream's wire format (e.g. `n > 1` for Anthropic).
 * Raised before any upstream call; the router answers 400 naming `param`. Never retried.
 */
export class UnsupportedRequestError extends Error {
  override readonly name = 'UnsupportedRequestError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/** The upstream answered with a non-2xx status (or sent an error event mid-stream). */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError';
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      /** Seconds, from the upstream's `retry-after` / `retry-after-ms` headers. */
      retryAfterSeconds?: number;
      /** The upstream's own error type / code, when it gave one. */
      upstreamType?: string;
      upstreamCode?: string;
      param?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** The upstream did not answer within the deployment's timeout. */
export class UpstreamTimeoutError extends Error {
  override readonly name = 'UpstreamTimeoutError';
}

/** The upstream could not be reached (refused, reset, DNS). */
export class UpstreamConnectionError extends Error {
  override readonly name = 'UpstreamConnectionError';
}

/** The caller went away and the upstream request was aborted. */
export class UpstreamAbortedError extends Error {
  override readonly name = 'UpstreamAbortedError';
}

export function isUpstreamError(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamStatusError ||
    error instanceof UpstreamTimeoutError ||
    error instanceof UpstreamConnectionError ||
    error instanceof UpstreamAbortedError ||
    error instanceof UnsupportedRequestError
  );
}

/** Parses `retry-after-ms` / `retry-after` (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(headers: { get(name: string): string | null } | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms !== '' && Number.isFinite(Number(ms))) return Number(ms) / 1000;
  const value = headers.get('retry-after');
  if (value === null || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** Removes every occurrence of the given secrets from an upstream-provided message. */
export function scrubSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  // Upstreams echo a masked key ("Incorrect API key provided: sk-ab***cd"); drop any key-looking token.
  return out.replace(/\b(sk|pk|rk)-[A-Za-z0-9_*\-.]{3,}/g, '[redacted]');
}
