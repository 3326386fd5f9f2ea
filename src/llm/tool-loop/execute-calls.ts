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
 * The call, cut off after `callTimeoutMs` whatever the source does: the source's signal is aborted (so the
 * upstream gets `notifications/cancelled`) and the call settles as a timeout at once.
 */
async function callWithTimeout(tool: LoopTool, args: Record<string, unknown>, options: ExecuteOptions): Promise<CallToolResult> {
  const { callTimeoutMs } = options.limits;
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new McpUpstreamTimeoutError(
        `Tool "${tool.name}" of MCP server "${tool.serverLabel}" did not answer within ${callTimeoutMs / 1000} s.`,
      );
      controller.abort(error);
      reject(error);
    }, callTimeoutMs);
  });
  try {
    return await Promise.race([tool.source.callTool(tool.name, args, { signal: controller.signal, timeoutMs: callTimeoutMs }), timeout]);
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', onAbort);
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
