/**
 * Conversation items → Chat Completions messages (wire-formats.md §1.6). `instructions` become the system message;
 * consecutive calls (function_call, earlier mcp_call, answered approvals) merge into one assistant message with
 * `tool_calls`; outputs become tool messages. `mcp_list_tools` items are not sent to the model. An approval
 * answered in this request's input becomes an assistant tool_call: declined, with a tool message telling the
 * model; approved, as a call for the tool loop to run (unless an `mcp_call` already carries its id).
 */
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionMessageParam,
  ChatCompletionUserMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { ResponseFunctionToolCallOutputItem, ResponseInputContent } from 'openai/resources/responses/responses';
import { InvalidRequestError } from '../../http/errors.js';
import { llmFunctionName } from '../../mcp/names.js';
import { recordedErrorText, toolErrorText } from '../tool-loop/result-text.js';
import { approvalDecisions, type ApprovedCall } from './approval-decisions.js';
import type { ConversationItem, McpCallItem } from './response-types.js';

export type { ApprovedCall };

export interface ChatHistory {
  messages: ChatCompletionMessageParam[];
  /** Server labels with an `mcp_list_tools` item in the conversation: not listed again in the output. */
  listedLabels: Set<string>;
  approved: ApprovedCall[];
}

/** `history`: the items of the previous_response_id chain; `input`: this request's items. */
export function toChatMessages(
  conversation: { history: readonly ConversationItem[]; input: readonly ConversationItem[] },
  instructions: string | null | undefined,
  outputMaxChars: number,
): ChatHistory {
  const items = [...conversation.history, ...conversation.input];
  const decisions = approvalDecisions(conversation);
  const result: ChatHistory = { messages: [], listedLabels: new Set(), approved: [] };
  const { messages } = result;
  if (instructions) messages.push({ role: 'system', content: instructions });
  // The assistant message the next call is merged into, while nothing else came in between.
  let open: ChatCompletionAssistantMessageParam | undefined;
  const assistantForCall = (): ChatCompletionAssistantMessageParam => {
    if (!open) {
      open = { role: 'assistant', content: null };
      messages.push(open);
    }
    return open;
  };

  items.forEach((item, position) => {
    switch (item.type) {
      case 'message':
        if (item.role === 'assistant') {
          open = toAssistantMessage(item.content);
          messages.push(open);
          return;
        }
        messages.push(toUserLikeMessage(item.role, item.content, item.id));
        break;
      case 'function_call':
        addToolCall(assistantForCall(), item.call_id, item.name, item.arguments);
        return;
      case 'function_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: toolOutput(item) });
        break;
      case 'mcp_call':
        addToolCall(assistantForCall(), item.id, llmFunctionName(item.server_label, item.name), item.arguments);
        messages.push({ role: 'tool', tool_call_id: item.id, content: mcpCallResult(item, outputMaxChars) });
        break;
      case 'mcp_approval_response': {
        const decision = decisions.get(position);
        if (!decision) return;
        const { call } = decision;
        addToolCall(assistantForCall(), call.toolCallId, call.functionName, call.arguments);
        if (decision.kind === 'run') {
          result.approved.push(call);
          return;
        }
        messages.push({ role: 'tool', tool_call_id: call.toolCallId, content: decision.text });
        break;
      }
      case 'mcp_list_tools':
        result.listedLabels.add(item.server_label);
        return;
      case 'mcp_approval_request':
      case 'reasoning':
        // A request is shown to the model once answered; reasoning belongs to the model that wrote it.
        return;
    }
    open = undefined;
  });
  return result;
}

function addToolCall(message: ChatCompletionAssistantMessageParam, id: string, name: string, args: string): void {
  (message.tool_calls ??= []).push({ id, type: 'function', function: { name, arguments: args } });
}

function toAssistantMessage(content: ReadonlyArray<{ type: 'output_text'; text: string } | { type: 'refusal'; refusal: string }>) {
  const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: null };
  const texts = content.filter((part) => part.type === 'output_text').map((part) => part.text);
  const refusals = content.filter((part) => part.type === 'refusal').map((part) => part.refusal);
  if (texts.length > 0) message.content = texts.join('');
  if (refusals.length > 0) message.refusal = refusals.join('');
  return message;
}

function toUserLikeMessage(
  role: 'user' | 'system' | 'developer',
  content: readonly ResponseInputContent[],
  itemId: string,
): ChatCompletionMessageParam {
  if (role === 'user') {
    const parts = content.map((part) => toUserPart(part, itemId));
    const only = parts.length === 1 ? parts[0] : undefined;
    const message: ChatCompletionUserMessageParam = { role, content: only?.type === 'text' ? only.text : parts };
    return message;
  }
  const parts = content.map((part) => textOnly(part, `a ${role} message (${itemId})`));
  return { role, content: parts.length === 1 ? parts[0].text : parts };
}

function toUserPart(part: ResponseInputContent, itemId: string): ChatCompletionContentPart {
  if (part.type === 'input_text') return { type: 'text', text: part.text };
  if (part.type === 'input_image') {
    if (!part.image_url) throw unsupported(`input_image by file_id in message ${itemId}: send image_url instead`);
    return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail !== 'original' ? { detail: part.detail } : {}) } };
  }
  if (part.file_url !== undefined) throw unsupported(`input_file by file_url in message ${itemId}: send file_data or file_id`);
  const file: ChatCompletionContentPart.File['file'] = {};
  if (part.file_data !== undefined) file.file_data = part.file_data;
  if (part.file_id) file.file_id = part.file_id;
  if (part.filename !== undefined) file.filename = part.filename;
  return { type: 'file', file };
}

function textOnly(part: ResponseInputContent, where: string): ChatCompletionContentPartText {
  if (part.type !== 'input_text') throw unsupported(`${part.type} in ${where}: only text can be sent there`);
  return { type: 'text', text: part.text };
}

function toolOutput(item: ResponseFunctionToolCallOutputItem): string | ChatCompletionContentPartText[] {
  if (typeof item.output === 'string') return item.output;
  return item.output.map((part) => textOnly(part, `function_call_output ${item.id}`));
}

/**
 * What the model is told an earlier MCP call returned: the text the loop gave it when it ran the call (its `output`,
 * or the loop's wording of its error, capped as the loop caps results), so a replayed conversation reads the same.
 */
export function mcpCallResult(item: McpCallItem, outputMaxChars: number): string {
  if (item.output !== undefined && item.output !== null && !item.error) return item.output;
  const error = item.error;
  if (!error) return item.output ?? '';
  if (typeof error === 'string') return toolErrorText(error);
  if (error.type !== 'mcp_tool_execution_error') return toolErrorText(error.message);
  return recordedErrorText(error, outputMaxChars) ?? toolErrorText(JSON.stringify(error.content));
}

function unsupported(detail: string): InvalidRequestError {
  return new InvalidRequestError(`Unsupported input for a chat upstream: ${detail}.`, { param: 'input' });
}
