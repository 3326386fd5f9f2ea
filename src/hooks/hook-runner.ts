/**
 * Runs the loaded `callbacks:` hooks in config order. A hook that throws (or returns something unusable) fails
 * only the request it ran for: an MCP tool call gets an `isError` result naming the module and hook; a `postLlmCall`
 * failure (`hook_failed`) is logged, the answer having left (post-llm-call-sink.ts). Which hooks exist is decided
 * once, so a request without hooks pays nothing.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { HookFailedError } from '../http/errors.js';
import type { HookName, LoadedHook, McpToolCallContext, PostLlmCallContext, PostMcpToolCallContext } from './hook-types.js';

export type PreMcpToolCallResult = { kind: 'proceed'; arguments: Record<string, unknown> | undefined } | { kind: 'blocked'; result: CallToolResult };

export interface PostMcpToolCallResult {
  cost: number;
  result: CallToolResult;
  /** False when a hook failed: the result is then the isError naming it. */
  ok: boolean;
}

export class Hooks {
  readonly preMcp: boolean;
  readonly postMcp: boolean;
  readonly postLlm: boolean;

  constructor(private readonly loaded: readonly LoadedHook[] = []) {
    this.preMcp = loaded.some((hook) => hook.module.preMcpToolCall !== undefined);
    this.postMcp = loaded.some((hook) => hook.module.postMcpToolCall !== undefined);
    this.postLlm = loaded.some((hook) => hook.module.postLlmCall !== undefined);
  }

  /** Blocks (first block wins) or passes the arguments through each hook's rewrite in turn. */
  async preMcpToolCall(ctx: McpToolCallContext): Promise<PreMcpToolCallResult> {
    let args = ctx.arguments;
    for (const hook of this.loaded) {
      const fn = hook.module.preMcpToolCall;
      if (fn === undefined) continue;
      try {
        const outcome = await fn({ ...ctx, arguments: args });
        if (outcome === undefined || outcome === null) continue;
        if (typeof outcome !== 'object') throw new TypeError('it must return an object or nothing');
        if (outcome.block !== undefined) {
          return { kind: 'blocked', result: errorResult(`Tool call ${ctx.server}/${ctx.tool} blocked by hook ${hook.name}: ${String(outcome.block)}`) };
        }
        if (outcome.arguments !== undefined) {
          if (!isPlainObject(outcome.arguments)) throw new TypeError('`arguments` must be an object');
          args = outcome.arguments;
        }
      } catch (error) {
        return { kind: 'blocked', result: errorResult(failureText(hook, 'preMcpToolCall', error)) };
      }
    }
    return { kind: 'proceed', arguments: args };
  }

  /** Each hook sees the cost and result the previous one left. */
  async postMcpToolCall(ctx: PostMcpToolCallContext): Promise<PostMcpToolCallResult> {
    let { cost, result } = ctx;
    for (const hook of this.loaded) {
      const fn = hook.module.postMcpToolCall;
      if (fn === undefined) continue;
      try {
        const outcome = await fn({ ...ctx, cost, result });
        if (outcome === undefined || outcome === null) continue;
        if (typeof outcome !== 'object') throw new TypeError('it must return an object or nothing');
        if (outcome.cost !== undefined) {
          if (typeof outcome.cost !== 'number' || !Number.isFinite(outcome.cost) || outcome.cost < 0) {
            throw new TypeError('`cost` must be a finite number >= 0');
          }
          cost = outcome.cost;
        }
        if (outcome.result !== undefined) {
          if (!isPlainObject(outcome.result) || !Array.isArray((outcome.result as { content?: unknown }).content)) {
            throw new TypeError('`result` must be a CallToolResult (an object with a `content` array)');
          }
          result = outcome.result;
        }
      } catch (error) {
        return { cost, result: errorResult(failureText(hook, 'postMcpToolCall', error)), ok: false };
      }
    }
    return { cost, result, ok: true };
  }

  /** After an LLM request is priced (post-llm-call-sink.ts); throws `hook_failed`. */
  async postLlmCall(ctx: PostLlmCallContext): Promise<void> {
    for (const hook of this.loaded) {
      const fn = hook.module.postLlmCall;
      if (fn === undefined) continue;
      try {
        await fn(ctx);
      } catch (error) {
        throw new HookFailedError(failureText(hook, 'postLlmCall', error), { cause: error });
      }
    }
  }
}

function failureText(hook: LoadedHook, name: HookName, error: unknown): string {
  return `Hook ${name} in ${hook.name} failed: ${error instanceof Error ? error.message : String(error)}`;
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
