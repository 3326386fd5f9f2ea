/** The library bridge (`gatehouse/bridge`): an MCP client session's tools for any OpenAI-compatible model, with the tool loop's own rules. */
export { listMcpToolsAsOpenAITools, type ListToolsOptions, type McpRequestBounds, type McpToolsAsOpenAI } from './list-tools.js';
export {
  mcpToolFunctionName,
  mcpToolToOpenAITool,
  type ChatToolOptions,
  type McpToolConversionOptions,
  type OpenAIToolFormat,
  type ResponsesToolOptions,
} from './openai-tool.js';
export { openAIToolCallToMcpRequest, type McpToolCallRequest, type OpenAIToolCall } from './tool-call-request.js';
export { mcpResultToFunctionCallOutput, mcpResultToOpenAIToolMessage, type FunctionCallOutput, type ToolResultOptions } from './tool-result.js';
export { callOpenAIToolCall, type CallOpenAIToolCallOptions } from './call-tool-call.js';
