/** Per-key rate limits (`rpm_limit`, `tpm_limit`): fixed one-minute windows, counted by budget-counters.ts. */
import type { KeyRecord } from '../store/index.js';

export const RATE_WINDOW_MS = 60_000;

export interface RateLimits {
  rpm: number | null;
  tpm: number | null;
}

export function rateLimitsOf(key: KeyRecord): RateLimits {
  return { rpm: key.rpm_limit ?? null, tpm: key.tpm_limit ?? null };
}

export function rpmCounterId(token: string): string {
  return `rpm:key:${token}`;
}

export function tpmCounterId(token: string): string {
  return `tpm:key:${token}`;
}
