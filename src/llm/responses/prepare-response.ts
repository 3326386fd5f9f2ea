/**
 * Everything a create request needs before the first model call, checked up front so that bad input is an HTTP
 * error: the conversation (previous_response_id chain + input), the chat request, the MCP tools listed through the
 * tool loop's `prepareLoopTools`, and the calls approved by `mcp_approval_response` items.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest } from '../../../providers/index.js';
import { GatehouseError, InvalidRequestError } from '../../http/errors.js';
import { llmFunctionName } from '../../mcp/names.js';
import {
  assertListed,
  clientFunctionNames,
  parseMcpToolSpecs,
  prepareLoopTools,
  type LoopLimits,
  type LoopToolset,
  type PendingCall,
  type ToolListing,
  type ToolSourceDeps,
} from '../tool-loop/index.js';
import { loadConversation, type Conversation } from './conversation.js';
import { missing, readOptionalString, readString, type JsonObject } from './field-reader.js';
import { newId } from './ids.js';
import { toChatMessages, type ApprovedCall } from './input-to-messages.js';
import { parseInput } from './parse-input.js';
import type { ResponseIdentity } from './response-object.js';
import type { ResponseStore } from './response-store.js';
import type { ResponsesRequest } from './request-schema.js';
import { rejectUnsupported, toChatRequest } from './request-to-chat.js';
import { splitTools } from './tools-to-chat.js';

/** What `type: "mcp"` tools need: the tool loop's sources (hub, remote servers, schemas) and limits. */
export type ResponsesMcpDeps = ToolSourceDeps & { limits: LoopLimits };

export interface PreparedResponse {
  identity: ResponseIdentity;
  conversation: Conversation;
  chat: ChatRequest;
  toolset: LoopToolset;
  limits: LoopLimits;
  pending: PendingCall[];
  /** Listings to show as `mcp_list_tools` items: servers the conversation has not listed yet. */
  listings: ToolListing[];
  /** Streaming only: a server could not list its tools (non-streaming throws the 424 instead). */
  listFailure?: GatehouseError;
}

const EMPTY_TOOLSET: LoopToolset = { tools: [], byFunctionName: new Map(), functions: [], listings: [] };

export async function prepareResponse(
  body: ResponsesRequest,
  context: { headers: IncomingHttpHeaders; signal: AbortSignal; streaming: boolean },
  deps: { store: ResponseStore; mcp: ResponsesMcpDeps },
): Promise<PreparedResponse> {
  rejectUnsupported(body);
  const conversation = await loadConversation(deps.store, body.previous_response_id, parseInput(body.input));
  const history = toChatMessages(conversation, body.instructions);
  if (!history.messages.some((message) => message.role !== 'system')) throw missing('input');
  const tools = splitTools(body.tools);
  const chat = toChatRequest(body, history.messages, tools);
  let toolset = EMPTY_TOOLSET;
  let listFailure: GatehouseError | undefined;
  if (tools.mcp.length > 0) {
    const entries = parseMcpToolSpecs(body.tools ?? []);
    toolset = await prepareLoopTools(entries, deps.mcp, {
      requestHeaders: context.headers,
      clientFunctionNames: clientFunctionNames(chat),
      signal: context.signal,
    });
    try {
      assertListed(toolset, entries);
    } catch (error) {
      if (!context.streaming || !(error instanceof GatehouseError)) throw error;
      listFailure = error;
    }
  }
  if (typeof body.tool_choice === 'object' && body.tool_choice.type === 'mcp') {
    chat.tool_choice = mcpToolChoice(body.tool_choice as unknown as JsonObject, toolset);
  }
  const limits = typeof body.max_tool_calls === 'number' ? { ...deps.mcp.limits, maxToolCalls: body.max_tool_calls } : deps.mcp.limits;
  return {
    identity: { id: newId('resp'), createdAt: Math.floor(Date.now() / 1000), request: body, store: body.store !== false },
    conversation,
    chat,
    toolset,
    limits,
    pending: history.approved.map((call) => pendingCall(call, toolset)),
    listings: toolset.listings.filter((listing) => !history.listedLabels.has(listing.serverLabel)),
    ...(listFailure ? { listFailure } : {}),
  };
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

/** `{type: "mcp", server_label, name?}`: that tool, or any tool of that server. */
function mcpToolChoice(choice: JsonObject, toolset: LoopToolset): ChatRequest['tool_choice'] {
  const label = readString(choice, 'server_label', 'tool_choice');
  const name = readOptionalString(choice, 'name', 'tool_choice');
  const functions = toolset.tools.filter((tool) => tool.serverLabel === label && (name === undefined || tool.name === name));
  if (functions.length === 0) {
    const what = name === undefined ? `server_label '${label}'` : `tool '${name}' of server_label '${label}'`;
    throw new InvalidRequestError(`tool_choice names ${what}, which no mcp tool of this request offers.`, { param: 'tool_choice' });
  }
  if (name !== undefined) return { type: 'function', function: { name: llmFunctionName(label, name) } };
  return {
    type: 'allowed_tools',
    allowed_tools: { mode: 'required', tools: functions.map((tool) => ({ type: 'function', function: { name: tool.functionName } })) },
  };
}
