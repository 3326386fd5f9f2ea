/**
 * Rate limits (`rpm_limit`, `tpm_limit`) of a key and of its team: fixed one-minute windows, counted by
 * budget-counters.ts. The team's count every key of the team together.
 */
import type { KeyRecord, TeamRecord } from '../store/index.js';

export const RATE_WINDOW_MS = 60_000;

/** A key or team with an `rpm_limit` or a `tpm_limit`. */
export interface RateLimited {
  owner: 'key' | 'team';
  /** The key's token (sha256) or the team's id. */
  id: string;
  /** Names it in a refusal: `API key sk-...abcd`, `team "eng"`. */
  label: string;
  rpm: number | null;
  tpm: number | null;
}

/** The key first: its own limits are the ones the `x-ratelimit-*` headers report. */
export function rateLimitedOf(key: KeyRecord, team: TeamRecord | null): RateLimited[] {
  const out: RateLimited[] = [];
  if (hasRateLimit(key)) out.push({ owner: 'key', id: key.token, label: `API key ${key.key_name}`, rpm: key.rpm_limit ?? null, tpm: key.tpm_limit ?? null });
  if (team !== null && hasRateLimit(team)) {
    out.push({ owner: 'team', id: team.team_id, label: `team "${team.team_id}"`, rpm: team.rpm_limit ?? null, tpm: team.tpm_limit ?? null });
  }
  return out;
}

export function hasRateLimit(entity: KeyRecord | TeamRecord): boolean {
  return (entity.rpm_limit ?? null) !== null || (entity.tpm_limit ?? null) !== null;
}

export function rpmCounterId(owner: RateLimited['owner'], id: string): string {
  return `rpm:${owner}:${id}`;
}

export function tpmCounterId(owner: RateLimited['owner'], id: string): string {
  return `tpm:${owner}:${id}`;
}
