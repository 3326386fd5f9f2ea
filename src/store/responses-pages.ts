/** Pure views over stored responses: one page of input items, and the items of a chain. */
import { InvalidRequestError } from '../http/errors.js';
import type { ConversationItemOf, InputItemsPage, InputItemsQuery, ResponsePayloads, StoredResponse } from './responses-record.js';

/** One page of a response's input items, as `GET /v1/responses/{id}/input_items` lists them. */
export function pageInputItems<P extends ResponsePayloads>(record: StoredResponse<P>, query: InputItemsQuery): InputItemsPage<P> {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new InvalidRequestError(`limit must be a positive integer, got ${String(query.limit)}`, { param: 'limit' });
  }
  const ordered = query.order === 'asc' ? record.inputItems : [...record.inputItems].reverse();
  let start = 0;
  if (query.after !== undefined) {
    const index = ordered.findIndex((item) => item.id === query.after);
    if (index === -1) {
      throw new InvalidRequestError(`response '${record.id}' has no input item '${query.after}'`, { param: 'after' });
    }
    start = index + 1;
  }
  const end = start + query.limit;
  return { items: ordered.slice(start, end), hasMore: end < ordered.length };
}

/** The conversation held by `responses` (oldest first): each response's input items, then its output items. */
export function chainItems<P extends ResponsePayloads>(responses: readonly StoredResponse<P>[]): ConversationItemOf<P>[] {
  return responses.flatMap((record): ConversationItemOf<P>[] => [...record.inputItems, ...record.outputItems]);
}
