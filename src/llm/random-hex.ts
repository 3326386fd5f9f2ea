/**
 * 32 random hex characters (122 random bits) for item and response ids. `randomUUID` draws from a pre-filled
 * entropy cache; `randomBytes(16)` asked OpenSSL on every call, 3.6% of the agent loop's CPU (docs/benchmarks.md).
 */
import { randomUUID } from 'node:crypto';

export function randomHex(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(9, 13) + uuid.slice(14, 18) + uuid.slice(19, 23) + uuid.slice(24);
}
