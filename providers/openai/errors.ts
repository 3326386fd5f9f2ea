/** OpenAI-wire failures → our upstream error classes. Messages are scrubbed of the deployment's key. */
import { errors as undiciErrors } from 'undici';
import {
  parseRetryAfter,
  scrubSecrets,
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from '../upstream-errors.js';

type HeaderRecord = Record<string, string | string[] | undefined>;

interface OpenAIErrorBody {
  error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } | string;
  message?: unknown;
}

/** An answer with a non-2xx status: the body's OpenAI error object if it has one. */
export function statusError(status: number, headers: HeaderRecord, bodyText: string, secrets: readonly (string | undefined)[]): UpstreamStatusError {
  let parsed: OpenAIErrorBody | undefined;
  try {
    parsed = JSON.parse(bodyText) as OpenAIErrorBody;
  } catch {
    parsed = undefined;
  }
  const detail = typeof parsed?.error === 'object' ? parsed.error : undefined;
  const message =
    typeof detail?.message === 'string'
      ? detail.message
      : typeof parsed?.error === 'string'
        ? parsed.error
        : typeof parsed?.message === 'string'
          ? parsed.message
          : `upstream answered HTTP ${status}`;
  return new UpstreamStatusError(status, scrubSecrets(message, secrets), {
    retryAfterSeconds: parseRetryAfter(headerGetter(headers)),
    upstreamType: typeof detail?.type === 'string' ? detail.type : undefined,
    upstreamCode: typeof detail?.code === 'string' ? detail.code : undefined,
    param: typeof detail?.param === 'string' ? detail.param : undefined,
  });
}

/** An error frame inside a 200 stream (`data: {"error": …}`). */
export function streamErrorFrame(body: OpenAIErrorBody, secrets: readonly (string | undefined)[]): UpstreamStatusError {
  const detail = typeof body.error === 'object' ? body.error : undefined;
  const message = typeof detail?.message === 'string' ? detail.message : 'upstream failed mid-stream';
  return new UpstreamStatusError(502, scrubSecrets(message, secrets), {
    upstreamType: typeof detail?.type === 'string' ? detail.type : undefined,
    upstreamCode: typeof detail?.code === 'string' ? detail.code : undefined,
  });
}

/** A transport failure (no HTTP answer): timeout, abort, refused connection. */
export function transportError(error: unknown, signal: AbortSignal, secrets: readonly (string | undefined)[]): Error {
  if (signal.aborted) return new UpstreamAbortedError('request aborted by the client');
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
    return new UpstreamTimeoutError('upstream timed out');
  }
  if (error instanceof undiciErrors.ConnectTimeoutError) return new UpstreamTimeoutError('upstream connect timed out');
  if (error instanceof SyntaxError) return new UpstreamStatusError(502, 'upstream sent a response that is not valid JSON');
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new UpstreamConnectionError(`cannot reach upstream: ${scrubSecrets(reason, secrets)}`);
}

function headerGetter(headers: HeaderRecord): { get(name: string): string | null } {
  return {
    get(name) {
      const value = headers[name];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    },
  };
}
