/**
 * An MCP `tools/call` result as what goes back to the model: a chat `tool` message or a Responses
 * `function_call_output` item, its content the text the loop itself would send (`Tool error: …` when `isError`).
 */
import type { CallToolResult, CompatibilityCallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionMessageToolCall, ChatCompletionToolMessageParam } from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCall, ResponseInputItem } from 'openai/resources/responses/responses';
import { MCP_TOOL_OUTPUT_MAX_CHARS } from '../config/defaults.js';
import { resultMessageText } from '../llm/tool-loop/result-text.js';
import type { OpenAIToolCall } from './tool-call-request.js';

export interface ToolResultOptions {
  /** Longer text is cut (saying how much was left out). Default MCP_TOOL_OUTPUT_MAX_CHARS (100,000), as in the loop. */
  outputMaxChars?: number;
}

export type FunctionCallOutput = ResponseInputItem.FunctionCallOutput;

/** The chat message answering `toolCall` with `result` (what `client.callTool` returned). */
export function mcpResultToOpenAIToolMessage(
  result: CompatibilityCallToolResult,
  toolCall: Pick<ChatCompletionMessageToolCall, 'id'>,
  options: ToolResultOptions = {},
): ChatCompletionToolMessageParam {
  return chatToolMessage(toolCall.id, mcpResultText(result, options));
}

/** The Responses input item answering the `function_call` item `call` with `result`. */
export function mcpResultToFunctionCallOutput(
  result: CompatibilityCallToolResult,
  call: Pick<ResponseFunctionToolCall, 'call_id'>,
  options: ToolResultOptions = {},
): FunctionCallOutput {
  return functionCallOutput(call.call_id, mcpResultText(result, options));
}

/** The answer to either kind of call, with content already written. */
export function toolCallOutput(toolCall: OpenAIToolCall, content: string): ChatCompletionToolMessageParam | FunctionCallOutput {
  return toolCall.type === 'function_call' ? functionCallOutput(toolCall.call_id, content) : chatToolMessage(toolCall.id, content);
}

export function mcpResultText(result: CompatibilityCallToolResult, options: ToolResultOptions): string {
  return resultMessageText(currentResult(result), options.outputMaxChars ?? MCP_TOOL_OUTPUT_MAX_CHARS);
}

function chatToolMessage(toolCallId: string, content: string): ChatCompletionToolMessageParam {
  return { role: 'tool', tool_call_id: toolCallId, content };
}

function functionCallOutput(callId: string, output: string): FunctionCallOutput {
  return { type: 'function_call_output', call_id: callId, output };
}

/** A pre-2024-11-05 server's `{toolResult}` answer, read as one text block. */
function currentResult(result: CompatibilityCallToolResult): CallToolResult {
  if ('content' in result && Array.isArray(result.content)) return result as CallToolResult;
  const legacy = 'toolResult' in result ? result.toolResult : undefined;
  return { content: [{ type: 'text', text: typeof legacy === 'string' ? legacy : (JSON.stringify(legacy) ?? '') }] };
}
