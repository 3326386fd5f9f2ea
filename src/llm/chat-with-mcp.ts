/**
 * `type: "mcp"` tools in /v1/chat/completions: checks and lists them before any model call (400 / 404 / 424),
 * then runs the tool loop and shapes its outcome as a `chat.completion` (or, streaming, through ChatLoopStream).
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Caller } from '../auth/resolve-caller.js';
import type { ChatCompletion, ChatCompletionTool } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../../providers/index.js';
import { InvalidRequestError } from '../http/errors.js';
import { chatFinishReason, chatMcpToolCalls, endedMidTurn, limitReached, type ChatMcpToolCall } from './chat-mcp-extension.js';
import { ChatLoopStream } from './chat-mcp-stream.js';
import type { Router } from './router.js';
import { RoutedModel } from './routed-model.js';
import type { LoopInput, LoopLimits, PendingCall } from './tool-loop/loop-types.js';
import { isMcpTool, parseMcpToolSpecs } from './tool-loop/mcp-tool-spec.js';
import { assertListed, prepareLoopTools, type ToolSourceDeps } from './tool-loop/prepare-tools.js';
import { clientFunctionNames, runToolLoop, streamToolLoop } from './tool-loop/run-loop.js';
import { unansweredToolCalls } from './tool-loop/unanswered-calls.js';
import { toClientError } from './upstream-error-mapping.js';
import type { UsageCounter } from './usage-estimate.js';
import type { LlmRequestSpend } from '../spend/request-spend.js';

export interface ChatMcpDeps extends ToolSourceDeps {
  limits: LoopLimits;
  /** Counts rounds whose upstream reported no usage (tiktoken). */
  countUsage: UsageCounter;
}

/** The chat.completion message with Gatehouse's MCP extension fields. */
export type ChatMcpMessage = ChatCompletion.Choice['message'] & {
  mcp_tool_calls: ChatMcpToolCall[];
  mcp_limit_reached?: 'max_rounds' | 'max_tool_calls';
};

export function hasMcpTools(body: ChatRequest): boolean {
  return Array.isArray(body.tools) && (body.tools as unknown[]).some(isMcpTool);
}

/**
 * Everything the loop needs, checked before any model call. Approved MCP calls that a client sends back
 * unanswered (deferred from a round that stopped for its own function calls) run first.
 */
export async function prepareChatLoop(
  body: ChatRequest,
  requestHeaders: IncomingHttpHeaders,
  deps: ChatMcpDeps,
  signal: AbortSignal,
  caller: Caller,
  spend?: LlmRequestSpend,
): Promise<LoopInput> {
  const tools = body.tools as unknown[];
  const entries = parseMcpToolSpecs(tools);
  if (typeof body.n === 'number' && body.n > 1) {
    throw new InvalidRequestError('n must be 1 when tools include type: "mcp" tools.', { param: 'n' });
  }
  // `max_tool_calls` is Gatehouse's extension to chat (docs/endpoints.md): the loop enforces it; upstreams never see it.
  const { max_tool_calls: maxToolCalls, ...rest } = body;
  const request: ChatRequest = { ...rest };
  const clientTools = tools.filter((tool) => !isMcpTool(tool)) as ChatCompletionTool[];
  if (clientTools.length > 0) request.tools = clientTools;
  else delete request.tools;
  const toolset = await prepareLoopTools(entries, deps, {
    requestHeaders,
    caller,
    clientFunctionNames: clientFunctionNames(request),
    signal,
    ...(spend ? { spend } : {}),
  });
  assertListed(toolset, entries);
  const pending: PendingCall[] = unansweredToolCalls(request.messages)
    .filter((call) => toolset.byFunctionName.get(call.function.name)?.needsApproval === false)
    .map((call) => ({ toolCallId: call.id, functionName: call.function.name, arguments: call.function.arguments }));
  const limits = typeof maxToolCalls === 'number' ? { ...deps.limits, maxToolCalls } : deps.limits;
  return {
    request,
    toolset,
    limits,
    runApprovedWhenStopping: false,
    pending,
    signal,
    countUsage: deps.countUsage,
  };
}

/** `spend`: each round is priced at the deployment that served it. */
export async function completeChatWithMcp(
  router: Router,
  input: LoopInput,
  spend?: LlmRequestSpend,
): Promise<{ completion: ChatCompletion & { choices: { message: ChatMcpMessage }[] }; deploymentId: string | undefined }> {
  const model = new RoutedModel(router);
  const result = await runToolLoop(model, withRoundPricing(input, model, spend));
  const { final } = result;
  const limit = limitReached(result);
  const { tool_calls: toolCalls, ...withoutCalls } = final.message;
  const clientNames = clientFunctionNames(input.request);
  const returned = endedMidTurn(result)
    ? (toolCalls ?? []).filter((call) => call.type !== 'function' || clientNames.has(call.function.name))
    : (toolCalls ?? []);
  const message: ChatMcpMessage = {
    ...withoutCalls,
    ...(returned.length > 0 ? { tool_calls: returned } : {}),
    mcp_tool_calls: chatMcpToolCalls(result),
    ...(limit ? { mcp_limit_reached: limit } : {}),
  };
  const completion = {
    id: final.id,
    object: 'chat.completion' as const,
    created: final.created,
    model: final.model,
    choices: [{ index: 0, message, finish_reason: chatFinishReason(result), logprobs: null }],
    usage: result.usage,
    ...(final.systemFingerprint ? { system_fingerprint: final.systemFingerprint } : {}),
  };
  return { completion, deploymentId: model.deployment?.id };
}

/**
 * Streams the loop. `open` is called once, just before the first byte; until then a failure propagates as an
 * ordinary HTTP error. After it, a failure is one error frame.
 */
export async function streamChatWithMcp(
  router: Router,
  input: LoopInput,
  res: ServerResponse,
  open: (deploymentId: string | undefined) => Record<string, string>,
  spend?: LlmRequestSpend,
): Promise<{ ok: boolean }> {
  const model = new RoutedModel(router);
  const stream = new ChatLoopStream(res, () => open(model.deployment?.id), input.request.stream_options?.include_usage === true);
  try {
    const result = await streamToolLoop(model, { ...withRoundPricing(input, model, spend), onEvent: stream.onEvent });
    await stream.finish(result);
    return { ok: true };
  } catch (error) {
    if (!stream.opened) throw error;
    await stream.fail(toClientError(error, model.deployment));
    return { ok: false };
  }
}

/** Each round's usage goes to `spend`, priced at the deployment that just served it. */
function withRoundPricing(input: LoopInput, model: RoutedModel, spend: LlmRequestSpend | undefined): LoopInput {
  if (!spend) return input;
  return { ...input, onRoundUsage: (usage) => spend.addRound(model.deployment?.id, usage) };
}
