/**
 * The one mapping from provider failures to client-facing errors (status, code, message).
 * Messages name the model, never a credential: upstream text is already scrubbed by the provider.
 */
import {
  UnsupportedRequestError,
  UpstreamAbortedError,
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from '../../providers/index.js';
import {
  GatehouseError,
  InternalError,
  InvalidRequestError,
  RateLimitedError,
  UpstreamFailedError,
  UpstreamRejectedError,
  UpstreamTimedOutError,
  UpstreamUnavailableError,
} from '../http/errors.js';
import type { Deployment } from './deployments.js';

export function toClientError(error: unknown, deployment: Deployment | undefined): GatehouseError {
  if (error instanceof GatehouseError) return error;
  const model = deployment ? `model \`${deployment.modelName}\`` : 'the model';
  if (error instanceof UnsupportedRequestError) {
    return new InvalidRequestError(error.message, { param: error.param, cause: error });
  }
  if (error instanceof UpstreamTimeoutError) {
    return new UpstreamTimedOutError(`The upstream for ${model} did not answer in time.`, { cause: error });
  }
  if (error instanceof UpstreamConnectionError) {
    return new UpstreamFailedError(`Cannot reach the upstream for ${model}: ${error.message}`, { cause: error });
  }
  if (error instanceof UpstreamAbortedError) {
    return new UpstreamFailedError('The request was aborted.', { cause: error });
  }
  if (error instanceof UpstreamStatusError) return fromStatus(error, model);
  return new InternalError('Internal error while calling the upstream.', { cause: error });
}

function fromStatus(error: UpstreamStatusError, model: string): GatehouseError {
  const { status, details } = error;
  if (status === 429) {
    const headers: Record<string, string> = {};
    if (details.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(details.retryAfterSeconds));
    return new RateLimitedError(`The upstream for ${model} is rate limited: ${error.message}`, { headers, cause: error });
  }
  if (status === 503 || status === 529) {
    return new UpstreamUnavailableError(`The upstream for ${model} is unavailable: ${error.message}`, { cause: error });
  }
  if (status === 504 || status === 408) {
    return new UpstreamTimedOutError(`The upstream for ${model} timed out: ${error.message}`, { cause: error });
  }
  if (status >= 500) {
    return new UpstreamFailedError(`The upstream for ${model} failed with status ${status}: ${error.message}`, {
      cause: error,
    });
  }
  if (status === 401 || status === 403) {
    // The upstream's text may echo a masked credential; say only what happened.
    return new UpstreamRejectedError(status, `The upstream rejected the proxy's credentials for ${model}.`, {
      code: 'upstream_auth_failed',
      cause: error,
    });
  }
  return new UpstreamRejectedError(status, error.message, {
    param: details.param ?? null,
    code: details.upstreamCode,
    cause: error,
  });
}
