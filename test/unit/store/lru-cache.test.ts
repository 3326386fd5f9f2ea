import { describe, expect, it } from 'vitest';
import { InternalError } from '../../../src/http/errors.js';
import { LruCache } from '../../../src/store/lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entry past maxEntries; a get counts as a use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replacing a key keeps one entry and refreshes it', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
  });

  it('delete reports whether the key was cached', () => {
    const cache = new LruCache<string, number>(1);
    cache.set('a', 1);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(InternalError);
    expect(() => new LruCache(1.5)).toThrow(InternalError);
  });
});
