/**
 * An MCP client session's whole tool list (every page) as OpenAI tools, with the reverse map from function name to
 * MCP tool name that turns the model's calls back into `tools/call` requests.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import type { FunctionTool } from 'openai/resources/responses/responses';
import { MCP_LIST_TIMEOUT_MS } from '../config/defaults.js';
import { InvalidRequestError, McpUpstreamError } from '../http/errors.js';
import { MAX_CATALOG_PAGES } from '../mcp/hub/catalog-cache.js';
import { mcpToolFunctionName, mcpToolToOpenAITool, type McpToolConversionOptions } from './openai-tool.js';

/** Bounds each `tools/list` page request, like every upstream call of the loop. */
export interface McpRequestBounds {
  signal?: AbortSignal;
  /** Per request; default MCP_LIST_TIMEOUT_MS (15 s). */
  timeoutMs?: number;
}

export type ListToolsOptions = McpToolConversionOptions & McpRequestBounds;

export interface McpToolsAsOpenAI<T extends ChatCompletionFunctionTool | FunctionTool> {
  tools: T[];
  /** Function name → MCP tool name, for `openAIToolCallToMcpRequest` and `callOpenAIToolCall`. */
  names: Map<string, string>;
}

/** Lists every tool of the session (following `nextCursor`) and converts each with `mcpToolToOpenAITool`. */
export function listMcpToolsAsOpenAITools(
  client: Client,
  options?: ListToolsOptions & { format?: 'chat' },
): Promise<McpToolsAsOpenAI<ChatCompletionFunctionTool>>;
export function listMcpToolsAsOpenAITools(
  client: Client,
  options: ListToolsOptions & { format: 'responses' },
): Promise<McpToolsAsOpenAI<FunctionTool>>;
export function listMcpToolsAsOpenAITools(
  client: Client,
  options?: ListToolsOptions,
): Promise<McpToolsAsOpenAI<ChatCompletionFunctionTool> | McpToolsAsOpenAI<FunctionTool>>;
export async function listMcpToolsAsOpenAITools(
  client: Client,
  options: ListToolsOptions = {},
): Promise<McpToolsAsOpenAI<ChatCompletionFunctionTool> | McpToolsAsOpenAI<FunctionTool>> {
  const listed = await listAllTools(client, options);
  const { serverLabel } = options;
  const names = functionNames(listed, serverLabel);
  if (options.format === 'responses') {
    return { tools: listed.map((tool) => mcpToolToOpenAITool(tool, { serverLabel, format: 'responses' })), names };
  }
  return { tools: listed.map((tool) => mcpToolToOpenAITool(tool, { serverLabel })), names };
}

/** The reverse map; two tools that would share a function name are refused rather than one silently shadowing the other. */
function functionNames(tools: readonly McpTool[], serverLabel: string | undefined): Map<string, string> {
  const names = new Map<string, string>();
  for (const tool of tools) {
    const name = mcpToolFunctionName(tool.name, serverLabel);
    const taken = names.get(name);
    if (taken !== undefined) {
      throw new InvalidRequestError(`MCP tools "${taken}" and "${tool.name}" would both be offered as function "${name}".`);
    }
    names.set(name, tool.name);
  }
  return names;
}

async function listAllTools(client: Client, bounds: McpRequestBounds): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  const requestOptions = { signal: bounds.signal, timeout: bounds.timeoutMs ?? MCP_LIST_TIMEOUT_MS };
  let cursor: string | undefined;
  for (let page = 0; page < MAX_CATALOG_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? {} : { cursor }, requestOptions);
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) return tools;
  }
  throw new McpUpstreamError(`The MCP server returned more than ${MAX_CATALOG_PAGES} pages of tools.`);
}
