/**
 * The app's pino logger, with redaction configured once for every credential-bearing field,
 * and the one per-request log line.
 */
import type { DestinationStream, Logger, LoggerOptions } from 'pino';
import { pino } from 'pino';

export const REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers["x-litellm-api-key"]',
  'req.headers["x-api-key"]',
  'req.headers["x-mcp-auth"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'api_key',
  '*.api_key',
  '*.*.api_key',
  'apiKey',
  '*.apiKey',
  'client_secret',
  '*.client_secret',
  'master_key',
  '*.master_key',
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
