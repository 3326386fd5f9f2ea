/**
 * The Responses API as the routes call it: create (JSON or streamed), retrieve, delete and list input items.
 * Owns no state; the store is whatever `ResponseStore` it is given.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { mayUseOwned } from '../../auth/permissions.js';
import type { Caller } from '../../auth/resolve-caller.js';
import { InvalidRequestError, ResponseNotFoundError } from '../../http/errors.js';
import type { Router } from '../router.js';
import { invalid } from './field-reader.js';
import { prepareResponse, type ResponsesMcpDeps } from './prepare-response.js';
import type { ResponsesRequest } from './request-schema.js';
import type { InputItemsQuery, ResponseStore } from './response-store.js';
import type { ConversationItem, ResponseObject } from './response-types.js';
import { completeResponse, streamResponse } from './run-response.js';
import type { LlmRequestSpend } from '../../spend/request-spend.js';

export interface ResponsesDeps {
  router: Router;
  store: ResponseStore;
  mcp: ResponsesMcpDeps;
}

export interface RequestContext {
  headers: IncomingHttpHeaders;
  signal: AbortSignal;
  caller: Caller;
  /** Prices the request's rounds and collects its tool costs (issue #7). */
  spend?: LlmRequestSpend;
}

export interface InputItemList {
  object: 'list';
  data: ConversationItem[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

const DEFAULT_ITEMS_LIMIT = 20;
const MAX_ITEMS_LIMIT = 100;

export class ResponsesService {
  private readonly nativeByModel = new Map<string, boolean>();

  constructor(private readonly deps: ResponsesDeps) {}

  async create(body: ResponsesRequest, context: RequestContext): Promise<{ response: ResponseObject; deploymentId: string | undefined }> {
    const prepared = await prepareResponse(body, { ...context, streaming: false, native: this.native(body.model) }, this.deps);
    return completeResponse(prepared, this.deps, context.signal, context.spend);
  }

  /** See `streamResponse` for `open`. */
  async stream(
    body: ResponsesRequest,
    context: RequestContext,
    res: ServerResponse,
    open: (deploymentId: string | undefined) => Record<string, string>,
  ): Promise<{ ok: boolean }> {
    const prepared = await prepareResponse(body, { ...context, streaming: true, native: this.native(body.model) }, this.deps);
    return streamResponse(prepared, this.deps, context.signal, res, open, context.spend);
  }

  /**
   * Native when every deployment the model may reach (fallbacks included) serves Responses itself; a mixed group is
   * translated, so one request never switches API shape halfway through its rounds.
   */
  private native(model: string): boolean {
    // The answer depends on config only: worked out once per configured model name.
    let native = this.nativeByModel.get(model);
    if (native === undefined) {
      const reachable = this.deps.router.reachable(model);
      if (reachable.length === 0) return false; // an unknown name: not remembered (clients choose these)
      native = reachable.every((deployment) => deployment.nativeResponses);
      this.nativeByModel.set(model, native);
    }
    return native;
  }

  private owned(id: string, caller: Caller) {
    return ownedRecord(this.deps.store, id, caller);
  }

  async retrieve(id: string, caller: Caller): Promise<ResponseObject> {
    return (await this.owned(id, caller)).response;
  }

  /** OpenAI's API reference answers `object: "response"` (the `openai` SDK returns nothing, so raw clients read it). */
  async delete(id: string, caller: Caller): Promise<{ id: string; object: 'response'; deleted: true }> {
    await this.owned(id, caller);
    if (!(await this.deps.store.delete(id))) throw notFound(id);
    return { id, object: 'response', deleted: true };
  }

  /**
   * `client.responses.cancel`: only background responses can be cancelled, and this proxy runs none, so a stored
   * response answers OpenAI's 400 for a synchronous one (an unknown id is the usual 404).
   */
  async cancel(id: string, caller: Caller): Promise<never> {
    await this.owned(id, caller);
    throw new InvalidRequestError('Cannot cancel a synchronous response.');
  }

  async inputItems(id: string, query: Record<string, unknown>, caller: Caller): Promise<InputItemList> {
    const parsed = itemsQuery(query);
    await this.owned(id, caller);
    const page = await this.deps.store.inputItems(id, parsed);
    if (!page) throw notFound(id);
    return {
      object: 'list',
      data: page.items,
      first_id: page.items[0]?.id ?? null,
      last_id: page.items.at(-1)?.id ?? null,
      has_more: page.hasMore,
    };
  }
}

/** Another key's response is not found, exactly like a missing one (nothing tells the two apart). */
async function ownedRecord(store: ResponseStore, id: string, caller: Caller) {
  const record = await store.get(id);
  if (!record || !mayUseOwned(caller, record.ownerId)) throw notFound(id);
  return record;
}

function notFound(id: string): ResponseNotFoundError {
  return new ResponseNotFoundError(`Response with id '${id}' not found.`);
}

/** `limit` (1–100, default 20), `order` (`asc` | `desc`, default `desc`), `after` (an item id), as OpenAI takes them. */
function itemsQuery(query: Record<string, unknown>): InputItemsQuery {
  const { limit, order, after } = query;
  const parsed: InputItemsQuery = { limit: DEFAULT_ITEMS_LIMIT, order: 'desc' };
  if (limit !== undefined) {
    const value = typeof limit === 'string' && /^\d+$/.test(limit) ? Number(limit) : NaN;
    if (!(value >= 1 && value <= MAX_ITEMS_LIMIT)) throw invalid('limit', `must be an integer from 1 to ${MAX_ITEMS_LIMIT}`);
    parsed.limit = value;
  }
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc') throw invalid('order', "must be 'asc' or 'desc'");
    parsed.order = order;
  }
  if (after !== undefined) {
    if (typeof after !== 'string' || after === '') throw invalid('after', 'must be an item id');
    parsed.after = after;
  }
  return parsed;
}
