/**
 * What each `mcp_approval_response` of a conversation means, decided once for both renderings of the conversation
 * (chat messages and native Responses input): run the approved call, tell the model it was declined, or skip it
 * (answered before, already executed, or an approval from an earlier turn). A response that answers no request in
 * this request's input is a 400 naming it (wire-formats.md §1.3 point 4).
 */
import { InvalidRequestError } from '../../http/errors.js';
import { llmFunctionName } from '../../mcp/names.js';
import type { ConversationItem, McpApprovalRequestItem, McpApprovalResponseItem } from './response-types.js';

/** An approval given in this request: the call the tool loop runs before the first model call. */
export interface ApprovedCall {
  /** The tool_call id in the messages (the approval request's id). */
  toolCallId: string;
  functionName: string;
  arguments: string;
  approvalRequestId: string;
  serverLabel: string;
  name: string;
  /** Where the approval response stands in `input`. */
  inputIndex: number;
}

export type ApprovalDecision =
  | { kind: 'run'; call: ApprovedCall }
  | { kind: 'decline'; call: ApprovedCall; text: string };

/** Keyed by the response's position in `[...history, ...input]`; positions without a decision are skipped. */
export function approvalDecisions(conversation: {
  history: readonly ConversationItem[];
  input: readonly ConversationItem[];
}): Map<number, ApprovalDecision> {
  const items = [...conversation.history, ...conversation.input];
  const requests = new Map<string, McpApprovalRequestItem>();
  const executed = new Set<string>();
  for (const item of items) {
    if (item.type === 'mcp_approval_request') requests.set(item.id, item);
    if (item.type === 'mcp_call' && item.approval_request_id) executed.add(item.approval_request_id);
  }
  const answered = new Set<string>();
  const decisions = new Map<number, ApprovalDecision>();
  items.forEach((item, position) => {
    if (item.type !== 'mcp_approval_response') return;
    const inputIndex = position - conversation.history.length;
    const request = requests.get(item.approval_request_id);
    if (!request) {
      if (inputIndex < 0) return;
      throw new InvalidRequestError(
        `No mcp_approval_request with id '${item.approval_request_id}' in the conversation (input or previous_response_id).`,
        { param: `input[${inputIndex}].approval_request_id` },
      );
    }
    if (answered.has(request.id) || (item.approve && (executed.has(request.id) || inputIndex < 0))) return;
    answered.add(request.id);
    const { id, server_label: serverLabel, name } = request;
    const call: ApprovedCall = {
      toolCallId: id,
      functionName: llmFunctionName(serverLabel, name),
      arguments: request.arguments,
      approvalRequestId: id,
      serverLabel,
      name,
      inputIndex,
    };
    decisions.set(position, item.approve ? { kind: 'run', call } : { kind: 'decline', call, text: declined(item) });
  });
  return decisions;
}

function declined(response: McpApprovalResponseItem): string {
  return response.reason
    ? `The user declined to run this tool call: ${response.reason}`
    : 'The user declined to run this tool call.';
}
