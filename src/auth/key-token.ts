/**
 * Virtual key tokens: `sk-` plus 32 random base64url characters, stored only as their sha256 hex (LiteLLM's
 * `token`), and shown in listings as `key_name` (`sk-…abcd`).
 */
import { createHash, randomBytes } from 'node:crypto';

export function newKeyToken(): string {
  return `sk-${randomBytes(24).toString('base64url')}`;
}

export function hashKeyToken(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** `/key/info?key=`, `/key/delete {keys}`: an `sk-…` value is hashed, anything else is taken as the hash. */
export function tokenOf(keyOrToken: string): string {
  return keyOrToken.startsWith('sk-') ? hashKeyToken(keyOrToken) : keyOrToken;
}

export function keyNameOf(key: string): string {
  return `sk-...${key.slice(-4)}`;
}
