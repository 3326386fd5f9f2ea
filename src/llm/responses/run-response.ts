/**
 * Runs a prepared response through the tool loop (with no MCP tools it is one model call) and renders it with one
 * `ResponseEmitter`: silently for a JSON answer, as SSE for a stream. Stored (unless `store: false`) before the
 * client sees the end, so a `GET` or a `previous_response_id` right after finds it.
 */
import type { ServerResponse } from 'node:http';
import type { GatehouseError } from '../../http/errors.js';
import { RoutedModel } from '../routed-model.js';
import type { Router } from '../router.js';
import type { Deployment } from '../deployments.js';
import {
  clientFunctionNames,
  runLoopWith,
  runToolLoop,
  streamToolLoop,
  type LoopEvent,
  type LoopInput,
  type LoopResult,
} from '../tool-loop/index.js';
import { toClientError } from '../upstream-error-mapping.js';
import { completionAsChunk } from './completion-chunk.js';
import { HeldSse } from './held-sse.js';
import { NativeModel } from './native-model.js';
import type { PreparedResponse } from './prepare-response.js';
import { statusFromFinish, type ResponseOutcome } from './response-object.js';
import type { ResponseStore } from './response-store.js';
import type { ResponseObject } from './response-types.js';
import { ResponseEmitter } from './stream-emitter.js';
import { toResponseUsage } from './usage.js';
import type { LlmRequestSpend } from '../../spend/request-spend.js';
import type { UsageCounter } from '../usage-estimate.js';

export interface RunDeps {
  router: Router;
  store: ResponseStore;
  /** `countUsage`: counts rounds whose upstream reported no usage (tiktoken). */
  mcp: { countUsage?: UsageCounter };
}

export async function completeResponse(
  prepared: PreparedResponse,
  deps: RunDeps,
  signal: AbortSignal,
  spend?: LlmRequestSpend,
): Promise<{ response: ResponseObject; deploymentId: string | undefined }> {
  const emitter = new ResponseEmitter(prepared.identity, async () => {});
  await emitter.start();
  await renderListings(emitter, prepared);
  const driver = loopDriver(prepared, deps, emitter, signal, { streaming: false });
  const result = await driver.run(loopInput(prepared, emitter, signal, deps, pricing(driver, spend)));
  const response = await emitter.conclude(outcomeOf(result));
  await save(deps.store, prepared, response);
  return { response, deploymentId: driver.deploymentId() };
}

/** `open` hijacks the reply and returns the response headers; it runs once, just before the first byte. */
export async function streamResponse(
  prepared: PreparedResponse,
  deps: RunDeps,
  signal: AbortSignal,
  res: ServerResponse,
  open: (deploymentId: string | undefined) => Record<string, string>,
  spend?: LlmRequestSpend,
): Promise<{ ok: boolean }> {
  const sink: HeldSse = new HeldSse(res, () => open(driver.deploymentId()));
  const emitter = new ResponseEmitter(prepared.identity, sink.write);
  const driver: LoopDriver = loopDriver(prepared, deps, emitter, signal, { streaming: true, accepted: () => sink.release() });
  try {
    await emitter.start();
    await renderListings(emitter, prepared);
    if (prepared.listFailure) {
      await sink.release();
      await finishFailed(emitter, deps.store, prepared, prepared.listFailure);
      return { ok: false };
    }
    const result = await driver.run(loopInput(prepared, emitter, signal, deps, pricing(driver, spend)));
    const response = await emitter.conclude(outcomeOf(result));
    await sink.release();
    await save(deps.store, prepared, response);
    await emitter.terminate(response);
    return { ok: true };
  } catch (error) {
    if (!sink.opened) throw error;
    if (!sink.closed) await finishFailed(emitter, deps.store, prepared, toClientError(error, driver.deployment()));
    return { ok: false };
  } finally {
    sink.end();
  }
}

/** How the loop's model rounds are made: chat completions through the router, or the upstream's own `/responses`. */
interface LoopDriver {
  run(input: LoopInput): Promise<LoopResult>;
  deployment(): Deployment | undefined;
  deploymentId(): string | undefined;
}

function loopDriver(
  prepared: PreparedResponse,
  deps: RunDeps,
  emitter: ResponseEmitter,
  signal: AbortSignal,
  mode: { streaming: boolean; accepted?: () => Promise<void> },
): LoopDriver {
  const clientNames = clientFunctionNames(prepared.chat);
  if (prepared.native) {
    const native = new NativeModel(prepared.native, {
      router: deps.router,
      modelName: prepared.identity.request.model,
      emitter,
      streaming: mode.streaming,
      clientNames,
      signal,
      ...(mode.accepted ? { accepted: mode.accepted } : {}),
    });
    return { run: (input) => runLoopWith(input, native.callModel), deployment: () => native.deployment, deploymentId: () => native.deployment?.id };
  }
  const isClient = (name: string) => clientNames.has(name);
  const model = new RoutedModel(
    deps.router,
    mode.streaming ? { accepted: mode.accepted } : { completed: (completion) => emitter.chunk(completionAsChunk(completion, isClient)) },
  );
  return {
    run: (input) => (mode.streaming ? streamToolLoop(model, input) : runToolLoop(model, input)),
    deployment: () => model.deployment,
    deploymentId: () => model.deployment?.id,
  };
}

/** Each round's usage goes to `spend`, priced at the deployment that just served it. */
function pricing(driver: LoopDriver, spend: LlmRequestSpend | undefined): LoopInput['onRoundUsage'] {
  return spend ? (usage) => spend.addRound(driver.deploymentId(), usage) : undefined;
}

function loopInput(
  prepared: PreparedResponse,
  emitter: ResponseEmitter,
  signal: AbortSignal,
  deps: RunDeps,
  onRoundUsage: LoopInput['onRoundUsage'],
): LoopInput {
  return {
    ...(deps.mcp.countUsage ? { countUsage: deps.mcp.countUsage } : {}),
    ...(onRoundUsage ? { onRoundUsage } : {}),
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
    ownerId: prepared.identity.ownerId,
    store: true,
  });
}
