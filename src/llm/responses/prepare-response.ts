/**
 * Everything a create request needs before the first model call, checked up front so that bad input is an HTTP
 * error: the conversation (previous_response_id chain + input), the chat request, the MCP tools listed through the
 * tool loop's `prepareLoopTools`, and the calls approved by `mcp_approval_response` items.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ownerIdOf } from '../../auth/permissions.js';
import type { Caller } from '../../auth/resolve-caller.js';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions/completions';
import type { ChatRequest } from '../../../providers/index.js';
import { GatehouseError, InvalidRequestError } from '../../http/errors.js';
import {
  assertListed,
  clientFunctionNames,
  isMcpTool,
  parseMcpToolSpecs,
  prepareLoopTools,
  type LoopLimits,
  type LoopToolset,
  type PendingCall,
  type ToolListing,
  type ToolSourceDeps,
} from '../tool-loop/index.js';
import type { ApprovedCall } from './approval-decisions.js';
import { loadConversation, type Conversation } from './conversation.js';
import { missing, readObject, readString, type JsonObject } from './field-reader.js';
import { newId } from '../ids.js';
import { toChatMessages } from './input-to-messages.js';
import { chatMcpToolChoice, nativeMcpToolChoice } from './mcp-tool-choice.js';
import { nativeBody } from './native-body.js';
import { toNativeInput } from './native-input.js';
import type { NativeRequest } from './native-model.js';
import { parseInput } from './parse-input.js';
import type { ResponseIdentity } from './response-object.js';
import type { ResponseStore } from './response-store.js';
import type { ResponsesRequest } from './request-schema.js';
import { rejectUnsupported, toChatRequest } from './request-to-chat.js';
import { splitTools } from './tools-to-chat.js';
import type { RequestSpend } from '../../spend/spend-types.js';
import type { UsageCounter } from '../usage-estimate.js';

/** What `type: "mcp"` tools need: the tool loop's sources (hub, remote servers, schemas) and limits. */
export type ResponsesMcpDeps = ToolSourceDeps & { limits: LoopLimits; countUsage?: UsageCounter };

export interface PreparedResponse {
  identity: ResponseIdentity;
  conversation: Conversation;
  /** The loop's chat request. On the native path it carries no messages, only the client's function names as tools. */
  chat: ChatRequest;
  /** Set when the model is served by the upstream's own `/responses` (native-responses-rule.ts). */
  native?: NativeRequest;
  toolset: LoopToolset;
  limits: LoopLimits;
  pending: PendingCall[];
  /** Listings to show as `mcp_list_tools` items: servers the conversation has not listed yet. */
  listings: ToolListing[];
  /** Streaming only: a server could not list its tools (non-streaming throws the 424 instead). */
  listFailure?: GatehouseError;
}

const EMPTY_TOOLSET: LoopToolset = { tools: [], byFunctionName: new Map(), functions: [], listings: [] };

interface History {
  chat: ChatRequest;
  listedLabels: Set<string>;
  approved: ApprovedCall[];
  nativeItems?: NativeRequest['items'];
}

export async function prepareResponse(
  body: ResponsesRequest,
  context: { headers: IncomingHttpHeaders; signal: AbortSignal; caller: Caller; streaming: boolean; native: boolean; spend?: RequestSpend },
  deps: { store: ResponseStore; mcp: ResponsesMcpDeps },
): Promise<PreparedResponse> {
  rejectUnsupported(body, context.native);
  const conversation = await loadConversation(deps.store, body.previous_response_id, parseInput(body.input), context.caller);
  const outputMaxChars = deps.mcp.limits.outputMaxChars;
  const history = context.native ? nativeHistory(body, conversation, outputMaxChars) : chatHistory(body, conversation, outputMaxChars);
  const { chat } = history;
  const mcpCount = (body.tools ?? []).filter(isMcpTool).length;
  let toolset = EMPTY_TOOLSET;
  let listFailure: GatehouseError | undefined;
  if (mcpCount > 0) {
    const entries = parseMcpToolSpecs(body.tools ?? []);
    toolset = await prepareLoopTools(entries, deps.mcp, {
      requestHeaders: context.headers,
      caller: context.caller,
      clientFunctionNames: clientFunctionNames(chat),
      signal: context.signal,
      ...(context.spend ? { spend: context.spend } : {}),
    });
    try {
      assertListed(toolset, entries);
    } catch (error) {
      if (!context.streaming || !(error instanceof GatehouseError)) throw error;
      listFailure = error;
    }
  }
  const mcpChoice = typeof body.tool_choice === 'object' && body.tool_choice.type === 'mcp' ? (body.tool_choice as unknown as JsonObject) : undefined;
  if (mcpChoice && !history.nativeItems) chat.tool_choice = chatMcpToolChoice(mcpChoice, toolset);
  const limits = typeof body.max_tool_calls === 'number' ? { ...deps.mcp.limits, maxToolCalls: body.max_tool_calls } : deps.mcp.limits;
  return {
    identity: { id: newId('resp'), createdAt: Math.floor(Date.now() / 1000), request: body, store: body.store !== false, ownerId: ownerIdOf(context.caller) },
    conversation,
    chat,
    ...(history.nativeItems
      ? { native: { items: history.nativeItems, body: nativeBody(body, toolset, mcpChoice && nativeMcpToolChoice(mcpChoice, toolset)) } }
      : {}),
    toolset,
    limits,
    pending: history.approved.map((call) => pendingCall(call, toolset)),
    listings: toolset.listings.filter((listing) => !history.listedLabels.has(listing.serverLabel)),
    ...(listFailure ? { listFailure } : {}),
  };
}

/** The conversation as chat messages (wire-formats.md §1.6) and the request as a chat request. */
function chatHistory(body: ResponsesRequest, conversation: Conversation, outputMaxChars: number): History {
  const history = toChatMessages(conversation, body.instructions, outputMaxChars);
  if (!history.messages.some((message) => message.role !== 'system')) throw missing('input');
  const chat = toChatRequest(body, history.messages, splitTools(body.tools));
  return { chat, listedLabels: history.listedLabels, approved: history.approved };
}

/** The conversation as upstream input items; the loop's chat request only names the client's function tools. */
function nativeHistory(body: ResponsesRequest, conversation: Conversation, outputMaxChars: number): History {
  const history = toNativeInput(conversation, outputMaxChars);
  if (history.items.length === 0 && (body.prompt === undefined || body.prompt === null)) throw missing('input');
  const functions: ChatCompletionFunctionTool[] = [];
  (body.tools ?? []).forEach((raw, index) => {
    const tool = readObject(raw, `tools[${index}]`);
    if (tool.type === 'function') functions.push({ type: 'function', function: { name: readString(tool, 'name', `tools[${index}]`) } });
  });
  const chat: ChatRequest = { model: body.model, messages: [], ...(functions.length > 0 ? { tools: functions } : {}) };
  return { chat, listedLabels: history.listedLabels, approved: history.approved, nativeItems: history.items };
}

/** An approved call runs only through a tool the request offers again (the client re-sends `tools` every time). */
function pendingCall(call: ApprovedCall, toolset: LoopToolset): PendingCall {
  if (!toolset.byFunctionName.has(call.functionName)) {
    throw new InvalidRequestError(
      `input[${call.inputIndex}] approves tool '${call.name}' of server_label '${call.serverLabel}', which no mcp tool of this request offers; send the same tools again.`,
      { param: `input[${call.inputIndex}]` },
    );
  }
  return { toolCallId: call.toolCallId, functionName: call.functionName, arguments: call.arguments, approvalRequestId: call.approvalRequestId };
}
