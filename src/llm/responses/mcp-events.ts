/**
 * Stream events for the MCP item kinds, in OpenAI's order (wire-formats.md §1.5), as functions of the tool loop's
 * records. Each returns the events of one step; the emitter numbers them and keeps `output_index` continuous.
 */
import type { ApprovalRequest, McpCallRecord } from '../tool-loop/index.js';
import { approvalRequestItem, mcpCallItem } from './output-items.js';
import type { McpListToolsItem, ResponseEventBody } from './response-types.js';

/** `mcp_list_tools`: added (no tools yet) → in_progress → completed | failed → done (tools or error filled in). */
export function mcpListToolsEvents(item: McpListToolsItem, outputIndex: number): ResponseEventBody[] {
  const ref = { item_id: item.id, output_index: outputIndex };
  const failed = typeof item.error === 'string';
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item: { ...item, tools: [], error: null } },
    { type: 'response.mcp_list_tools.in_progress', ...ref },
    { type: failed ? 'response.mcp_list_tools.failed' : 'response.mcp_list_tools.completed', ...ref },
    { type: 'response.output_item.done', output_index: outputIndex, item },
  ];
}

/** `mcp_call` starts: added (empty arguments, in progress) → mcp_call.in_progress → arguments delta → arguments done. */
export function mcpCallStartedEvents(call: McpCallRecord, outputIndex: number): ResponseEventBody[] {
  const ref = { item_id: call.id, output_index: outputIndex };
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item: mcpCallItem(call, 'started') },
    { type: 'response.mcp_call.in_progress', ...ref },
    // The loop runs a call once the model's arguments are complete, so they go out as one delta.
    { type: 'response.mcp_call_arguments.delta', ...ref, delta: call.arguments },
    { type: 'response.mcp_call_arguments.done', ...ref, arguments: call.arguments },
  ];
}

/** `mcp_call` ends: completed | failed → done (output, error and status filled in). */
export function mcpCallFinishedEvents(call: McpCallRecord, outputIndex: number): ResponseEventBody[] {
  const ref = { item_id: call.id, output_index: outputIndex };
  return [
    { type: call.status === 'completed' ? 'response.mcp_call.completed' : 'response.mcp_call.failed', ...ref },
    { type: 'response.output_item.done', output_index: outputIndex, item: mcpCallItem(call, 'finished') },
  ];
}

/** `mcp_approval_request` has no events of its own: added → done. */
export function approvalRequestEvents(request: ApprovalRequest, outputIndex: number): ResponseEventBody[] {
  const item = approvalRequestItem(request);
  return [
    { type: 'response.output_item.added', output_index: outputIndex, item },
    { type: 'response.output_item.done', output_index: outputIndex, item },
  ];
}
