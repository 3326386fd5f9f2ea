/**
 * The Responses wire shapes Gatehouse produces and stores, built from the `openai` types. Two deviations from
 * openai@6: `mcp_call.error` is openai@7's object form (`McpToolCallError`, wire-formats.md §1.2), and a
 * conversation item always carries an `id`, so stored items can be listed and referenced.
 */
import type {
  Response,
  ResponseContentPartAddedEvent,
  ResponseContentPartDoneEvent,
  ResponseErrorEvent,
  ResponseFunctionCallArgumentsDeltaEvent,
  ResponseFunctionCallArgumentsDoneEvent,
  ResponseFunctionToolCallItem,
  ResponseFunctionToolCallOutputItem,
  ResponseInputMessageItem,
  ResponseItem,
  ResponseMcpCallArgumentsDeltaEvent,
  ResponseMcpCallArgumentsDoneEvent,
  ResponseMcpCallCompletedEvent,
  ResponseMcpCallFailedEvent,
  ResponseMcpCallInProgressEvent,
  ResponseMcpListToolsCompletedEvent,
  ResponseMcpListToolsFailedEvent,
  ResponseMcpListToolsInProgressEvent,
  ResponseOutputItem,
  ResponseOutputMessage,
  ResponseReasoningItem,
  ResponseRefusalDeltaEvent,
  ResponseRefusalDoneEvent,
  ResponseTextDeltaEvent,
  ResponseTextDoneEvent,
} from 'openai/resources/responses/responses';
import type { McpCallError } from '../tool-loop/index.js';

export type McpListToolsItem = ResponseOutputItem.McpListTools;
export type McpApprovalRequestItem = ResponseOutputItem.McpApprovalRequest;
export type McpApprovalResponseItem = ResponseItem.McpApprovalResponse;

/** `mcp_call` with openai@7's structured error; a client replaying openai@6 items may send the string form. */
export type McpCallItem = Omit<ResponseOutputItem.McpCall, 'error'> & { error?: McpCallError | string | null };

/** Every item kind a response can output. */
export type OutputItem =
  | ResponseOutputMessage
  | ResponseFunctionToolCallItem
  | McpListToolsItem
  | McpCallItem
  | McpApprovalRequestItem;

/** Every item kind a conversation can hold (input items as stored, plus output items). */
export type ConversationItem =
  | OutputItem
  | ResponseInputMessageItem
  | ResponseFunctionToolCallOutputItem
  | McpApprovalResponseItem
  | ResponseReasoningItem;

/** openai@7 fields missing from openai@6's `Response`: `store`, `max_tool_calls`. */
export type ResponseObject = Omit<Response, 'output'> & { output: OutputItem[]; store?: boolean; max_tool_calls?: number | null };

type Body<E> = Omit<E, 'sequence_number'>;

/** A stream event before the emitter numbers it. */
export type ResponseEventBody =
  | { type: 'response.created' | 'response.in_progress' | 'response.completed' | 'response.incomplete' | 'response.failed'; response: ResponseObject }
  | { type: 'response.output_item.added' | 'response.output_item.done'; output_index: number; item: OutputItem }
  | Body<ResponseContentPartAddedEvent>
  | Body<ResponseContentPartDoneEvent>
  | Body<ResponseTextDeltaEvent>
  | Body<ResponseTextDoneEvent>
  | Body<ResponseRefusalDeltaEvent>
  | Body<ResponseRefusalDoneEvent>
  | Body<ResponseFunctionCallArgumentsDeltaEvent>
  | Body<ResponseFunctionCallArgumentsDoneEvent>
  | Body<ResponseMcpListToolsInProgressEvent>
  | Body<ResponseMcpListToolsCompletedEvent>
  | Body<ResponseMcpListToolsFailedEvent>
  | Body<ResponseMcpCallInProgressEvent>
  | Body<ResponseMcpCallArgumentsDeltaEvent>
  | Body<ResponseMcpCallArgumentsDoneEvent>
  | Body<ResponseMcpCallCompletedEvent>
  | Body<ResponseMcpCallFailedEvent>
  | Body<ResponseErrorEvent>;

/** An upstream event passed through from a native Responses round (native-items.ts), before the emitter numbers it. */
export type UpstreamEventBody = { type: string; output_index?: number; [field: string]: unknown };

export type ResponseEvent = (ResponseEventBody | UpstreamEventBody) & { sequence_number: number };
