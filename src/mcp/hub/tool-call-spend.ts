/**
 * What happens around every tool call the hub makes (issue #7): the budget and rate-limit gate for direct calls
 * (/mcp, REST mirrors; an LLM request's loop was gated by its route), the `preMcpToolCall` hooks, then pricing
 * (`mcp_info.mcp_server_cost_info`: per-tool price, else the server default, else 0, as LiteLLM prices them),
 * the `postMcpToolCall` hooks, one SpendRecord to the sink and the cost added to the LLM request's total.
 * A direct call of a key with `max_parallel_requests` holds a slot until the hub is done with it (`release`).
 * A call with no gate and no hooks takes no extra await.
 */
import { newRequestId } from '../../http/request-id.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Caller } from '../../auth/resolve-caller.js';
import type { Hooks } from '../../hooks/hook-runner.js';
import type { BudgetGate } from '../../spend/budget-gate.js';
import type { ParallelSlot } from '../../spend/parallel-requests.js';
import { NO_SPEND_SINK } from '../../spend/spend-fan-out.js';
import { spendOwnerOf } from '../../spend/request-spend.js';
import type { RequestSpend, SpendOwner, SpendSink } from '../../spend/spend-types.js';
import type { McpServerDefinition } from '../server-definition.js';
import type { McpRequestContext, McpScope } from './scope.js';

/** One tool call between `begin` and `finish`. */
export interface ToolCallInFlight {
  /** Set when the gate passed but a hook blocked the call: the caller gets this instead of calling upstream. */
  blocked?: CallToolResult;
  arguments: Record<string, unknown> | undefined;
  readonly requestId: string;
  readonly parentRequestId?: string;
  readonly owner: SpendOwner;
  readonly server: McpServerDefinition;
  readonly tool: string;
  readonly startTime: Date;
  readonly spend?: RequestSpend;
  /** A direct call's `max_parallel_requests` slot, given back by `ToolCallSpend.release`. */
  slot?: ParallelSlot;
}

export interface ToolCallSpendDeps {
  /** Where records go; app.ts connects the spend-log + budget fan-out once the store is open (`sendTo`). */
  sink?: SpendSink;
  hooks: Hooks;
  /** Null: no budgets or limits anywhere (tests of the hub alone). */
  budgets: BudgetGate | null;
}

/** LiteLLM's rule: `tool_name_to_cost_per_query[<unprefixed tool>]`, else `default_cost_per_query`, else 0 (USD). */
export function toolCallPrice(server: McpServerDefinition, tool: string): number {
  const info = server.info?.mcp_server_cost_info;
  const perTool = info?.tool_name_to_cost_per_query?.[tool];
  if (typeof perTool === 'number') return perTool;
  return typeof info?.default_cost_per_query === 'number' ? info.default_cost_per_query : 0;
}

export class ToolCallSpend {
  private sink: SpendSink;

  constructor(private readonly deps: ToolCallSpendDeps) {
    this.sink = deps.sink ?? NO_SPEND_SINK;
  }

  /** Set once at start-up: the hub is built before the store that the spend-log writer needs. */
  sendTo(sink: SpendSink): void {
    this.sink = sink;
  }

  /** Throws `budget_exceeded` / `rate_limit_exceeded` before anything reaches the upstream. */
  begin(
    scope: McpScope,
    ctx: McpRequestContext,
    server: McpServerDefinition,
    tool: string,
    args: Record<string, unknown> | undefined,
  ): ToolCallInFlight | Promise<ToolCallInFlight> {
    const caller = scope.access.caller;
    const call: ToolCallInFlight = {
      arguments: args,
      requestId: newRequestId(),
      parentRequestId: ctx.spend?.requestId,
      owner: ownerOf(ctx.spend, caller),
      server,
      tool,
      startTime: new Date(),
      spend: ctx.spend,
    };
    const { budgets, hooks } = this.deps;
    // An LLM request's loop was gated (and holds its slot) at its route; direct calls are gated here.
    const direct = budgets !== null && ctx.spend === undefined && caller !== undefined;
    const gated = direct && budgets.applies(caller);
    const parallel = direct && budgets.limitsParallel(caller);
    if (!gated && !parallel && !hooks.preMcp) return call;
    return this.beginSlowly(call, gated ? caller : undefined, parallel ? caller : undefined);
  }

  /** Gives back the call's `max_parallel_requests` slot, if it took one (idempotent): the hub's `finally`. */
  release(call: ToolCallInFlight): void {
    call.slot?.release();
  }

  /** Prices the answered call, runs the post hooks, records it; returns the result the caller gets. */
  finish(call: ToolCallInFlight, result: CallToolResult, answered: boolean): CallToolResult | Promise<CallToolResult> {
    const cost = answered ? toolCallPrice(call.server, call.tool) : 0;
    if (!answered || !this.deps.hooks.postMcp) {
      this.record(call, cost, result, new Date());
      return result;
    }
    return this.finishSlowly(call, result, cost);
  }

  private async beginSlowly(call: ToolCallInFlight, gatedCaller: Caller | undefined, parallelCaller: Caller | undefined): Promise<ToolCallInFlight> {
    if (gatedCaller !== undefined) await this.deps.budgets?.check(gatedCaller);
    if (parallelCaller !== undefined) call.slot = (await this.deps.budgets?.acquire(parallelCaller)) ?? undefined;
    if (!this.deps.hooks.preMcp) return call;
    try {
      const outcome = await this.deps.hooks.preMcpToolCall(this.hookContext(call));
      if (outcome.kind === 'blocked') {
        call.blocked = outcome.result;
        this.record(call, 0, outcome.result, new Date());
        this.release(call);
        return call;
      }
      call.arguments = outcome.arguments;
      return call;
    } catch (error) {
      this.release(call);
      throw error;
    }
  }

  private async finishSlowly(call: ToolCallInFlight, upstream: CallToolResult, priced: number): Promise<CallToolResult> {
    const endTime = new Date();
    const { cost, result } = await this.deps.hooks.postMcpToolCall({ ...this.hookContext(call), result: upstream, cost: priced, startTime: call.startTime, endTime });
    this.record(call, cost, result, endTime);
    return result;
  }

  private record(call: ToolCallInFlight, cost: number, result: CallToolResult, endTime: Date): void {
    this.sink.record({
      ...call.owner,
      requestId: call.requestId,
      ...(call.parentRequestId !== undefined ? { parentRequestId: call.parentRequestId } : {}),
      callType: 'call_mcp_tool',
      model: `MCP: ${call.server.name}/${call.tool}`,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      cost,
      startTime: call.startTime,
      endTime,
      status: result.isError === true ? 'failure' : 'success',
    });
    if (cost > 0) call.spend?.addToolCost(cost);
  }

  private hookContext(call: ToolCallInFlight) {
    return {
      ...call.owner,
      requestId: call.requestId,
      ...(call.parentRequestId !== undefined ? { parentRequestId: call.parentRequestId } : {}),
      server: call.server.name,
      tool: call.tool,
      arguments: call.arguments,
    };
  }
}

/** The LLM request's owner when inside its loop, else the caller's key, team and organisation. */
function ownerOf(spend: RequestSpend | undefined, caller: Caller | undefined): SpendOwner {
  if (spend !== undefined) {
    return {
      ...(spend.keyHash !== undefined ? { keyHash: spend.keyHash } : {}),
      ...(spend.teamId !== undefined ? { teamId: spend.teamId } : {}),
      ...(spend.organizationId !== undefined ? { organizationId: spend.organizationId } : {}),
    };
  }
  return caller === undefined ? {} : spendOwnerOf(caller);
}
