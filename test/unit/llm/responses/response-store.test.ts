/** The in-memory ResponseStore: chains for previous_response_id, input item pages, deletion and its bound. */
import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../../src/http/errors.js';
import { InMemoryResponseStore, type StoredResponse } from '../../../../src/llm/responses/response-store.js';
import type { ConversationItem, ResponseObject } from '../../../../src/llm/responses/response-types.js';

const message = (id: string): ConversationItem => ({ id, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_text', text: id }] });

function record(id: string, previous: string | null, inputIds: string[]): StoredResponse {
  return {
    id,
    createdAt: 0,
    model: 'm',
    status: 'completed',
    previousResponseId: previous,
    instructions: null,
    inputItems: inputIds.map(message),
    outputItems: [],
    response: { id } as ResponseObject,
    ownerId: null,
    store: true,
  };
}

describe('InMemoryResponseStore', () => {
  it('follows previous_response_id oldest first, and reports the first missing link', async () => {
    const store = new InMemoryResponseStore();
    await store.save(record('r1', null, ['a']));
    await store.save(record('r2', 'r1', ['b']));
    await store.save(record('r3', 'r2', ['c']));
    const chain = await store.chain('r3');
    expect(chain.kind === 'found' && chain.items.map((item) => item.id)).toEqual(['a', 'b', 'c']);
    await store.delete('r1');
    expect(await store.chain('r3')).toEqual({ kind: 'missing', missingId: 'r1' });
    expect(await store.chain('nope')).toEqual({ kind: 'missing', missingId: 'nope' });
  });

  it('stops at the chain length limit', async () => {
    const store = new InMemoryResponseStore(10, 2);
    await store.save(record('r1', null, []));
    await store.save(record('r2', 'r1', []));
    await store.save(record('r3', 'r2', []));
    expect(await store.chain('r3')).toEqual({ kind: 'too_long', maxLength: 2 });
  });

  it('pages input items in either order after a cursor', async () => {
    const store = new InMemoryResponseStore();
    await store.save(record('r', null, ['a', 'b', 'c']));
    expect(await store.inputItems('r', { limit: 2, order: 'asc' })).toMatchObject({ items: [{ id: 'a' }, { id: 'b' }], hasMore: true });
    expect(await store.inputItems('r', { limit: 2, order: 'asc', after: 'b' })).toMatchObject({ items: [{ id: 'c' }], hasMore: false });
    expect(await store.inputItems('r', { limit: 5, order: 'desc' })).toMatchObject({ items: [{ id: 'c' }, { id: 'b' }, { id: 'a' }] });
    await expect(store.inputItems('r', { limit: 1, order: 'asc', after: 'zz' })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(await store.inputItems('missing', { limit: 1, order: 'asc' })).toBeNull();
  });

  it('keeps a copy, not the caller object, and drops the least recently used past its bound', async () => {
    const store = new InMemoryResponseStore(2);
    const first = record('r1', null, ['a']);
    await store.save(first);
    first.inputItems.push(message('late'));
    expect((await store.get('r1'))?.inputItems).toHaveLength(1);
    await store.save(record('r2', null, []));
    await store.get('r1');
    await store.save(record('r3', null, []));
    expect(await store.get('r2')).toBeNull();
    expect(await store.get('r1')).not.toBeNull();
    expect(await store.delete('r1')).toBe(true);
    expect(await store.delete('r1')).toBe(false);
  });
});
