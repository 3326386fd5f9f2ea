/** Issue #4 points 4 and 5: MCP items and their stream events, as functions of the tool loop's records. */
import { describe, expect, it } from 'vitest';
import {
  approvalRequestEvents,
  mcpCallFinishedEvents,
  mcpCallStartedEvents,
  mcpListToolsEvents,
} from '../../../../src/llm/responses/mcp-events.js';
import { mcpListToolsItem } from '../../../../src/llm/responses/output-items.js';
import type { McpCallRecord } from '../../../../src/llm/tool-loop/loop-types.js';

const CALL: McpCallRecord = {
  id: 'mcp_1',
  toolCallId: 'call_1',
  serverLabel: 'fs',
  name: 'read',
  arguments: '{"path":"/a"}',
  output: null,
  error: { type: 'mcp_tool_execution_error', content: [{ type: 'text', text: 'no such file' }] },
  status: 'failed',
  approvalRequestId: 'mcpr_1',
};

describe('MCP item events', () => {
  it('lists tools: added with no tools, in_progress, completed, done with the MCP tools unchanged', () => {
    const item = mcpListToolsItem('mcpl_1', 'fs', {
      tools: [{ name: 'read', description: 'Read', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } }],
    });
    const events = mcpListToolsEvents(item, 3);
    expect(events.map((event) => event.type)).toEqual([
      'response.output_item.added',
      'response.mcp_list_tools.in_progress',
      'response.mcp_list_tools.completed',
      'response.output_item.done',
    ]);
    expect(events[0]).toMatchObject({ output_index: 3, item: { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'fs', tools: [] } });
    expect(events[1]).toEqual({ type: 'response.mcp_list_tools.in_progress', item_id: 'mcpl_1', output_index: 3 });
    expect(events[3]).toMatchObject({
      item: { tools: [{ name: 'read', input_schema: { type: 'object', properties: {} }, description: 'Read', annotations: { readOnlyHint: true } }] },
    });
  });

  it('reports a listing failure with response.mcp_list_tools.failed and the error on the item', () => {
    const events = mcpListToolsEvents(mcpListToolsItem('mcpl_2', 'fs', { error: 'connection refused' }), 0);
    expect(events[2].type).toBe('response.mcp_list_tools.failed');
    expect(events[3]).toMatchObject({ item: { tools: [], error: 'connection refused' } });
  });

  it('announces a call with empty arguments, then streams them, then ends it failed with the structured error', () => {
    const started = mcpCallStartedEvents(CALL, 1);
    expect(started.map((event) => event.type)).toEqual([
      'response.output_item.added',
      'response.mcp_call.in_progress',
      'response.mcp_call_arguments.delta',
      'response.mcp_call_arguments.done',
    ]);
    expect(started[0]).toMatchObject({ item: { type: 'mcp_call', arguments: '', status: 'in_progress', output: null, error: null, approval_request_id: 'mcpr_1' } });
    expect(started[2]).toEqual({ type: 'response.mcp_call_arguments.delta', item_id: 'mcp_1', output_index: 1, delta: '{"path":"/a"}' });
    const finished = mcpCallFinishedEvents(CALL, 1);
    expect(finished.map((event) => event.type)).toEqual(['response.mcp_call.failed', 'response.output_item.done']);
    expect(finished[1]).toMatchObject({ item: { status: 'failed', arguments: '{"path":"/a"}', error: CALL.error, output: null } });
    expect(mcpCallFinishedEvents({ ...CALL, status: 'completed', error: null, output: 'text' }, 1)[0].type).toBe('response.mcp_call.completed');
  });

  it('shows an approval request as output_item.added and .done only', () => {
    const events = approvalRequestEvents(
      { id: 'mcpr_1', toolCallId: 'call_1', serverLabel: 'fs', name: 'delete', functionName: 'fs__delete', arguments: '{}' },
      4,
    );
    const item = { id: 'mcpr_1', type: 'mcp_approval_request', server_label: 'fs', name: 'delete', arguments: '{}' };
    expect(events).toEqual([
      { type: 'response.output_item.added', output_index: 4, item },
      { type: 'response.output_item.done', output_index: 4, item },
    ]);
  });
});
