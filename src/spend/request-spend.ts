/**
 * One LLM request's spend while it runs: every model round is priced at the price of the deployment that served it
 * and summed, MCP tool calls made inside its tool loop add their cost (`addToolCost`, called by the hub), and
 * `finish()` hands the request's SpendRecord to the sink once. The request's cost (the `x-litellm-response-cost`
 * header) is LLM + tools; its own record carries the LLM part, and each tool call has its own record (child of
 * `requestId`), so summing the stored rows never counts a tool twice.
 */
import type { CompletionUsage } from 'openai/resources/completions';
import type { Caller } from '../auth/resolve-caller.js';
import { roundCost } from './llm-cost.js';
import type { PriceBook } from './price-book.js';
import type { RequestSpend, SpendOwner, SpendRecord, SpendSink } from './spend-types.js';

export type LlmCallType = Extract<SpendRecord['callType'], 'chat_completion' | 'responses'>;

/** Whom a caller's spend is charged to: a virtual key, its team and the team's (else the key's) organisation. */
export function spendOwnerOf(caller: Caller): SpendOwner {
  if (caller.kind !== 'key') return {};
  const organizationId = caller.team?.organization_id ?? caller.organization?.organization_id ?? undefined;
  return {
    keyHash: caller.key.token,
    ...(caller.key.team_id ? { teamId: caller.key.team_id } : {}),
    ...(organizationId ? { organizationId } : {}),
  };
}

/** Starts a RequestSpend per LLM request; built once per app. */
export class SpendMeter {
  constructor(
    readonly sink: SpendSink,
    readonly prices: PriceBook,
  ) {}

  begin(requestId: string, caller: Caller, callType: LlmCallType, model: string): LlmRequestSpend {
    return new LlmRequestSpend(this, requestId, spendOwnerOf(caller), callType, model);
  }
}

export class LlmRequestSpend implements RequestSpend {
  readonly keyHash?: string;
  readonly teamId?: string;
  readonly organizationId?: string;
  private llmCost = 0;
  private toolCost = 0;
  private promptTokens = 0;
  private completionTokens = 0;
  private readonly startTime = new Date();
  private finished = false;

  constructor(
    private readonly meter: SpendMeter,
    readonly requestId: string,
    owner: SpendOwner,
    private readonly callType: LlmCallType,
    private readonly model: string,
  ) {
    if (owner.keyHash !== undefined) this.keyHash = owner.keyHash;
    if (owner.teamId !== undefined) this.teamId = owner.teamId;
    if (owner.organizationId !== undefined) this.organizationId = owner.organizationId;
  }

  /** One model round, served by `deploymentId` (undefined: not priced). */
  addRound(deploymentId: string | undefined, usage: CompletionUsage): void {
    this.promptTokens += usage.prompt_tokens;
    this.completionTokens += usage.completion_tokens;
    this.llmCost += roundCost(deploymentId === undefined ? undefined : this.meter.prices.get(deploymentId), usage);
  }

  addToolCost(cost: number): void {
    if (Number.isFinite(cost) && cost > 0) this.toolCost += cost;
  }

  /** USD so far: every round's LLM cost plus every tool cost added. */
  get cost(): number {
    return this.llmCost + this.toolCost;
  }

  /** The `x-litellm-response-cost` header value. */
  costHeader(): Record<string, string> {
    return { 'x-litellm-response-cost': String(this.cost) };
  }

  /** Records the request once (later calls do nothing). */
  finish(status: SpendRecord['status']): void {
    if (this.finished) return;
    this.finished = true;
    this.meter.sink.record({
      requestId: this.requestId,
      ...(this.keyHash !== undefined ? { keyHash: this.keyHash } : {}),
      ...(this.teamId !== undefined ? { teamId: this.teamId } : {}),
      ...(this.organizationId !== undefined ? { organizationId: this.organizationId } : {}),
      callType: this.callType,
      model: this.model,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      totalTokens: this.promptTokens + this.completionTokens,
      cost: this.llmCost,
      startTime: this.startTime,
      endTime: new Date(),
      status,
    });
  }
}
