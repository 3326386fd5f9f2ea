/**
 * Runs a prepared response through the tool loop (with no MCP tools it is one model call) and renders it with one
 * `ResponseEmitter`: silently for a JSON answer, as SSE for a stream. Stored (unless `store: false`) before the
 * client sees the end, so a `GET` or a `previous_response_id` right after finds it.
 */
import type { ServerResponse } from 'node:http';
import type { GatehouseError } from '../../http/errors.js';
import { RoutedModel } from '../routed-model.js';
import type { Router } from '../router.js';
import { clientFunctionNames, runToolLoop, streamToolLoop, type LoopEvent, type LoopResult } from '../tool-loop/index.js';
import { toClientError } from '../upstream-error-mapping.js';
import { completionAsChunk } from './completion-chunk.js';
import { HeldSse } from './held-sse.js';
import type { PreparedResponse } from './prepare-response.js';
import { statusFromFinish, type ResponseOutcome } from './response-object.js';
import type { ResponseStore } from './response-store.js';
import type { ResponseObject } from './response-types.js';
import { ResponseEmitter } from './stream-emitter.js';
import { toResponseUsage } from './usage.js';

export interface RunDeps {
  router: Router;
  store: ResponseStore;
}

export async function completeResponse(
  prepared: PreparedResponse,
  deps: RunDeps,
  signal: AbortSignal,
): Promise<{ response: ResponseObject; deploymentId: string | undefined }> {
  const emitter = new ResponseEmitter(prepared.identity, async () => {});
  await emitter.start();
  await renderListings(emitter, prepared);
  const clientNames = clientFunctionNames(prepared.chat);
  const isClient = (name: string) => clientNames.has(name);
  const model = new RoutedModel(deps.router, { completed: (completion) => emitter.chunk(completionAsChunk(completion, isClient)) });
  const result = await runToolLoop(model, loopInput(prepared, emitter, signal));
  const response = await emitter.conclude(outcomeOf(result));
  await save(deps.store, prepared, response);
  return { response, deploymentId: model.deployment?.id };
}

/** `open` hijacks the reply and returns the response headers; it runs once, just before the first byte. */
export async function streamResponse(
  prepared: PreparedResponse,
  deps: RunDeps,
  signal: AbortSignal,
  res: ServerResponse,
  open: (deploymentId: string | undefined) => Record<string, string>,
): Promise<void> {
  const sink: HeldSse = new HeldSse(res, () => open(model.deployment?.id));
  const model: RoutedModel = new RoutedModel(deps.router, { accepted: () => sink.release() });
  const emitter = new ResponseEmitter(prepared.identity, sink.write);
  try {
    await emitter.start();
    await renderListings(emitter, prepared);
    if (prepared.listFailure) {
      await sink.release();
      return await finishFailed(emitter, deps.store, prepared, prepared.listFailure);
    }
    const result = await streamToolLoop(model, loopInput(prepared, emitter, signal));
    const response = await emitter.conclude(outcomeOf(result));
    await sink.release();
    await save(deps.store, prepared, response);
    await emitter.terminate(response);
  } catch (error) {
    if (!sink.opened) throw error;
    if (sink.closed) return;
    await finishFailed(emitter, deps.store, prepared, toClientError(error, model.deployment));
  } finally {
    sink.end();
  }
}

function loopInput(prepared: PreparedResponse, emitter: ResponseEmitter, signal: AbortSignal) {
  return {
    request: prepared.chat,
    toolset: prepared.toolset,
    limits: prepared.limits,
    // Responses carries every executed call as an `mcp_call` item, so calls that need no approval run even in a
    // round that stops for an approval or a client function call.
    runApprovedWhenStopping: true,
    pending: prepared.pending,
    signal,
    onEvent: (event: LoopEvent) => emitter.loopEvent(event),
  };
}

async function renderListings(emitter: ResponseEmitter, prepared: PreparedResponse): Promise<void> {
  for (const listing of prepared.listings) {
    const { serverLabel } = listing;
    await emitter.loopEvent('error' in listing ? { type: 'tools_list_failed', serverLabel, error: listing.error } : { type: 'tools_listed', serverLabel, tools: listing.tools });
  }
}

function outcomeOf(result: LoopResult): Omit<ResponseOutcome, 'output'> {
  const usage = toResponseUsage(result.usage);
  if (result.stop === 'max_rounds' || result.stop === 'max_tool_calls') {
    return { status: 'incomplete', incompleteReason: 'max_tool_calls', usage };
  }
  return { ...statusFromFinish(result.finishReason), usage };
}

async function finishFailed(emitter: ResponseEmitter, store: ResponseStore, prepared: PreparedResponse, error: GatehouseError) {
  const code = error.status === 429 ? 'rate_limit_exceeded' : 'server_error';
  const response = await emitter.conclude({ status: 'failed', error: { code, message: error.message } });
  await save(store, prepared, response);
  await emitter.terminate(response);
}

async function save(store: ResponseStore, prepared: PreparedResponse, response: ResponseObject): Promise<void> {
  if (!prepared.identity.store) return;
  const { request } = prepared.identity;
  await store.save({
    id: response.id,
    createdAt: Date.now(),
    model: request.model,
    status: response.status ?? 'completed',
    previousResponseId: request.previous_response_id ?? null,
    instructions: request.instructions ?? null,
    inputItems: prepared.conversation.input,
    outputItems: response.output,
    response,
    ownerId: null,
    store: true,
  });
}
