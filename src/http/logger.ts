/**
 * The app's pino logger, with redaction configured once for every credential-bearing field,
 * and the one per-request log line.
 */
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { pino } from 'pino';

/**
 * Explicit paths only: our log lines never carry header maps or config objects, so these are a second line
 * of defence, and wildcard paths made every line about 3× more expensive (docs/benchmarks.md).
 */
export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-litellm-api-key"]',
  'req.headers["x-api-key"]',
  'req.headers["x-mcp-auth"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'api_key',
  'apiKey',
  'auth_value',
  'client_secret',
  'master_key',
];

export interface LoggerSettings {
  level?: string;
  /** Where lines go (stdout by default); tests pass a capture stream. */
  destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { service: 'gatehouse' },
  };
  return settings.destination ? pino(options, settings.destination) : pino(options);
}
