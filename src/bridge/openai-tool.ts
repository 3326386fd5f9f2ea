/**
 * One MCP tool as an OpenAI tool, named and shaped as the tool loop offers it: the loop's function-name mapping
 * (`mcp/names.ts`), its schema normalisation and its chat function shape; a Responses tool is the same function, flat.
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import type { FunctionTool } from 'openai/resources/responses/responses';
import { chatFunctionTool } from '../llm/tool-loop/function-tool.js';
import { normaliseInputSchema } from '../llm/tool-loop/tool-schemas.js';
import { llmFunctionName, llmToolFunctionName } from '../mcp/names.js';

export type OpenAIToolFormat = 'chat' | 'responses';

export interface McpToolConversionOptions {
  /** `chat` (default): Chat Completions tools; `responses`: Responses function tools. */
  format?: OpenAIToolFormat;
  /** Names each function `<serverLabel>__<tool>`, as the loop names a `type: "mcp"` tool's functions; without it, the tool's own name. */
  serverLabel?: string;
}

export type ChatToolOptions = McpToolConversionOptions & { format?: 'chat' };
export type ResponsesToolOptions = McpToolConversionOptions & { format: 'responses' };

/** The function name the model sees for an MCP tool: always `^[a-zA-Z0-9_-]{1,64}$` (sanitised with a hash suffix when needed). */
export function mcpToolFunctionName(toolName: string, serverLabel?: string): string {
  return serverLabel === undefined ? llmToolFunctionName(toolName) : llmFunctionName(serverLabel, toolName);
}

/** An MCP tool (from `tools/list`) as one OpenAI function tool. */
export function mcpToolToOpenAITool(tool: McpTool, options?: ChatToolOptions): ChatCompletionFunctionTool;
export function mcpToolToOpenAITool(tool: McpTool, options: ResponsesToolOptions): FunctionTool;
export function mcpToolToOpenAITool(tool: McpTool, options?: McpToolConversionOptions): ChatCompletionFunctionTool | FunctionTool;
export function mcpToolToOpenAITool(tool: McpTool, options: McpToolConversionOptions = {}): ChatCompletionFunctionTool | FunctionTool {
  const chat = chatFunctionTool(mcpToolFunctionName(tool.name, options.serverLabel), tool.description, normaliseInputSchema(tool.inputSchema));
  return options.format === 'responses' ? responsesFunctionTool(chat) : chat;
}

/**
 * Responses' flat function tool. `strict: false` because Responses reads an absent `strict` as true, and MCP input
 * schemas are rarely strict-mode schemas (optional properties, no `additionalProperties: false`).
 */
function responsesFunctionTool(chat: ChatCompletionFunctionTool): FunctionTool {
  const { name, description, parameters } = chat.function;
  return { type: 'function', name, ...(description !== undefined ? { description } : {}), parameters: parameters ?? null, strict: false };
}
