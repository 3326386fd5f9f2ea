/**
 * The conversation a create request continues: the items of its `previous_response_id` chain, then its own input,
 * with `item_reference` entries replaced by the items they name (from that chain or earlier in the input; an unknown
 * id is a 400 naming it). Instructions are not carried over (the API does not either).
 */
import { mayUseOwned } from '../../auth/permissions.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { InvalidRequestError, PreviousResponseNotFoundError } from '../../http/errors.js';
import type { InputEntry } from './parse-input.js';
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
  entries: InputEntry[],
  caller: Caller,
): Promise<Conversation> {
  const history = previousResponseId ? await chainItems(store, previousResponseId, caller) : [];
  return { history, input: resolveReferences(entries, history) };
}

function resolveReferences(entries: InputEntry[], history: readonly ConversationItem[]): ConversationItem[] {
  if (!entries.some((entry) => entry.type === 'item_reference')) return entries as ConversationItem[];
  const known = new Map<string, ConversationItem>();
  for (const item of history) if (item.id) known.set(item.id, item);
  return entries.map((entry) => {
    if (entry.type !== 'item_reference') {
      if (entry.id) known.set(entry.id, entry);
      return entry;
    }
    const item = known.get(entry.id);
    if (!item) {
      throw new InvalidRequestError(
        `Item with id '${entry.id}' not found in this conversation (previous_response_id chain or earlier input items).`,
        { param: `input[${entry.index}].id` },
      );
    }
    return item;
  });
}

async function chainItems(store: ResponseStore, previousResponseId: string, caller: Caller): Promise<ConversationItem[]> {
  const chain = await store.chain(previousResponseId);
  if (chain.kind === 'too_long') {
    throw new InvalidRequestError(
      `The conversation ending at '${previousResponseId}' is longer than ${chain.maxLength} responses; start a new one.`,
      { param: 'previous_response_id' },
    );
  }
  // Another key's conversation cannot be continued: it is not found, exactly like a missing one.
  const missingId = chain.kind === 'missing' ? chain.missingId : chain.responses.find((response) => !mayUseOwned(caller, response.ownerId))?.id;
  if (missingId !== undefined || chain.kind !== 'found') {
    throw new PreviousResponseNotFoundError(`Previous response with id '${missingId ?? previousResponseId}' not found.`, {
      param: 'previous_response_id',
    });
  }
  return chain.items;
}
