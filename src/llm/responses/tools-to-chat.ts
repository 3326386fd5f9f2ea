/**
 * Responses `tools` and `tool_choice` → Chat Completions ones. Function tools are flat in Responses and nested under
 * `function` in chat. `type: "mcp"` tools are set aside for the tool loop; other hosted tools are refused.
 */
import type {
  ChatCompletionFunctionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions/completions';
import type { ResponseCreateParamsBase } from 'openai/resources/responses/responses';
import { invalid, isObject, readEnum, readObject, readOptionalString, readString, type JsonObject } from './field-reader.js';

export interface SplitTools {
  functions: ChatCompletionFunctionTool[];
  /** `type: "mcp"` tools as sent (the tool loop validates them), with their index in `tools` for error messages. */
  mcp: Array<{ index: number; tool: JsonObject }>;
}

export function splitTools(tools: readonly unknown[] | undefined): SplitTools {
  const split: SplitTools = { functions: [], mcp: [] };
  (tools ?? []).forEach((raw, index) => {
    const path = `tools[${index}]`;
    const tool = readObject(raw, path);
    const type = readString(tool, 'type', path);
    if (type === 'function') split.functions.push(toChatFunction(tool, path));
    else if (type === 'mcp') split.mcp.push({ index, tool });
    else throw invalid(`${path}.type`, `tools of type '${type}' are not supported by this proxy; use function or mcp tools`);
  });
  return split;
}

function toChatFunction(tool: JsonObject, path: string): ChatCompletionFunctionTool {
  const name = readString(tool, 'name', path);
  const fn: ChatCompletionFunctionTool['function'] = { name };
  const description = readOptionalString(tool, 'description', path);
  if (description !== undefined) fn.description = description;
  const parameters = tool.parameters;
  if (isObject(parameters)) fn.parameters = parameters;
  else if (parameters !== undefined && parameters !== null) throw invalid(`${path}.parameters`, 'expected a JSON Schema object');
  // Responses defaults `strict` to true; chat defaults it to false. Only an explicit choice is passed on, so a
  // schema that is not strict-compatible is not refused upstream for a default the caller never chose.
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

type ResponsesToolChoice = NonNullable<ResponseCreateParamsBase['tool_choice']>;

/** The chat `tool_choice`, or undefined when the Responses choice targets MCP tools (the loop decides). */
export function toChatToolChoice(choice: ResponsesToolChoice | undefined): ChatCompletionToolChoiceOption | undefined {
  if (choice === undefined || typeof choice === 'string') return choice;
  const raw = choice as unknown as JsonObject;
  switch (choice.type) {
    case 'function':
      return { type: 'function', function: { name: readString(raw, 'name', 'tool_choice') } };
    case 'allowed_tools': {
      const mode = readEnum(raw, 'mode', 'tool_choice', ['auto', 'required'] as const);
      const tools = Array.isArray(raw.tools) ? raw.tools : [];
      return {
        type: 'allowed_tools',
        allowed_tools: { mode, tools: tools.map((entry, index) => allowedFunction(entry, `tool_choice.tools[${index}]`)) },
      };
    }
    case 'mcp':
      return undefined;
    default:
      throw invalid('tool_choice.type', `tool_choice of type '${choice.type}' is not supported by this proxy`);
  }
}

/** Chat's allowed-tools entry is the named-tool-choice shape (`{type: "function", function: {name}}`). */
function allowedFunction(entry: unknown, path: string): JsonObject {
  const tool = readObject(entry, path);
  if (tool.type !== 'function') throw invalid(`${path}.type`, 'only function tools can be listed here');
  return { type: 'function', function: { name: readString(tool, 'name', path) } };
}
