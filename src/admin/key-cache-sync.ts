/**
 * Keeps the virtual-key cache (auth/key-cache.ts) in step with key, team and organisation writes: another replica's
 * writes are heard through ReplicaSync; this process's writes call the returned function, which drops the cache
 * and tells the other replicas.
 */
import type { KeyCache } from '../auth/key-cache.js';
import type { ReplicaSync } from './replica-sync.js';

const KEY_TOPICS = ['keys', 'teams', 'organizations'] as const;

export function syncKeyCache(keyCache: KeyCache, replicaSync: ReplicaSync): () => void {
  for (const topic of KEY_TOPICS) replicaSync.on(topic, () => keyCache.invalidate());
  return () => {
    keyCache.invalidate();
    for (const topic of KEY_TOPICS) void replicaSync.notify(topic);
  };
}
