/**
 * An in-process LRU cache in front of a responses repository, so a hot conversation chain is not re-read per
 * request. Writes and deletes go through to the repository first. Cached records are frozen copies shaped as a
 * database read would return them. Another replica's delete or update of a response is not seen here until the
 * entry is evicted; responses are written once per request, so that window only matters for a delete.
 */
import { chainItems, pageInputItems } from './responses-pages.js';
import type { ResponseChain, ResponsePayloads, ResponsesRepository, StoredResponse } from './responses-record.js';
import { LruCache } from './lru-cache.js';

export function cacheResponses<P extends ResponsePayloads>(
  repository: ResponsesRepository<P>,
  settings: { maxEntries: number; maxChainLength: number },
): ResponsesRepository<P> {
  const cache = new LruCache<string, StoredResponse<P>>(settings.maxEntries);
  const remember = (record: StoredResponse<P>): StoredResponse<P> => {
    const frozen = deepFreeze(record);
    cache.set(record.id, frozen);
    return frozen;
  };
  const get = async (id: string): Promise<StoredResponse<P> | null> => {
    const cached = cache.get(id);
    if (cached !== undefined) return cached;
    const record = await repository.get(id);
    return record === null ? null : remember(record);
  };

  return {
    async save(record) {
      await repository.save(record);
      // JSON round trip: the cached copy has exactly the shape a read from the database would have.
      remember(JSON.parse(JSON.stringify(record)) as StoredResponse<P>);
    },

    get,

    async delete(id) {
      const existed = await repository.delete(id);
      cache.delete(id);
      return existed;
    },

    async inputItems(id, query) {
      const record = await get(id);
      return record === null ? null : pageInputItems(record, query);
    },

    async chain(id, options = {}): Promise<ResponseChain<P>> {
      const maxLength = options.maxLength ?? settings.maxChainLength;
      // Walk cached links newest first; the first link not cached is read with its ancestors in one query.
      const newestFirst: StoredResponse<P>[] = [];
      let next: string | null = id;
      while (next !== null && newestFirst.length <= maxLength) {
        const cached = cache.get(next);
        if (cached === undefined) break;
        newestFirst.push(cached);
        next = cached.previousResponseId;
      }
      if (newestFirst.length > maxLength) return { kind: 'too_long', maxLength };
      let older: StoredResponse<P>[] = [];
      if (next !== null) {
        const rest = await repository.chain(next, { maxLength: maxLength - newestFirst.length });
        if (rest.kind === 'too_long') return { kind: 'too_long', maxLength };
        if (rest.kind === 'missing') return rest;
        older = rest.responses.map(remember);
      }
      const responses = [...older, ...newestFirst.reverse()];
      return { kind: 'found', responses, items: chainItems(responses) };
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
