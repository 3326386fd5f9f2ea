/**
 * The contract between the tool loop and the two endpoints that drive it (/v1/chat/completions and
 * /v1/responses). The loop works on the canonical Chat Completions shape; each endpoint turns the loop's
 * results and events into its own wire format.
 */
import type { CallToolResult, Tool as McpTool, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ChatRequest } from '../../../providers/index.js';
import type { UsageCounter } from '../usage-estimate.js';
import type { PreparedSchema } from './tool-schemas.js';

/** A filter of OpenAI's `require_approval` / `allowed_tools` object forms. */
export interface ToolFilter {
  toolNames?: string[];
  readOnly?: boolean;
}

export type ApprovalPolicy =
  | { mode: 'always' }
  | { mode: 'never' }
  /** Object form: tools matching `never` run without approval, matching `always` need it, others need it. */
  | { mode: 'filter'; always?: ToolFilter; never?: ToolFilter };

/** One validated `{type: "mcp", …}` tool of a request. */
export interface McpToolSpec {
  serverLabel: string;
  serverUrl: string;
  headers: Record<string, string>;
  authorization?: string;
  allowedTools?: ToolFilter;
  requireApproval: ApprovalPolicy;
  serverDescription?: string;
}

/** Where an MCP tool runs: the gateway hub (`litellm_proxy…`) or a remote server reached directly. */
export interface ToolSource {
  /** Throws when the server cannot list (the loop reports it as a listing failure naming the server_label). */
  listTools(signal: AbortSignal): Promise<McpTool[]>;
  /** Upstream failures come back as `isError` results; a throw is reported to the model as a failed call. */
  callTool(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<CallToolResult>;
}

/** A remote (non-`litellm_proxy`) server of one mcp tool, as the remote-source factory receives it. */
export interface RemoteMcpTarget {
  serverLabel: string;
  serverUrl: string;
  headers: Record<string, string>;
  authorization?: string;
  /** The tool's request path, e.g. `tools[1]`, for errors that name a field. */
  param: string;
}

/** Opens a remote server (egress policy first); throws an HTTP error when the URL is refused. */
export type RemoteSourceFactory = (target: RemoteMcpTarget, signal: AbortSignal) => Promise<ToolSource>;

/** An MCP tool offered to the model as a function. */
export interface LoopTool {
  /** The function name the model sees: `^[a-zA-Z0-9_-]{1,64}$`, unique in the request. */
  functionName: string;
  serverLabel: string;
  /** The tool's name at its source. */
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  annotations?: ToolAnnotations;
  source: ToolSource;
  needsApproval: boolean;
  /** `parameters` offered to the model (normalised `inputSchema`) and the compiled argument validator. */
  schema: PreparedSchema;
}

/** One mcp tool's `tools/list` outcome (`mcp_list_tools`): the tools it offers after `allowed_tools`, or why it failed. */
export type ToolListing =
  | { serverLabel: string; tools: McpTool[] }
  | { serverLabel: string; error: string };

/** A request's MCP tools, listed and named for the model. */
export interface LoopToolset {
  tools: readonly LoopTool[];
  /** The reverse map of this request: function name → tool. */
  byFunctionName: ReadonlyMap<string, LoopTool>;
  /** The function tools the model is offered, in `tools` order. */
  functions: ChatCompletionFunctionTool[];
  listings: ToolListing[];
}

/** The model the loop calls: the router, behind this seam so the loop does not depend on routing. */
export interface LoopModel {
  complete(request: ChatRequest, signal: AbortSignal): Promise<ChatCompletion>;
  /** Resolves once the upstream accepted the stream, then yields its chunks. */
  stream(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<ChatCompletionChunk>>;
}

/**
 * An MCP call already in `messages` (an assistant tool_call with no tool message yet) that the caller has
 * approved: it runs before the first model call and its tool message is appended.
 */
export interface PendingCall {
  toolCallId: string;
  functionName: string;
  arguments: string;
  approvalRequestId?: string | null;
}

export interface LoopLimits {
  /** Rounds of tool execution; a model still calling tools after that many ends the loop with `max_rounds`. */
  maxRounds: number;
  /** MCP calls executed per loop (Responses' `max_tool_calls`); a round that would exceed it is not run. */
  maxToolCalls?: number;
  callTimeoutMs: number;
  /** Tool output longer than this is cut before the model reads it. */
  outputMaxChars: number;
}

export interface LoopInput {
  /** The canonical chat request; its `tools` hold only the client's own tools (the loop adds the MCP ones). */
  request: ChatRequest;
  toolset: LoopToolset;
  limits: LoopLimits;
  /**
   * In a round that stops the loop (a client function call or a call needing approval), run the calls that need
   * no approval first (Responses: their `mcp_call` items carry the results), or leave them in `deferredCalls`
   * (Chat Completions: a chat client can only carry `tool_calls` back, so they run on its next request).
   */
  runApprovedWhenStopping: boolean;
  pending?: readonly PendingCall[];
  signal: AbortSignal;
  /** Awaited, so a slow SSE client slows the loop instead of buffering without bound. */
  onEvent?: (event: LoopEvent) => void | Promise<void>;
  /** Counts a round whose upstream reported no usage (tiktoken, spend/token-counter.ts); default: a character estimate. */
  countUsage?: UsageCounter;
  /** Each round's usage as it ends (spend: each round is priced at the deployment that served it). */
  onRoundUsage?: (usage: CompletionUsage) => void;
}


/** OpenAI's `McpToolCallError` forms (openai@7 `mcp_call.error`). */
export type McpCallError =
  | { type: 'mcp_protocol_error'; code: number; message: string }
  | { type: 'mcp_tool_execution_error'; content: unknown }
  | { type: 'http_error'; code: number; message: string };

/** One MCP call the loop made (or was asked to make), for `mcp_call` items and the chat extension field. */
export interface McpCallRecord {
  /** `mcp_…`; the model's tool_call id is kept in `toolCallId`. */
  id: string;
  toolCallId: string;
  serverLabel: string;
  name: string;
  /** JSON text, as the model produced it. */
  arguments: string;
  output: string | null;
  error: McpCallError | null;
  status: 'in_progress' | 'completed' | 'failed' | 'incomplete';
  approvalRequestId: string | null;
}

/** A call that needs the client's approval before it runs (`mcp_approval_request`). */
export interface ApprovalRequest {
  /** `mcpr_…` */
  id: string;
  toolCallId: string;
  serverLabel: string;
  name: string;
  /** The name the model called. */
  functionName: string;
  arguments: string;
}

/** A call that needs no approval, left unexecuted because its round stopped the loop (`runApprovedWhenStopping: false`). */
export type DeferredCall = Omit<ApprovalRequest, 'id'>;

/** What happened while the loop ran, in order; streaming endpoints render these as they come. */
export type LoopEvent =
  | { type: 'tools_listed'; serverLabel: string; tools: McpTool[] }
  | { type: 'tools_list_failed'; serverLabel: string; error: string }
  | { type: 'round_started'; round: number }
  /** An upstream chunk of the current round (text and client function-call deltas; MCP calls are reported separately). */
  | { type: 'chunk'; chunk: ChatCompletionChunk }
  | { type: 'mcp_call_started'; call: McpCallRecord }
  | { type: 'mcp_call_finished'; call: McpCallRecord }
  | { type: 'approval_requested'; request: ApprovalRequest };

export type LoopStop =
  /** The model answered (or asked for client-side function calls). */
  | 'completed'
  /** Some MCP calls need approval; they are in `approvalRequests`. */
  | 'approval_required'
  /** `max_tool_calls` or the round limit was reached. */
  | 'max_rounds'
  | 'max_tool_calls'
  /** The model's turn hit its token limit (`finish_reason: "length"`) while calling tools: none of its calls ran. */
  | 'max_tokens';

export interface LoopResult {
  stop: LoopStop;
  /** Every message of the conversation as sent to the model in the last round, plus its final answer. */
  messages: ChatCompletionMessageParam[];
  calls: McpCallRecord[];
  approvalRequests: ApprovalRequest[];
  /** Summed over every round. */
  usage: CompletionUsage;
  /** The last model response's finish_reason. */
  finishReason: string | null;
  model: string;
  deferredCalls: DeferredCall[];
  /** Rounds of tool execution run (pending calls not counted). */
  rounds: number;
  /** The model's last answer, as it came (a streamed round assembled into one message). */
  final: FinalAnswer;
}

export interface FinalAnswer {
  id: string;
  created: number;
  model: string;
  message: ChatCompletionMessage;
  systemFingerprint?: string;
}
