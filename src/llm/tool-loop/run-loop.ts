/**
 * The tool loop: call the model → sort its tool calls (client functions, MCP calls needing approval, approved
 * MCP calls, unknown names) → run the approved ones in parallel → feed the results back → repeat, until the model
 * answers, a call must go back to the client, or a limit is reached. `runToolLoop` and `streamToolLoop` differ
 * only in how one model call is made; both report progress as `LoopEvent`s and end with a `LoopResult`.
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionToolChoiceOption,
  ChatCompletionToolMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatRequest } from '../../../providers/index.js';
import { newId } from '../ids.js';
import { executeCalls, type PlannedCall } from './execute-calls.js';
import type { ApprovalRequest, LoopEvent, LoopInput, LoopModel, LoopResult, LoopStop, LoopToolset, McpCallRecord } from './loop-types.js';
import { completionRound, streamRound, type RoundOutcome } from './model-round.js';
import { unknownToolText } from './result-text.js';

/** One model call of the loop: the round's chat request (messages so far, tools) → the model's answer. */
export type CallModel = (request: ChatRequest, emit: (event: LoopEvent) => Promise<void>) => Promise<RoundOutcome>;

/** Non-streaming: each round is one `complete` call. */
export function runToolLoop(model: LoopModel, input: LoopInput): Promise<LoopResult> {
  return loop(input, async (request) => {
    const { stream: _stream, stream_options: _options, ...rest } = request;
    const body: ChatRequest = { ...rest, stream: false };
    return completionRound(await model.complete(body, input.signal), body, input.countUsage);
  });
}

/** Streaming: each round streams; text and client function-call deltas are emitted as `chunk` events as they arrive. */
export function streamToolLoop(model: LoopModel, input: LoopInput): Promise<LoopResult> {
  const clientNames = clientFunctionNames(input.request);
  return loop(input, async (request, emit) => {
    // Usage is summed over rounds, so every round is asked for it whatever the client asked.
    const body: ChatRequest = { ...request, stream: true, stream_options: { ...request.stream_options, include_usage: true } };
    const chunks = await model.stream(body, input.signal);
    return streamRound(chunks, body, (name) => clientNames.has(name), (chunk) => emit({ type: 'chunk', chunk }), input.countUsage);
  });
}

/**
 * A loop whose model calls the caller makes (the native Responses path: each round is an upstream `/responses` call
 * built from its own item list; tool results reach it as the tool messages in `request.messages`).
 */
export function runLoopWith(input: LoopInput, callModel: CallModel): Promise<LoopResult> {
  return loop(input, callModel);
}

/** The names of the client's own function tools in a request (never executed by the loop). */
export function clientFunctionNames(request: ChatRequest): Set<string> {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) if (tool.type === 'function') names.add(tool.function.name);
  return names;
}

interface RoundPlan {
  client: ChatCompletionMessageToolCall[];
  approval: PlannedCall[];
  approved: PlannedCall[];
  unknown: ChatCompletionMessageToolCall[];
}

async function loop(input: LoopInput, callModel: CallModel): Promise<LoopResult> {
  const { toolset, limits, signal } = input;
  const emit = async (event: LoopEvent) => {
    await input.onEvent?.(event);
  };
  const clientNames = clientFunctionNames(input.request);
  const messages: ChatCompletionMessageParam[] = [...input.request.messages];
  const calls: McpCallRecord[] = [];
  let usage: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  let executed = 0;
  let rounds = 0;

  const run = async (planned: readonly PlannedCall[]) => {
    const outcomes = await executeCalls(planned, { limits, signal, emit });
    for (const outcome of outcomes) {
      calls.push(outcome.record);
      placeToolMessage(messages, outcome.message);
    }
    executed += planned.length;
  };

  const pending = (input.pending ?? []).flatMap((call): PlannedCall[] => {
    const tool = toolset.byFunctionName.get(call.functionName);
    return tool ? [{ toolCallId: call.toolCallId, tool, arguments: call.arguments, approvalRequestId: call.approvalRequestId ?? null }] : [];
  });
  if (pending.length > 0) await run(pending);

  for (let round = 1; ; round++) {
    await emit({ type: 'round_started', round });
    const outcome = await callModel(roundRequest(input, toolset, messages, round), emit);
    usage = addUsage(usage, outcome.usage);
    input.onRoundUsage?.(outcome.usage);
    const message = outcome.answer.message;
    messages.push(assistantParam(message));
    const plan = planRound(message.tool_calls ?? [], toolset, clientNames);
    const finish = (stop: LoopStop, approvalRequests: ApprovalRequest[] = [], deferred: PlannedCall[] = []): LoopResult => ({
      stop,
      messages,
      calls,
      approvalRequests,
      usage,
      finishReason: outcome.finishReason,
      model: outcome.answer.model,
      deferredCalls: deferred.map(({ approvalRequestId: _id, ...call }) => describeCall(call)),
      rounds,
      final: outcome.answer,
    });

    // A turn cut off by the token limit: its calls may be cut too (arguments, or calls never written). Nothing of
    // it runs; the client's limit was spent, as a plain completion would stop there.
    if (outcome.finishReason === 'length' && (message.tool_calls?.length ?? 0) > 0) return finish('max_tokens');
    if (plan.client.length > 0 || plan.approval.length > 0) {
      let deferred = plan.approved;
      const withinBudget = limits.maxToolCalls === undefined || executed + plan.approved.length <= limits.maxToolCalls;
      if (input.runApprovedWhenStopping && withinBudget) {
        await run(plan.approved);
        messages.push(...plan.unknown.map((call) => unknownToolMessage(call, toolset)));
        deferred = [];
      }
      const requests = plan.approval.map((call) => ({ id: newId('mcpr'), ...describeCall(call) }));
      for (const request of requests) await emit({ type: 'approval_requested', request });
      return finish(requests.length > 0 ? 'approval_required' : 'completed', requests, deferred);
    }
    if (plan.approved.length === 0 && plan.unknown.length === 0) return finish('completed');
    if (rounds >= limits.maxRounds) return finish('max_rounds');
    if (limits.maxToolCalls !== undefined && executed + plan.approved.length > limits.maxToolCalls) return finish('max_tool_calls');
    await run(plan.approved);
    messages.push(...plan.unknown.map((call) => unknownToolMessage(call, toolset)));
    rounds++;
  }
}

/**
 * A tool result goes right after the assistant message that made the call (and the results already there): an
 * approved call from an earlier turn answers its own tool_call, before any user message that came after it.
 */
function placeToolMessage(messages: ChatCompletionMessageParam[], result: ChatCompletionToolMessageParam): void {
  let at = messages.findLastIndex(
    (message) => message.role === 'assistant' && (message.tool_calls ?? []).some((call) => call.id === result.tool_call_id),
  );
  if (at === -1) {
    messages.push(result);
    return;
  }
  do at++;
  while (at < messages.length && messages[at].role === 'tool');
  messages.splice(at, 0, result);
}

function roundRequest(input: LoopInput, toolset: LoopToolset, messages: ChatCompletionMessageParam[], round: number): ChatRequest {
  const request: ChatRequest = { ...input.request, messages: [...messages] };
  const tools = [...(input.request.tools ?? []), ...toolset.functions];
  if (tools.length === 0) {
    // Upstreams reject an empty `tools` list, and a tool_choice without tools.
    delete request.tools;
    delete request.tool_choice;
    delete request.parallel_tool_calls;
    return request;
  }
  request.tools = tools;
  const choice = input.request.tool_choice;
  if (round > 1 && choice !== undefined) request.tool_choice = laterRoundChoice(choice);
  return request;
}

/**
 * A forced choice ("required", one function, allowed_tools in "required" mode) applies to the first round; later
 * rounds may answer. An allowed_tools set still bounds them: the model may not turn to tools the client left out.
 */
function laterRoundChoice(choice: ChatCompletionToolChoiceOption): ChatCompletionToolChoiceOption {
  if (choice === 'none' || choice === 'auto') return choice;
  if (choice !== 'required' && choice.type === 'allowed_tools') return { ...choice, allowed_tools: { ...choice.allowed_tools, mode: 'auto' } };
  return 'auto';
}

function planRound(toolCalls: readonly ChatCompletionMessageToolCall[], toolset: LoopToolset, clientNames: ReadonlySet<string>): RoundPlan {
  const plan: RoundPlan = { client: [], approval: [], approved: [], unknown: [] };
  for (const call of toolCalls) {
    if (call.type !== 'function' || clientNames.has(call.function.name)) {
      plan.client.push(call);
      continue;
    }
    const tool = toolset.byFunctionName.get(call.function.name);
    if (!tool) {
      plan.unknown.push(call);
      continue;
    }
    const planned: PlannedCall = { toolCallId: call.id, tool, arguments: call.function.arguments, approvalRequestId: null };
    (tool.needsApproval ? plan.approval : plan.approved).push(planned);
  }
  return plan;
}

function describeCall(call: Omit<PlannedCall, 'approvalRequestId'>) {
  const { tool } = call;
  return { toolCallId: call.toolCallId, serverLabel: tool.serverLabel, name: tool.name, functionName: tool.functionName, arguments: call.arguments };
}

function unknownToolMessage(call: ChatCompletionMessageToolCall, toolset: LoopToolset): ChatCompletionMessageParam {
  const name = call.type === 'function' ? call.function.name : call.custom.name;
  return { role: 'tool', tool_call_id: call.id, content: unknownToolText(name, toolset.byFunctionName.keys()) };
}

function assistantParam(message: ChatCompletionMessage): ChatCompletionAssistantMessageParam {
  return {
    role: 'assistant',
    content: message.content,
    ...(message.refusal ? { refusal: message.refusal } : {}),
    ...(message.tool_calls && message.tool_calls.length > 0 ? { tool_calls: message.tool_calls } : {}),
  };
}

function addUsage(total: CompletionUsage, round: CompletionUsage): CompletionUsage {
  const sum: CompletionUsage = {
    prompt_tokens: total.prompt_tokens + round.prompt_tokens,
    completion_tokens: total.completion_tokens + round.completion_tokens,
    total_tokens: total.total_tokens + round.total_tokens,
  };
  const cached = (total.prompt_tokens_details?.cached_tokens ?? 0) + (round.prompt_tokens_details?.cached_tokens ?? 0);
  const reasoning = (total.completion_tokens_details?.reasoning_tokens ?? 0) + (round.completion_tokens_details?.reasoning_tokens ?? 0);
  if (cached > 0) sum.prompt_tokens_details = { cached_tokens: cached };
  if (reasoning > 0) sum.completion_tokens_details = { reasoning_tokens: reasoning };
  return sum;
}
