/**
 * Runs one round's approved MCP calls: each checked against its tool's schema, all in parallel, each bounded by
 * the per-call timeout. Every outcome — a result, an `isError` result, bad arguments, a timeout, a refusal — becomes
 * a `McpCallRecord` and a tool message the model can read; nothing here throws for a single call's failure.
 */
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionToolMessageParam } from 'openai/resources/chat/completions/completions';
import { GatehouseError, McpUpstreamTimeoutError } from '../../http/errors.js';
import { newId } from '../ids.js';
import type { LoopEvent, LoopLimits, LoopTool, McpCallError, McpCallRecord } from './loop-types.js';
import { resultMessageText, toolErrorText } from './result-text.js';
import { checkArguments } from './tool-schemas.js';

/** A call the loop will run: the model's tool_call id and arguments, and the tool its function name maps to. */
export interface PlannedCall {
  toolCallId: string;
  tool: LoopTool;
  arguments: string;
  approvalRequestId: string | null;
}

export interface CallOutcome {
  record: McpCallRecord;
  message: ChatCompletionToolMessageParam;
}

export interface ExecuteOptions {
  limits: LoopLimits;
  signal: AbortSignal;
  emit: (event: LoopEvent) => Promise<void>;
}

/** `mcp_…` / `mcpr_…` ids as OpenAI shapes them. */
/** Runs every call in parallel; outcomes come back in the order of `calls`. */
export function executeCalls(calls: readonly PlannedCall[], options: ExecuteOptions): Promise<CallOutcome[]> {
  return Promise.all(calls.map((call) => executeCall(call, options)));
}

async function executeCall(call: PlannedCall, options: ExecuteOptions): Promise<CallOutcome> {
  const { tool } = call;
  const record: McpCallRecord = {
    id: newId('mcp'),
    toolCallId: call.toolCallId,
    serverLabel: tool.serverLabel,
    name: tool.name,
    arguments: call.arguments,
    output: null,
    error: null,
    status: 'in_progress',
    approvalRequestId: call.approvalRequestId,
  };
  await options.emit({ type: 'mcp_call_started', call: { ...record } });
  let content: string;
  const checked = checkArguments(tool.schema, call.arguments);
  if (!checked.ok) {
    record.error = { type: 'mcp_protocol_error', code: ErrorCode.InvalidParams, message: checked.message };
    content = toolErrorText(checked.message);
  } else {
    try {
      const result = await callWithTimeout(tool, checked.args, options);
      content = resultMessageText(result, options.limits.outputMaxChars);
      if (result.isError === true) record.error = { type: 'mcp_tool_execution_error', content: result.content };
      else record.output = content;
    } catch (error) {
      record.error = callError(error);
      content = toolErrorText(errorMessage(record.error));
    }
  }
  record.status = record.error === null ? 'completed' : 'failed';
  await options.emit({ type: 'mcp_call_finished', call: { ...record } });
  return { record, message: { role: 'tool', tool_call_id: call.toolCallId, content } };
}

/**
 * The call, cut off after `callTimeoutMs` or when the client goes away, whatever the source does: the source's
 * signal is aborted (so the upstream gets `notifications/cancelled`) and the call settles at once, as a timeout or
 * with the client's abort reason. A call whose client is already gone (it waited on the tool listing, say) never
 * starts, and fails with that same reason, as one aborted mid-flight does.
 */
async function callWithTimeout(tool: LoopTool, args: Record<string, unknown>, options: ExecuteOptions): Promise<CallToolResult> {
  const { signal } = options;
  const { callTimeoutMs } = options.limits;
  signal.throwIfAborted();
  const controller = new AbortController();
  let onAbort = () => {};
  let timer: NodeJS.Timeout | undefined;
  const cutOff = new Promise<never>((_, reject) => {
    // Rejected before the source's signal aborts, so the race settles with this reason, not the source's own error.
    const stop = (reason: unknown) => {
      reject(reason);
      controller.abort(reason);
    };
    onAbort = () => stop(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => {
      stop(new McpUpstreamTimeoutError(`Tool "${tool.name}" of MCP server "${tool.serverLabel}" did not answer within ${callTimeoutMs / 1000} s.`));
    }, callTimeoutMs);
  });
  try {
    return await Promise.race([tool.source.callTool(tool.name, args, { signal: controller.signal, timeoutMs: callTimeoutMs }), cutOff]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function callError(error: unknown): McpCallError {
  if (error instanceof McpUpstreamTimeoutError) {
    return { type: 'mcp_protocol_error', code: ErrorCode.RequestTimeout, message: error.message };
  }
  if (error instanceof McpError) return { type: 'mcp_protocol_error', code: error.code, message: error.message };
  if (error instanceof GatehouseError) return { type: 'http_error', code: error.status, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { type: 'mcp_protocol_error', code: ErrorCode.InternalError, message };
}

function errorMessage(error: McpCallError): string {
  return error.type === 'mcp_tool_execution_error' ? JSON.stringify(error.content) : error.message;
}
