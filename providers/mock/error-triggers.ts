/**
 * LiteLLM's `mock_response` error triggers: a deployment whose mock response is one of these names fails the
 * way that upstream error would, so retries, cooldowns and fallbacks can be exercised without a network.
 */
import {
  UpstreamConnectionError,
  UpstreamStatusError,
  UpstreamTimeoutError,
} from '../upstream-errors.js';

const ERROR_FACTORIES: Readonly<Record<string, () => Error>> = {
  'litellm.RateLimitError': () =>
    new UpstreamStatusError(429, 'Mock rate limit error (mock_response "litellm.RateLimitError")', {
      retryAfterSeconds: 0,
    }),
  'litellm.InternalServerError': () =>
    new UpstreamStatusError(500, 'Mock internal server error (mock_response "litellm.InternalServerError")'),
  'litellm.ServiceUnavailableError': () =>
    new UpstreamStatusError(503, 'Mock service unavailable (mock_response "litellm.ServiceUnavailableError")'),
  'litellm.Timeout': () => new UpstreamTimeoutError('Mock timeout (mock_response "litellm.Timeout")'),
  'litellm.APIConnectionError': () =>
    new UpstreamConnectionError('Mock connection error (mock_response "litellm.APIConnectionError")'),
};

/** Throws the upstream error a LiteLLM error-trigger mock response stands for; returns for any other text. */
export function throwIfErrorTrigger(mockResponse: string): void {
  const factory = Object.hasOwn(ERROR_FACTORIES, mockResponse) ? ERROR_FACTORIES[mockResponse] : undefined;
  if (factory) throw factory();
}
