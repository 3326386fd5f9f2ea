/**
 * SDK and network failures → our upstream error classes (wire-formats.md §3.5). Every message is scrubbed of the
 * deployment's key; the SDK's own error objects are not attached, since they carry upstream bodies verbatim.
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import {
  isUpstreamError,
  parseRetryAfter,
  scrubSecrets,
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
  type UpstreamError,
} from '../upstream-errors.js';

/** HTTP status for an error `type`, used for `error` events that arrive mid-stream without a status. */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export interface ErrorContext {
  /** Values that must never appear in a message (the API key). */
  secrets: readonly (string | undefined)[];
  callerAborted: boolean;
  deadlinePassed: boolean;
  timeoutMs: number;
}

function statusError(error: APIError, secrets: ErrorContext['secrets']): UpstreamStatusError {
  const type = error.type ?? undefined;
  const status = error.status ?? (type !== undefined ? STATUS_BY_ERROR_TYPE[type] : undefined) ?? 500;
  const text = error.apiMessage ?? (error.status === undefined ? error.message : `Anthropic answered HTTP ${status}.`);
  return new UpstreamStatusError(status, scrubSecrets(text, secrets), {
    retryAfterSeconds: parseRetryAfter(error.headers),
    upstreamType: type,
    upstreamCode: error.errorCode ?? undefined,
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  return cause instanceof Error ? `${error.message} (${describe(cause)})` : error.message;
}

/** Classifies any failure of an Anthropic call. Our own errors (e.g. UnsupportedRequestError) pass through. */
export function toUpstreamError(error: unknown, context: ErrorContext): UpstreamError {
  if (isUpstreamError(error)) return error;
  const scrub = (text: string): string => scrubSecrets(text, context.secrets);
  if (context.callerAborted) {
    return new UpstreamAbortedError('The caller went away; the Anthropic request was aborted.');
  }
  if (context.deadlinePassed || error instanceof APIConnectionTimeoutError) {
    return new UpstreamTimeoutError(`Anthropic did not answer within ${context.timeoutMs} ms.`);
  }
  if (error instanceof APIUserAbortError) return new UpstreamAbortedError('The Anthropic request was aborted.');
  if (error instanceof APIConnectionError) {
    return new UpstreamConnectionError(scrub(`Anthropic is unreachable: ${describe(error)}`));
  }
  if (error instanceof APIError) return statusError(error, context.secrets);
  if (error instanceof SyntaxError) {
    return new UpstreamStatusError(502, scrub(`Anthropic sent malformed JSON: ${error.message}`));
  }
  return new UpstreamConnectionError(scrub(`Anthropic connection failed: ${describe(error)}`));
}
