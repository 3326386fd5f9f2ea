/**
 * Stored responses as this module sees them: the store's `ResponsesRepository` (src/store) with this
 * module's item types. Records handed out are shared and frozen: never mutate one.
 */
import type {
  InputItemsPage as StoreInputItemsPage,
  InputItemsQuery,
  ResponseChain as StoreResponseChain,
  ResponsesRepository,
  StoredResponse as StoreRecord,
} from '../../store/index.js';
import type { ConversationItem, OutputItem, ResponseObject } from './response-types.js';

export interface ResponseItemTypes {
  response: ResponseObject;
  inputItem: ConversationItem & { id: string };
  outputItem: OutputItem;
}

export type StoredResponse = StoreRecord<ResponseItemTypes>;
export type ResponseChain = StoreResponseChain<ResponseItemTypes>;
export type InputItemsPage = StoreInputItemsPage<ResponseItemTypes>;
export type ResponseStore = ResponsesRepository<ResponseItemTypes>;
export type { InputItemsQuery };
