/**
 * How a tool loop's outcome shows in Chat Completions (docs/endpoints.md, "type: mcp tools"): the finish_reason,
 * and the extension fields on the assistant message — `mcp_tool_calls` (every MCP call of the request) and
 * `mcp_limit_reached` (when a limit ended the loop).
 */
import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions/completions';
import type { ApprovalRequest, DeferredCall, LoopResult, McpCallError, McpCallRecord } from './tool-loop/loop-types.js';

/** One entry of `message.mcp_tool_calls`. */
export interface ChatMcpToolCall {
  /** `mcp_…` for a call that ran, `mcpr_…` for one awaiting approval, null for a deferred one. */
  id: string | null;
  /** The id of the model's tool_call. */
  tool_call_id: string;
  server_label: string;
  name: string;
  arguments: string;
  output: string | null;
  error: McpCallError | null;
  status: 'completed' | 'failed' | 'approval_required' | 'deferred';
}

export type ChatFinishReason = ChatCompletion.Choice['finish_reason'];

export function executedCall(record: McpCallRecord): ChatMcpToolCall {
  return {
    id: record.id,
    tool_call_id: record.toolCallId,
    server_label: record.serverLabel,
    name: record.name,
    arguments: record.arguments,
    output: record.output,
    error: record.error,
    status: record.status === 'completed' ? 'completed' : 'failed',
  };
}

function pendingCall(call: ApprovalRequest | DeferredCall, status: 'approval_required' | 'deferred'): ChatMcpToolCall {
  return {
    id: 'id' in call ? call.id : null,
    tool_call_id: call.toolCallId,
    server_label: call.serverLabel,
    name: call.name,
    arguments: call.arguments,
    output: null,
    error: null,
    status,
  };
}

/** Every MCP call of the request: those that ran, then those returned in `tool_calls` unexecuted. */
export function chatMcpToolCalls(result: LoopResult): ChatMcpToolCall[] {
  return [
    ...result.calls.map(executedCall),
    ...result.approvalRequests.map((request) => pendingCall(request, 'approval_required')),
    ...result.deferredCalls.map((call) => pendingCall(call, 'deferred')),
  ];
}

/** The loop's stop as a limit name, or undefined when no limit ended it. */
export function limitReached(result: LoopResult): 'max_rounds' | 'max_tool_calls' | undefined {
  return result.stop === 'max_rounds' || result.stop === 'max_tool_calls' ? result.stop : undefined;
}

/**
 * A limit or the token limit ended the loop in a turn that called tools: none of its calls ran, and only the client's
 * own function calls go back in `tool_calls` (its MCP calls are neither run nor the client's to answer).
 */
export function endedMidTurn(result: LoopResult): boolean {
  return limitReached(result) !== undefined || result.stop === 'max_tokens';
}

/** A limit ends with "length" (the answer is incomplete); calls returned to the client with "tool_calls". */
export function chatFinishReason(result: LoopResult): ChatFinishReason {
  if (endedMidTurn(result)) return 'length';
  if (result.stop === 'approval_required' || (result.final.message.tool_calls?.length ?? 0) > 0) return 'tool_calls';
  return (result.finishReason as ChatFinishReason | null) ?? 'stop';
}

const EXTENSION_FIELDS = ['mcp_tool_calls', 'mcp_limit_reached'] as const;

const carriesExtension = (message: ChatCompletionMessageParam): boolean =>
  message.role === 'assistant' && EXTENSION_FIELDS.some((field) => field in message);

/**
 * The conversation without the extension fields a client echoes back when it appends our assistant message to its
 * history (as the SDK returns it): they are this proxy's, and strict upstreams refuse unknown message fields (400).
 */
export function withoutMcpExtension(messages: ChatCompletionMessageParam[]): ChatCompletionMessageParam[] {
  if (!messages.some(carriesExtension)) return messages;
  return messages.map((message) => {
    if (!carriesExtension(message)) return message;
    const copy: Record<string, unknown> = { ...message };
    for (const field of EXTENSION_FIELDS) delete copy[field];
    return copy as unknown as ChatCompletionMessageParam;
  });
}
