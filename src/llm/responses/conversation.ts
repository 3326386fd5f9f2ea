/**
 * The conversation a create request continues: the items of its `previous_response_id` chain, then its own input.
 * Instructions are not carried over (the API does not either).
 */
import { InvalidRequestError, PreviousResponseNotFoundError } from '../../http/errors.js';
import type { ResponseStore } from './response-store.js';
import type { ConversationItem } from './response-types.js';

export interface Conversation {
  /** Every earlier response's input items, then its output items, oldest first. */
  history: ConversationItem[];
  /** This request's input: what its `input_items` list. */
  input: ConversationItem[];
}

export async function loadConversation(
  store: ResponseStore,
  previousResponseId: string | null | undefined,
  input: ConversationItem[],
): Promise<Conversation> {
  const history = previousResponseId ? await chainItems(store, previousResponseId) : [];
  return { history, input };
}

async function chainItems(store: ResponseStore, previousResponseId: string): Promise<ConversationItem[]> {
  const chain = await store.chain(previousResponseId);
  if (chain.kind === 'found') return chain.items;
  if (chain.kind === 'missing') {
    throw new PreviousResponseNotFoundError(`Previous response with id '${chain.missingId}' not found.`, {
      param: 'previous_response_id',
    });
  }
  throw new InvalidRequestError(
    `The conversation ending at '${previousResponseId}' is longer than ${chain.maxLength} responses; start a new one.`,
    { param: 'previous_response_id' },
  );
}
