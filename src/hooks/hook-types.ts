/**
 * The hooks API of `callbacks:` modules (docs/budgets.md#hooks): what a module may export and what each hook
 * receives and may return. A module exports any of the three functions; each may be async.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { SpendOwner, SpendRecord } from '../spend/spend-types.js';

/** One MCP tool call as the hooks see it. */
export interface McpToolCallContext extends SpendOwner {
  /** This tool call's own id (its spend record's `requestId`). */
  requestId: string;
  /** The LLM request whose tool loop made the call, when there is one. */
  parentRequestId?: string;
  /** The server's config key (`mcp_servers.<name>`) or admin-API name. */
  server: string;
  /** The upstream's own (unprefixed) tool name. */
  tool: string;
  arguments: Record<string, unknown> | undefined;
}

/** Before the upstream call: block it (the caller gets an `isError` result carrying `block`), or rewrite its arguments. */
export interface PreMcpToolCallOutcome {
  block?: string;
  arguments?: Record<string, unknown>;
}

export interface PostMcpToolCallContext extends McpToolCallContext {
  result: CallToolResult;
  /** USD, from `mcp_info.mcp_server_cost_info` (or an earlier hook). */
  cost: number;
  startTime: Date;
  endTime: Date;
}

/** After the upstream call: replace the call's cost (USD) and/or the result the caller gets. */
export interface PostMcpToolCallOutcome {
  cost?: number;
  result?: CallToolResult;
}

/** After an LLM request (all its rounds) is priced. */
export interface PostLlmCallContext {
  record: SpendRecord;
}

type Maybe<T> = T | Promise<T>;

/** What a `callbacks:` module may export (named exports). */
export interface HookModule {
  preMcpToolCall?: (ctx: McpToolCallContext) => Maybe<PreMcpToolCallOutcome | void | undefined>;
  postMcpToolCall?: (ctx: PostMcpToolCallContext) => Maybe<PostMcpToolCallOutcome | void | undefined>;
  postLlmCall?: (ctx: PostLlmCallContext) => Maybe<void>;
}

export const HOOK_NAMES = ['preMcpToolCall', 'postMcpToolCall', 'postLlmCall'] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A loaded module, named by its config entry for messages. */
export interface LoadedHook {
  /** The path as written in config (never resolved further in messages). */
  name: string;
  module: HookModule;
}
