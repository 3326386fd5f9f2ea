/**
 * How a tool loop's outcome shows in Chat Completions (docs/endpoints.md, "type: mcp tools"): the finish_reason,
 * and the extension fields on the assistant message — `mcp_tool_calls` (every MCP call of the request) and
 * `mcp_limit_reached` (when a limit ended the loop) — and how those fields are read back when a client echoes them.
 */
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionToolMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { ApprovalRequest, DeferredCall, LoopResult, McpCallError, McpCallRecord } from './tool-loop/loop-types.js';
import { isObject } from './responses/field-reader.js';
import { recordedErrorText } from './tool-loop/result-text.js';

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
 * The conversation as an upstream accepts it, when a client echoes our assistant messages back (as the SDK returns
 * them): the extension fields are dropped (strict upstreams refuse unknown message fields), and an earlier assistant
 * message's MCP calls that the proxy ran — answered only in a later message's `mcp_tool_calls` — get their tool
 * messages back (OpenAI and Anthropic refuse unanswered tool_calls). Without the extension, `messages` as they are.
 */
export function resolveMcpExtension(messages: ChatCompletionMessageParam[], outputMaxChars: number): ChatCompletionMessageParam[] {
  if (!messages.some(carriesExtension)) return messages;
  const answers = recordedAnswers(messages, outputMaxChars);
  const resolved: ChatCompletionMessageParam[] = [];
  messages.forEach((message, index) => {
    resolved.push(carriesExtension(message) ? withoutExtensionFields(message) : message);
    const rebuilt = answers.get(index);
    if (rebuilt) resolved.push(...rebuilt);
  });
  return resolved;
}

function withoutExtensionFields(message: ChatCompletionMessageParam): ChatCompletionMessageParam {
  const copy: Record<string, unknown> = { ...message };
  for (const field of EXTENSION_FIELDS) delete copy[field];
  return copy as unknown as ChatCompletionMessageParam;
}

/** What an echoed `mcp_tool_calls` entry says of one call: the tool message text it had, or null when it did not run. */
interface RecordedAnswer {
  toolCallId: string;
  arguments: string;
  content: string | null;
}

/**
 * The tool messages to insert after a message index. For each assistant message whose tool_calls the tool messages
 * right after it leave unanswered: the answers recorded for them in a later assistant message (the nearest one
 * naming the id, with the same arguments), after the tool messages already there (where the loop put them), in
 * tool_calls order. The last assistant message has no later one, so its unanswered calls stay as they are: they are
 * the client's approval, run by the loop (unanswered-calls.ts).
 */
function recordedAnswers(messages: ChatCompletionMessageParam[], outputMaxChars: number): Map<number, ChatCompletionToolMessageParam[]> {
  const inserts = new Map<number, ChatCompletionToolMessageParam[]>();
  const recorded = new Map<string, RecordedAnswer>();
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message.role !== 'assistant') continue;
    if (recorded.size > 0 && message.tool_calls && message.tool_calls.length > 0) {
      const answered = new Set<string>();
      let last = index;
      while (messages[last + 1]?.role === 'tool') {
        last++;
        answered.add((messages[last] as ChatCompletionToolMessageParam).tool_call_id);
      }
      const rebuilt: ChatCompletionToolMessageParam[] = [];
      for (const call of message.tool_calls) {
        const answer = recorded.get(call.id);
        if (answered.has(call.id) || call.type !== 'function' || answer?.content == null || answer.arguments !== call.function.arguments) continue;
        answered.add(call.id);
        rebuilt.push({ role: 'tool', tool_call_id: call.id, content: answer.content });
      }
      if (rebuilt.length > 0) inserts.set(last, rebuilt);
    }
    for (const answer of echoedAnswers(message, outputMaxChars)) recorded.set(answer.toolCallId, answer);
  }
  return inserts;
}

/** The calls an echoed `mcp_tool_calls` reports; a malformed entry (it is client input) is skipped. */
function echoedAnswers(message: ChatCompletionMessageParam, outputMaxChars: number): RecordedAnswer[] {
  const entries: unknown = (message as { mcp_tool_calls?: unknown }).mcp_tool_calls;
  if (!Array.isArray(entries)) return [];
  return entries.flatMap((entry: unknown): RecordedAnswer[] => {
    if (!isObject(entry) || typeof entry.tool_call_id !== 'string' || typeof entry.arguments !== 'string') return [];
    return [{ toolCallId: entry.tool_call_id, arguments: entry.arguments, content: answerText(entry, outputMaxChars) }];
  });
}

/** The tool message the loop gave the model for a call that ran (execute-calls.ts), from its entry. */
function answerText(entry: Record<string, unknown>, outputMaxChars: number): string | null {
  const { status, output, error } = entry;
  if (status === 'completed') return typeof output === 'string' && error === null ? output : null;
  if (status !== 'failed' || !isObject(error)) return null;
  if (error.type === 'mcp_tool_execution_error') return recordedErrorText({ type: error.type, content: error.content }, outputMaxChars);
  return (error.type === 'mcp_protocol_error' || error.type === 'http_error') && typeof error.message === 'string'
    ? recordedErrorText({ type: error.type, message: error.message }, outputMaxChars)
    : null;
}
