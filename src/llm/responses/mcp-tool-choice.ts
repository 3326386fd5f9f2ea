/**
 * `tool_choice: {type: "mcp", server_label, name?}`: the tools it points at, as the model sees them (function
 * names), rendered for a chat upstream or for a native Responses upstream. Naming no offered tool is a 400.
 */
import type { ChatRequest } from '../../../providers/index.js';
import { InvalidRequestError } from '../../http/errors.js';
import type { LoopToolset } from '../tool-loop/index.js';
import { readOptionalString, readString, type JsonObject } from './field-reader.js';

interface McpChoiceTarget {
  /** Set when the choice names one tool. */
  single?: string;
  functions: string[];
}

function mcpChoiceTarget(choice: JsonObject, toolset: LoopToolset): McpChoiceTarget {
  const label = readString(choice, 'server_label', 'tool_choice');
  const name = readOptionalString(choice, 'name', 'tool_choice');
  const tools = toolset.tools.filter((tool) => tool.serverLabel === label && (name === undefined || tool.name === name));
  if (tools.length === 0) {
    const what = name === undefined ? `server_label '${label}'` : `tool '${name}' of server_label '${label}'`;
    throw new InvalidRequestError(`tool_choice names ${what}, which no mcp tool of this request offers.`, { param: 'tool_choice' });
  }
  const functions = tools.map((tool) => tool.functionName);
  return name !== undefined ? { single: functions[0], functions } : { functions };
}

/** That tool, or any tool of that server (chat's `allowed_tools` in `required` mode). */
export function chatMcpToolChoice(choice: JsonObject, toolset: LoopToolset): ChatRequest['tool_choice'] {
  const target = mcpChoiceTarget(choice, toolset);
  if (target.single !== undefined) return { type: 'function', function: { name: target.single } };
  return {
    type: 'allowed_tools',
    allowed_tools: { mode: 'required', tools: target.functions.map((name) => ({ type: 'function', function: { name } })) },
  };
}

/** The same in Responses' own shapes (flat function choice; `allowed_tools` with flat entries). */
export function nativeMcpToolChoice(choice: JsonObject, toolset: LoopToolset): JsonObject {
  const target = mcpChoiceTarget(choice, toolset);
  if (target.single !== undefined) return { type: 'function', name: target.single };
  return { type: 'allowed_tools', mode: 'required', tools: target.functions.map((name) => ({ type: 'function', name })) };
}
