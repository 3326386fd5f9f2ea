/** A list_changed that arrives while a catalog fetch is in flight must not leave the stale list cached. */
import { describe, expect, it } from 'vitest';
import { CatalogCache } from '../../../../src/mcp/hub/catalog-cache.js';
import type { UpstreamClient } from '../../../../src/mcp/hub/upstream-client.js';

function fakeUpstream() {
  const answers: ((tools: { name: string }[]) => void)[] = [];
  const upstream = {
    server: { name: 'fake' },
    describe: async () => ({ capabilities: { tools: {} } }),
    request: () => new Promise((resolve) => answers.push((tools) => resolve({ tools: tools.map((tool) => ({ ...tool, inputSchema: { type: 'object' } })) }))),
  } as unknown as UpstreamClient;
  return { upstream, answers };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('CatalogCache', () => {
  it('refetches after an invalidation that raced an in-flight fetch', async () => {
    const { upstream, answers } = fakeUpstream();
    const cache = new CatalogCache(upstream, 60_000);
    const first = cache.list('tools', { timeoutMs: 1_000 });
    await settle();
    cache.invalidate('tools'); // list_changed while the old list is on its way
    answers[0]([{ name: 'old' }]);
    expect((await first).map((tool) => tool.name)).toEqual(['old']);

    const second = cache.list('tools', { timeoutMs: 1_000 });
    await settle();
    expect(answers).toHaveLength(2);
    answers[1]([{ name: 'new' }]);
    expect((await second).map((tool) => tool.name)).toEqual(['new']);
  });

  it('serves a settled list from the cache without asking again', async () => {
    const { upstream, answers } = fakeUpstream();
    const cache = new CatalogCache(upstream, 60_000);
    const first = cache.list('tools', { timeoutMs: 1_000 });
    await settle();
    answers[0]([{ name: 'a' }]);
    await first;
    await cache.list('tools', { timeoutMs: 1_000 });
    expect(answers).toHaveLength(1);
  });
});
