/**
 * Where stored responses live, as this module needs it. The shape is the store's `ResponsesRepository` contract
 * (src/store/responses-record.ts) with this module's item types, so the SQL repository replaces the in-memory
 * one in one place (the plugin options in app.ts). Records handed out may be frozen: never mutate one.
 */
import type { ResponseInputItem, ResponseStatus } from 'openai/resources/responses/responses';
import { InvalidRequestError } from '../../http/errors.js';
import type { ConversationItem, OutputItem, ResponseObject } from './response-types.js';

export interface StoredResponse {
  /** `resp_…` */
  id: string;
  /** Epoch milliseconds when it was saved. */
  createdAt: number;
  model: string;
  status: ResponseStatus;
  previousResponseId: string | null;
  instructions: string | ResponseInputItem[] | null;
  /** This request's own input items, each with an id. */
  inputItems: ConversationItem[];
  outputItems: OutputItem[];
  response: ResponseObject;
  /** The key that created it; null when the proxy runs without keys. */
  ownerId: string | null;
  store: boolean;
}

export type ResponseChain =
  /** Oldest first: each response's input items, then its output items. */
  | { kind: 'found'; responses: StoredResponse[]; items: ConversationItem[] }
  /** The requested id, or a `previous_response_id` further back, is not stored. */
  | { kind: 'missing'; missingId: string }
  | { kind: 'too_long'; maxLength: number };

export interface InputItemsQuery {
  after?: string;
  limit: number;
  order: 'asc' | 'desc';
}

export interface InputItemsPage {
  items: ConversationItem[];
  hasMore: boolean;
}

export interface ResponseStore {
  save(record: StoredResponse): Promise<void>;
  get(id: string): Promise<StoredResponse | null>;
  /** Whether the response existed. */
  delete(id: string): Promise<boolean>;
  /** Null when the response is not stored; `InvalidRequestError` (param `after`) for an unknown cursor. */
  inputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage | null>;
  chain(id: string): Promise<ResponseChain>;
}

/** Responses kept by the in-memory store before the oldest are dropped. */
export const IN_MEMORY_MAX_RESPONSES = 1000;
/** Longest `previous_response_id` chain followed. */
export const MAX_CHAIN_LENGTH = 256;

/** A process-local store (lost on restart, not shared between replicas), least recently used dropped first. */
export class InMemoryResponseStore implements ResponseStore {
  private readonly records = new Map<string, StoredResponse>();

  constructor(
    private readonly maxEntries = IN_MEMORY_MAX_RESPONSES,
    private readonly maxChainLength = MAX_CHAIN_LENGTH,
  ) {}

  async save(record: StoredResponse): Promise<void> {
    this.records.delete(record.id);
    // A structured clone, so later changes by the caller do not reach the stored copy.
    this.records.set(record.id, structuredClone(record));
    for (const oldest of this.records.keys()) {
      if (this.records.size <= this.maxEntries) break;
      this.records.delete(oldest);
    }
  }

  async get(id: string): Promise<StoredResponse | null> {
    const record = this.records.get(id);
    if (!record) return null;
    this.records.delete(id);
    this.records.set(id, record);
    return record;
  }

  async delete(id: string): Promise<boolean> {
    return this.records.delete(id);
  }

  async inputItems(id: string, query: InputItemsQuery): Promise<InputItemsPage | null> {
    const record = await this.get(id);
    if (!record) return null;
    const ordered = query.order === 'asc' ? record.inputItems : [...record.inputItems].reverse();
    let start = 0;
    if (query.after !== undefined) {
      const index = ordered.findIndex((item) => item.id === query.after);
      if (index === -1) throw new InvalidRequestError(`Response '${id}' has no input item '${query.after}'.`, { param: 'after' });
      start = index + 1;
    }
    const end = start + query.limit;
    return { items: ordered.slice(start, end), hasMore: end < ordered.length };
  }

  async chain(id: string): Promise<ResponseChain> {
    const responses: StoredResponse[] = [];
    for (let next: string | null = id; next !== null; ) {
      if (responses.length === this.maxChainLength) return { kind: 'too_long', maxLength: this.maxChainLength };
      const record = await this.get(next);
      if (!record) return { kind: 'missing', missingId: next };
      responses.unshift(record);
      next = record.previousResponseId;
    }
    return { kind: 'found', responses, items: responses.flatMap((record) => [...record.inputItems, ...record.outputItems]) };
  }
}
