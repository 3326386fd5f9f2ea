/** Builds a responses-repository record from a response object, so the record's columns cannot drift from it. */
import type { ResponseInputItem, ResponseStatus } from 'openai/resources/responses/responses';
import { InternalError } from '../http/errors.js';
import type { OpenAIResponsePayloads, ResponsePayloads, StoredResponse } from './responses-record.js';

/** The fields of a response object that become columns. */
export interface ResponseColumns<P extends ResponsePayloads> {
  id: string;
  model: string;
  status?: ResponseStatus;
  previous_response_id?: string | null;
  instructions: string | ResponseInputItem[] | null;
  output: P['outputItem'][];
}

export function storedResponseFrom<P extends ResponsePayloads = OpenAIResponsePayloads>(
  response: P['response'] & ResponseColumns<P>,
  context: { inputItems: P['inputItem'][]; ownerId: string | null; store: boolean; savedAt: number },
): StoredResponse<P> {
  if (response.status === undefined) throw new InternalError(`response ${response.id} has no status to store`);
  return {
    id: response.id,
    createdAt: context.savedAt,
    model: response.model,
    status: response.status,
    previousResponseId: response.previous_response_id ?? null,
    instructions: response.instructions,
    inputItems: context.inputItems,
    outputItems: response.output,
    response,
    ownerId: context.ownerId,
    store: context.store,
  };
}
