/**
 * Builders for every output item kind the emitter produces. MCP items are built from the tool loop's records
 * (`McpCallRecord`, `ApprovalRequest`).
 */
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type {
  ResponseFunctionToolCallItem,
  ResponseOutputMessage,
  ResponseOutputRefusal,
  ResponseOutputText,
} from 'openai/resources/responses/responses';
import type { ApprovalRequest, McpCallRecord } from '../tool-loop/index.js';
import type { McpApprovalRequestItem, McpCallItem, McpListToolsItem, OutputItem } from './response-types.js';

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export function outputTextPart(text: string): ResponseOutputText {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(
  id: string,
  content: Array<ResponseOutputText | ResponseOutputRefusal>,
  status: ItemStatus,
): ResponseOutputMessage {
  return { id, type: 'message', role: 'assistant', status, content };
}

export function functionCallItem(
  id: string,
  call: { callId: string; name: string; arguments: string },
  status: ItemStatus,
): ResponseFunctionToolCallItem {
  return { id, type: 'function_call', status, call_id: call.callId, name: call.name, arguments: call.arguments };
}

/** `mcp_list_tools`: the server's tools as MCP described them, or the listing error. */
export function mcpListToolsItem(id: string, serverLabel: string, listed: { tools: McpTool[] } | { error: string }): McpListToolsItem {
  if ('error' in listed) return { id, type: 'mcp_list_tools', server_label: serverLabel, tools: [], error: listed.error };
  return {
    id,
    type: 'mcp_list_tools',
    server_label: serverLabel,
    tools: listed.tools.map((tool) => ({
      name: tool.name,
      input_schema: tool.inputSchema,
      description: tool.description ?? null,
      annotations: tool.annotations ?? null,
    })),
  };
}

/** `mcp_call` as first announced (`arguments` empty, in progress) or as finished. */
export function mcpCallItem(call: McpCallRecord, phase: 'started' | 'finished'): McpCallItem {
  const item: McpCallItem = {
    id: call.id,
    type: 'mcp_call',
    server_label: call.serverLabel,
    name: call.name,
    arguments: phase === 'started' ? '' : call.arguments,
    approval_request_id: call.approvalRequestId,
    status: phase === 'started' ? 'in_progress' : call.status,
    output: phase === 'started' ? null : call.output,
    error: phase === 'started' ? null : call.error,
  };
  return item;
}

export function approvalRequestItem(request: ApprovalRequest): McpApprovalRequestItem {
  return {
    id: request.id,
    type: 'mcp_approval_request',
    server_label: request.serverLabel,
    name: request.name,
    arguments: request.arguments,
  };
}

/** OpenAI's `output_text` convenience: every output_text part of every message, joined. */
export function outputText(output: readonly OutputItem[]): string {
  let text = '';
  for (const item of output) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') text += part.text;
  }
  return text;
}
