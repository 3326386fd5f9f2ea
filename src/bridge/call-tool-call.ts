/**
 * Runs an OpenAI tool call on an MCP client session and answers it, as the loop answers its own calls: what the
 * model got wrong (an unknown function, arguments that are not a JSON object) and what the server answered (an
 * `isError` result, a JSON-RPC error, a timeout) become a `Tool error: …` answer the model can act on. The caller's
 * abort and a closed connection are thrown: the application, not the model, has to handle those.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionMessageToolCall, ChatCompletionToolMessageParam } from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { MCP_CALL_TIMEOUT_S } from '../config/defaults.js';
import { toolErrorText, unknownToolText } from '../llm/tool-loop/result-text.js';
import { readToolCall, type OpenAIToolCall } from './tool-call-request.js';
import { mcpResultText, toolCallOutput, type FunctionCallOutput, type ToolResultOptions } from './tool-result.js';

export interface CallOpenAIToolCallOptions extends ToolResultOptions {
  signal?: AbortSignal;
  /** Default MCP_CALL_TIMEOUT_S (60 s), the loop's per-call bound; the server is sent `notifications/cancelled` when it passes. */
  timeoutMs?: number;
}

/** Answers a chat tool call with a `tool` message, a Responses `function_call` item with a `function_call_output` item. */
export function callOpenAIToolCall(
  client: Client,
  toolCall: ChatCompletionMessageToolCall,
  names: ReadonlyMap<string, string>,
  options?: CallOpenAIToolCallOptions,
): Promise<ChatCompletionToolMessageParam>;
export function callOpenAIToolCall(
  client: Client,
  toolCall: ResponseFunctionToolCall,
  names: ReadonlyMap<string, string>,
  options?: CallOpenAIToolCallOptions,
): Promise<FunctionCallOutput>;
export function callOpenAIToolCall(
  client: Client,
  toolCall: OpenAIToolCall,
  names: ReadonlyMap<string, string>,
  options?: CallOpenAIToolCallOptions,
): Promise<ChatCompletionToolMessageParam | FunctionCallOutput>;
export async function callOpenAIToolCall(
  client: Client,
  toolCall: OpenAIToolCall,
  names: ReadonlyMap<string, string>,
  options: CallOpenAIToolCallOptions = {},
): Promise<ChatCompletionToolMessageParam | FunctionCallOutput> {
  const read = readToolCall(toolCall, names);
  if (!read.ok) {
    const text = read.problem === 'unknown_function' ? unknownToolText(read.functionName, names.keys()) : toolErrorText(read.message);
    return toolCallOutput(toolCall, text);
  }
  try {
    const result = await client.callTool(read.request, undefined, {
      signal: options.signal,
      timeout: options.timeoutMs ?? MCP_CALL_TIMEOUT_S * 1000,
    });
    return toolCallOutput(toolCall, mcpResultText(result, options));
  } catch (error) {
    if (options.signal?.aborted || !(error instanceof McpError) || error.code === ErrorCode.ConnectionClosed) throw error;
    return toolCallOutput(toolCall, toolErrorText(error.message));
  }
}
