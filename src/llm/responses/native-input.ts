/**
 * Conversation items → the `input` items sent to an upstream that serves Responses natively. The upstream is never
 * given mcp tools (they are function tools there), so MCP items are rewritten as the function calls the model made:
 * an earlier `mcp_call` → `function_call` + `function_call_output`, an answered approval → its `function_call` (plus
 * the refusal as its output, or the call left for the tool loop to run). `mcp_list_tools` and unanswered approval
 * requests are not sent. The upstream gets `store: false`, so nothing may refer to upstream-stored items by id:
 * ids are dropped, and a reasoning item is replayed only with its `encrypted_content`.
 */
import { llmFunctionName } from '../../mcp/names.js';
import { approvalDecisions, type ApprovedCall } from './approval-decisions.js';
import { mcpCallResult } from './input-to-messages.js';
import type { ConversationItem } from './response-types.js';

/** One upstream input item, as JSON. */
export type NativeItem = { type: string; [field: string]: unknown };

export interface NativeHistory {
  items: NativeItem[];
  /** Server labels with an `mcp_list_tools` item in the conversation: not listed again in the output. */
  listedLabels: Set<string>;
  approved: ApprovedCall[];
}

export function toNativeInput(
  conversation: { history: readonly ConversationItem[]; input: readonly ConversationItem[] },
  outputMaxChars: number,
): NativeHistory {
  const decisions = approvalDecisions(conversation);
  const result: NativeHistory = { items: [], listedLabels: new Set(), approved: [] };
  const { items } = result;
  [...conversation.history, ...conversation.input].forEach((item, position) => {
    switch (item.type) {
      case 'mcp_call':
        items.push(functionCall(item.id, llmFunctionName(item.server_label, item.name), item.arguments));
        items.push({ type: 'function_call_output', call_id: item.id, output: mcpCallResult(item, outputMaxChars) });
        return;
      case 'mcp_approval_response': {
        const decision = decisions.get(position);
        if (!decision) return;
        const { call } = decision;
        items.push(functionCall(call.toolCallId, call.functionName, call.arguments));
        if (decision.kind === 'run') result.approved.push(call);
        else items.push({ type: 'function_call_output', call_id: call.toolCallId, output: decision.text });
        return;
      }
      case 'mcp_list_tools':
        result.listedLabels.add(item.server_label);
        return;
      case 'mcp_approval_request':
        return;
      default: {
        const replayed = replayItem(item as unknown as NativeItem);
        if (replayed) items.push(replayed);
      }
    }
  });
  return result;
}

/**
 * An item as the upstream may take it back in `input` with `store: false`: messages and function calls without
 * their ids (an assistant message in its input form); a reasoning item only when it carries `encrypted_content`;
 * other kinds (hosted tool calls) as they came.
 */
export function replayItem(item: NativeItem): NativeItem | undefined {
  if (item.type === 'reasoning') return typeof item.encrypted_content === 'string' ? item : undefined;
  if (!ID_FREE.has(item.type)) return item;
  const { id: _id, ...rest } = item;
  if (item.type === 'message') {
    const { status: _status, ...message } = rest;
    return message as NativeItem;
  }
  return rest as NativeItem;
}

const ID_FREE = new Set(['message', 'function_call', 'function_call_output']);

function functionCall(callId: string, name: string, args: string): NativeItem {
  return { type: 'function_call', call_id: callId, name, arguments: args };
}
