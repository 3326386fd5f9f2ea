/**
 * Resolved virtual keys (key row + its team + the team's organisation), cached in process so the hot path
 * makes no database round trip per request. Entries live `ttlMs` (short: another replica's change is seen within
 * it even without a change feed); unknown tokens are cached too, so a flood of bad keys costs one read each per
 * TTL. `invalidate()` drops everything: called on every key/team/organisation write in this process, and by the
 * cross-replica change feed. Concurrent lookups of one token share one read.
 */
import type { KeysRepository, KeyWithTeamAndOrganization } from '../store/index.js';
import { LruCache } from '../store/lru-cache.js';

/** A key with its team and organisation, none of them dangling: a key whose team or organisation is gone resolves to null. */
export type ResolvedKey = KeyWithTeamAndOrganization;

export interface KeySources {
  keys: Pick<KeysRepository, 'getWithTeamAndOrganization'>;
}

export interface KeyCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

export const DEFAULT_KEY_CACHE_TTL_MS = 1_000;
export const DEFAULT_KEY_CACHE_SIZE = 10_000;

interface Entry {
  value: ResolvedKey | null;
  expiresAt: number;
}

export class KeyCache {
  readonly #entries: LruCache<string, Entry>;
  readonly #inFlight = new Map<string, Promise<ResolvedKey | null>>();
  readonly #now: () => number;
  /** Bumped by invalidate(): a read that started before it is not cached after it. */
  #generation = 0;

  constructor(
    private readonly sources: KeySources,
    private readonly options: KeyCacheOptions = { ttlMs: DEFAULT_KEY_CACHE_TTL_MS, maxEntries: DEFAULT_KEY_CACHE_SIZE },
  ) {
    this.#entries = new LruCache(options.maxEntries);
    this.#now = options.now ?? Date.now;
  }

  /** The key with this token (sha256 hex), its team and organisation; null when there is none. */
  async lookup(token: string): Promise<ResolvedKey | null> {
    const cached = this.#entries.get(token);
    if (cached !== undefined && cached.expiresAt > this.#now()) return cached.value;
    const pending = this.#inFlight.get(token);
    if (pending !== undefined) return pending;
    const generation = this.#generation;
    const read: Promise<ResolvedKey | null> = this.read(token).finally(() => {
      if (this.#inFlight.get(token) === read) this.#inFlight.delete(token);
    });
    this.#inFlight.set(token, read);
    const value = await read;
    if (generation === this.#generation) this.#entries.set(token, { value, expiresAt: this.#now() + this.options.ttlMs });
    return value;
  }

  invalidate(): void {
    this.#generation++;
    this.#entries.clear();
    this.#inFlight.clear();
  }

  /**
   * One round trip (key LEFT JOIN team LEFT JOIN organisation). A key whose team (or the team's organisation) no
   * longer exists resolves to nothing: it must not lose their limits.
   */
  private async read(token: string): Promise<ResolvedKey | null> {
    const found = await this.sources.keys.getWithTeamAndOrganization(token);
    if (found === null) return null;
    const { key, team, organization } = found;
    if (key.team_id !== null && team === null) return null;
    if (team !== null && team.organization_id !== null && organization === null) return null;
    return found;
  }
}
