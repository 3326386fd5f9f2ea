/**
 * Who is calling: reads the key from `x-litellm-api-key` or `Authorization: Bearer …` (the first wins, as in
 * LiteLLM) and checks it against the master key. With no master key configured the proxy is open.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { InvalidApiKeyError, MissingApiKeyError } from '../http/errors.js';

export type Caller = { kind: 'master' } | { kind: 'open' };

/** Which header carries the proxy key on this request (so it is never forwarded upstream). */
export type ProxyKeyHeader = 'authorization' | 'x-litellm-api-key' | null;

export class CallerResolver {
  private readonly masterDigest: Buffer | null;

  constructor(masterKey: string | undefined) {
    this.masterDigest = masterKey ? digest(masterKey) : null;
  }

  get open(): boolean {
    return this.masterDigest === null;
  }

  resolve(headers: IncomingHttpHeaders): Caller {
    if (this.masterDigest === null) return { kind: 'open' };
    const key = presentedKey(headers);
    if (key === undefined) {
      throw new MissingApiKeyError(
        'No API key provided. Send it as `Authorization: Bearer <key>` or in the `x-litellm-api-key` header.',
      );
    }
    // Compare fixed-length digests so the check takes the same time whatever the key's length.
    if (!timingSafeEqual(digest(key), this.masterDigest)) {
      throw new InvalidApiKeyError('Invalid API key.');
    }
    return { kind: 'master' };
  }
}

/** `x-litellm-api-key` wins over `Authorization`, as in LiteLLM. */
export function proxyKeyHeader(headers: IncomingHttpHeaders): ProxyKeyHeader {
  const litellm = headers['x-litellm-api-key'];
  if (typeof litellm === 'string' && litellm.trim() !== '') return 'x-litellm-api-key';
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.trim() !== '') return 'authorization';
  return null;
}

function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const header = proxyKeyHeader(headers);
  const value = header === null ? undefined : headers[header];
  return typeof value === 'string' ? stripBearer(value.trim()) : undefined;
}

function stripBearer(value: string): string {
  return /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '').trim() : value;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
