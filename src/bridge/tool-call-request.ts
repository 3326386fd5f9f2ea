/**
 * An OpenAI tool call — a chat `tool_calls[]` entry or a Responses `function_call` item — as the MCP `tools/call`
 * request it stands for: the function name mapped back through a listing's `names`, the arguments parsed as the
 * loop parses them.
 */
import type { CallToolRequest } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import { InvalidRequestError, McpNameNotFoundError } from '../http/errors.js';
import { parseArguments } from '../llm/tool-loop/tool-schemas.js';

export type OpenAIToolCall = ChatCompletionMessageToolCall | ResponseFunctionToolCall;

/** The `tools/call` params the call stands for. */
export type McpToolCallRequest = Required<Pick<CallToolRequest['params'], 'name' | 'arguments'>>;

/** A tool call read against `names`: the request, or what the model got wrong (`message` is written for the model). */
export type ReadToolCall =
  | { ok: true; request: McpToolCallRequest }
  | { ok: false; problem: 'unknown_function'; id: string; functionName: string }
  | { ok: false; problem: 'invalid_arguments'; id: string; functionName: string; message: string };

/** The call's id, function name and JSON arguments, whichever API it came from. */
export function toolCallParts(toolCall: OpenAIToolCall): { id: string; name: string; arguments: string } {
  if (toolCall.type === 'function_call') return { id: toolCall.call_id, name: toolCall.name, arguments: toolCall.arguments };
  if (toolCall.type === 'function') return { id: toolCall.id, name: toolCall.function.name, arguments: toolCall.function.arguments };
  throw new InvalidRequestError(`Tool call ${toolCall.id} is a custom tool call; only function calls map to MCP tools.`);
}

export function readToolCall(toolCall: OpenAIToolCall, names: ReadonlyMap<string, string>): ReadToolCall {
  const { id, name, arguments: argumentsText } = toolCallParts(toolCall);
  const tool = names.get(name);
  if (tool === undefined) return { ok: false, problem: 'unknown_function', id, functionName: name };
  const parsed = parseArguments(argumentsText);
  if (!parsed.ok) return { ok: false, problem: 'invalid_arguments', id, functionName: name, message: parsed.message };
  return { ok: true, request: { name: tool, arguments: parsed.args } };
}

/**
 * The `tools/call` request for a tool call. Throws `McpNameNotFoundError` for a function `names` does not hold and
 * `InvalidRequestError` for arguments that are not a JSON object (empty arguments are `{}`), each naming the call.
 */
export function openAIToolCallToMcpRequest(toolCall: OpenAIToolCall, names: ReadonlyMap<string, string>): McpToolCallRequest {
  const read = readToolCall(toolCall, names);
  if (read.ok) return read.request;
  if (read.problem === 'unknown_function') {
    throw new McpNameNotFoundError(
      `Tool call ${read.id} calls function "${read.functionName}", which is not among the ${names.size} functions of the MCP tool listing.`,
    );
  }
  throw new InvalidRequestError(`Tool call ${read.id} to function "${read.functionName}": ${read.message}`);
}
