import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../src/http/errors.js';
import { chainItems, pageInputItems } from '../../../src/store/responses-pages.js';
import { responseRecord } from '../../integration/store/response-fixtures.js';

describe('pageInputItems', () => {
  const record = responseRecord({ inputText: ['a', 'b', 'c'] });
  const [a, b, c] = record.inputItems.map((item) => item.id);

  it('lists newest first for desc and oldest first for asc, starting after the cursor item', () => {
    expect(pageInputItems(record, { limit: 2, order: 'desc' }).items.map((item) => item.id)).toEqual([c, b]);
    expect(pageInputItems(record, { after: b, limit: 2, order: 'desc' })).toEqual({ items: [record.inputItems[0]], hasMore: false });
    expect(pageInputItems(record, { after: a, limit: 1, order: 'asc' })).toEqual({ items: [record.inputItems[1]], hasMore: true });
    expect(pageInputItems(record, { after: c, limit: 5, order: 'asc' })).toEqual({ items: [], hasMore: false });
  });

  it('does not reorder the stored record', () => {
    pageInputItems(record, { limit: 3, order: 'desc' });
    expect(record.inputItems.map((item) => item.id)).toEqual([a, b, c]);
  });

  it('rejects an unknown cursor (param after) and a limit that is not a positive integer (param limit)', () => {
    expect(() => pageInputItems(record, { after: 'msg_nope', limit: 1, order: 'asc' })).toThrow(InvalidRequestError);
    expect(() => pageInputItems(record, { after: 'msg_nope', limit: 1, order: 'asc' })).toThrow(expect.objectContaining({ param: 'after' }));
    expect(() => pageInputItems(record, { limit: 0, order: 'asc' })).toThrow(expect.objectContaining({ param: 'limit' }));
    expect(() => pageInputItems(record, { limit: 2.5, order: 'asc' })).toThrow(expect.objectContaining({ param: 'limit' }));
  });
});

describe('chainItems', () => {
  it("concatenates each response's input then output items, in the given (oldest first) order", () => {
    const first = responseRecord({ inputText: ['q1'], outputText: ['a1'] });
    const second = responseRecord({ previousResponseId: first.id, inputText: ['q2'], outputText: ['a2', 'a2b'] });
    expect(chainItems([first, second])).toEqual([...first.inputItems, ...first.outputItems, ...second.inputItems, ...second.outputItems]);
  });
});
