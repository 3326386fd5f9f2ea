/**
 * Budgets and rate limits (issue #7), checked before any upstream call: `max_budget` per key, team and organisation
 * over the current `budget_duration`; `rpm_limit` / `tpm_limit` per key and per team; LiteLLM's
 * `max_parallel_requests` per key and per team (a slot held until the response ends). `sink` feeds LLM and MCP tool
 * spend into the same counters (spend-fan-out.ts puts it beside the spend-log writer), so one budget covers both.
 * A budget is checked against spend already recorded: each process can overshoot by the requests it has in flight.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { Caller } from '../auth/resolve-caller.js';
import { BudgetExceededError, RateLimitedError } from '../http/errors.js';
import { MemoryCounters } from './budget-counters.js';
import { RedisCounters } from './budget-redis-counters.js';
import { budgetPeriod, budgetPeriodEnd, currentBudget, parseBudgetDuration, type BudgetPeriods } from './budget-duration.js';
import type { PeriodCounter, SpendCounters } from './budget-counters.js';
import { limitsParallel, ParallelSlot, parallelGaugesOf } from './parallel-requests.js';
import { hasRateLimit, rateLimitedOf, RATE_WINDOW_MS, rpmCounterId, tpmCounterId, type RateLimited } from './rate-limit-window.js';
import type { SpendRecord, SpendSink } from './spend-types.js';

/** The entities with a budget, as their counters are named: `key:<token>`, `team:<id>`, `org:<id>`. */
export type SpendOwner = 'key' | 'team' | 'org';

/** What the counters need to know about an entity with a budget, remembered from its last check. */
interface Budgeted {
  label: string;
  maxBudget: number;
  createdAt: number;
  periods: BudgetPeriods | null;
  /** The stored spend of the current period (0 when it was counted in a period that has ended). */
  seed: number;
}

export class BudgetGate {
  /** Entities seen with a budget, by counter id; the sink only counts spend for these. */
  private readonly budgeted = new Map<string, Budgeted>();
  /** `tpm:<owner>:<id>` of the keys and teams with a `tpm_limit`, whose tokens the sink counts. */
  private readonly tokenLimited = new Set<string>();
  private failing = false;
  readonly sink: SpendSink = { record: (record) => this.record(record) };

  constructor(
    private readonly counters: SpendCounters,
    private readonly logger: FastifyBaseLogger,
    private readonly now: () => number = Date.now,
  ) {}

  close(): Promise<void> {
    return this.counters.close();
  }

  /**
   * After `/key/update` or `/organization/update` wrote an entity's `spend`: drops its counter (every replica's,
   * through Redis), so the next check starts again from the stored spend. Call it after the store write, or a check
   * in between would seed the counter from the old spend. Throws when the counters are unreachable.
   */
  async forgetSpend(owner: SpendOwner, id: string): Promise<void> {
    await this.counters.forget([`${owner}:${id}`]);
  }

  /** Whether `check` has anything to do for this caller (cheap: callers without limits skip the await). */
  applies(caller: Caller): boolean {
    if (caller.kind !== 'key') return false;
    const { key, team, organization } = caller;
    return key.max_budget !== null || hasRateLimit(key) || (team !== null && (team.max_budget !== null || hasRateLimit(team))) || organization?.max_budget != null;
  }

  /** Whether `acquire` has anything to do for this caller (cheap, like `applies`). */
  limitsParallel(caller: Caller): boolean {
    return caller.kind === 'key' && limitsParallel(caller.key, caller.team);
  }

  /**
   * Throws `budget_exceeded` or `rate_limit_exceeded` (429); otherwise counts the request against the key's and the
   * team's `rpm_limit` and returns the key's `x-ratelimit-*` headers (none when the key itself has no rpm/tpm limit,
   * or the counters are unreachable).
   */
  async check(caller: Caller): Promise<RateLimitHeaders | null> {
    if (caller.kind !== 'key') return null;
    const now = this.now();
    const entities = this.entitiesOf(caller, now);
    try {
      const counters = entities.map(([id, entity]) => this.counterOf(id, entity, now));
      const spent = await this.counters.read(counters);
      entities.forEach(([, entity], index) => {
        if (spent[index] >= entity.maxBudget) throw budgetExceeded(entity, spent[index], now);
      });
      const headers = await this.checkRates(rateLimitedOf(caller.key, caller.team), now);
      this.failing = false;
      return headers;
    } catch (error) {
      if (error instanceof BudgetExceededError || error instanceof RateLimitedError) throw error;
      this.unreachable(error);
      return null;
    }
  }

  /**
   * Takes a slot of the key's and the team's `max_parallel_requests`, both or neither: throws `rate_limit_exceeded`
   * when either already has that many requests in flight. The caller gives the slot back when its response ends.
   * Null: no such limit, or the counters are unreachable.
   */
  async acquire(caller: Caller): Promise<ParallelSlot | null> {
    if (caller.kind !== 'key') return null;
    const gauges = parallelGaugesOf(caller.key, caller.team);
    if (gauges.length === 0) return null;
    const slotId = randomUUID();
    let admission;
    try {
      admission = await this.counters.acquireSlots(gauges, slotId, this.now());
    } catch (error) {
      this.unreachable(error);
      return null;
    }
    if (!admission.admitted) {
      const { label, limit } = gauges[admission.index];
      throw new RateLimitedError(
        `Rate limit exceeded for ${label}: max_parallel_requests is ${limit} and ${admission.inFlight} requests are in flight.`,
        // A slot frees whenever one of them ends: there is no window to wait for.
        { headers: { 'retry-after': '1' } },
      );
    }
    const ids = gauges.map((gauge) => gauge.id);
    return new ParallelSlot(this.counters, ids, slotId, (error) => this.warnOnce(error, 'giving back a max_parallel_requests slot failed'));
  }

  /** Counters unreachable (Redis down): serve rather than refuse everyone; the spend is still logged. */
  private unreachable(error: unknown): void {
    this.warnOnce(error, 'budget and rate-limit counters unreachable: requests are not limited until they are back');
  }

  /**
   * The key's limits, then the team's: tokens recorded this minute, then this request counted. Returns LiteLLM's
   * (and OpenAI's) `x-ratelimit-*` headers for the key's own limits, which also go on a 429 that refuses it.
   */
  private async checkRates(limited: readonly RateLimited[], now: number): Promise<RateLimitHeaders | null> {
    if (limited.length === 0) return null;
    const reset = String(Math.max(1, Math.ceil((RATE_WINDOW_MS - (now % RATE_WINDOW_MS)) / 1000)));
    let keyHeaders: RateLimitHeaders | null = null;
    for (const entity of limited) {
      const headers: RateLimitHeaders = {};
      if (entity.owner === 'key') keyHeaders = headers;
      const refuse = (message: string) => new RateLimitedError(`Rate limit exceeded for ${entity.label}: ${message}`, { headers: { ...keyHeaders, 'retry-after': reset } });
      if (entity.tpm !== null) {
        const id = tpmCounterId(entity.owner, entity.id);
        this.tokenLimited.add(id);
        const used = await this.counters.readWindow(id, RATE_WINDOW_MS, now);
        Object.assign(headers, windowHeaders('tokens', entity.tpm, used, reset));
        if (used >= entity.tpm) throw refuse(`${used} tokens used this minute, tpm_limit is ${entity.tpm}.`);
      }
      if (entity.rpm !== null) {
        const requests = await this.counters.addToWindow(rpmCounterId(entity.owner, entity.id), 1, RATE_WINDOW_MS, now);
        Object.assign(headers, windowHeaders('requests', entity.rpm, requests, reset));
        if (requests > entity.rpm) throw refuse(`rpm_limit is ${entity.rpm} requests per minute.`);
      }
    }
    return keyHeaders;
  }

  private record(record: SpendRecord): void {
    const now = this.now();
    const ids = [
      record.keyHash === undefined ? undefined : `key:${record.keyHash}`,
      record.teamId === undefined ? undefined : `team:${record.teamId}`,
      record.organizationId === undefined ? undefined : `org:${record.organizationId}`,
    ];
    const counters: PeriodCounter[] = [];
    for (const id of ids) {
      const entity = id === undefined ? undefined : this.budgeted.get(id);
      if (id !== undefined && entity !== undefined) counters.push(this.counterOf(id, entity, now));
    }
    const work: Promise<unknown>[] = [];
    if (counters.length > 0 && record.cost > 0) work.push(this.counters.add(counters, record.cost));
    if (record.totalTokens > 0) {
      const windows = [
        record.keyHash === undefined ? undefined : tpmCounterId('key', record.keyHash),
        record.teamId === undefined ? undefined : tpmCounterId('team', record.teamId),
      ];
      for (const id of windows) {
        if (id !== undefined && this.tokenLimited.has(id)) work.push(this.counters.addToWindow(id, record.totalTokens, RATE_WINDOW_MS, now));
      }
    }
    if (work.length > 0) {
      Promise.all(work).catch((error: unknown) => this.warnOnce(error, 'recording spend in the budget counters failed'));
    }
  }

  /** The caller's entities that have a `max_budget`, remembered for the sink. */
  private entitiesOf(caller: Extract<Caller, { kind: 'key' }>, now: number): [string, Budgeted][] {
    const { key, team, organization } = caller;
    const candidates = [
      { id: `key:${key.token}`, label: `API key ${key.key_name}`, entity: key },
      ...(team ? [{ id: `team:${team.team_id}`, label: `Team "${team.team_id}"`, entity: team }] : []),
      ...(organization ? [{ id: `org:${organization.organization_id}`, label: `Organization "${organization.organization_id}"`, entity: organization }] : []),
    ];
    const out: [string, Budgeted][] = [];
    for (const { id, label, entity } of candidates) {
      if (entity.max_budget === null) continue;
      const budgeted: Budgeted = {
        label,
        maxBudget: entity.max_budget,
        createdAt: entity.created_at,
        periods: entity.budget_duration ? parseBudgetDuration(entity.budget_duration) : null,
        seed: currentBudget(entity, now).spend,
      };
      this.budgeted.set(id, budgeted);
      out.push([id, budgeted]);
    }
    return out;
  }

  private counterOf(id: string, entity: Budgeted, now: number): PeriodCounter {
    return { id, period: budgetPeriod(entity.periods, entity.createdAt, now), seed: entity.seed };
  }

  private warnOnce(error: unknown, message: string): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({ err: error }, message);
  }
}

/** Counters in Redis when `REDIS_URL` is set (shared by every replica), else in this process. */
export function createBudgetGate(redisUrl: string | undefined, logger: FastifyBaseLogger): BudgetGate {
  const counters = redisUrl ? new RedisCounters(redisUrl, (error) => logger.debug({ err: error }, 'budget counters: Redis error')) : new MemoryCounters();
  return new BudgetGate(counters, logger);
}

function budgetExceeded(entity: Budgeted, spent: number, now: number): BudgetExceededError {
  const end = budgetPeriodEnd(entity.periods, entity.createdAt, now);
  const reset = end === null ? '' : ` The budget resets at ${new Date(end).toISOString()}.`;
  return new BudgetExceededError(
    `Budget has been exceeded! ${entity.label}: current cost ${round(spent)}, max budget ${entity.maxBudget}.${reset}`,
    end === null ? {} : { headers: { 'retry-after': String(Math.max(1, Math.ceil((end - now) / 1000))) } },
  );
}

function round(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

/** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`; reset is whole seconds until the window ends. */
export type RateLimitHeaders = Record<string, string>;

function windowHeaders(unit: 'requests' | 'tokens', limit: number, used: number, reset: string): RateLimitHeaders {
  return {
    [`x-ratelimit-limit-${unit}`]: String(limit),
    [`x-ratelimit-remaining-${unit}`]: String(Math.max(0, limit - used)),
    [`x-ratelimit-reset-${unit}`]: reset,
  };
}

/**
 * The LLM routes' gate (chat completions, responses): called once, early, before any upstream call. The key's
 * rate-limit headers are set on the raw response, so they leave with a streamed reply as with a plain one. A
 * `max_parallel_requests` slot is held until the response closes: sent, failed, streamed to its end, or dropped by
 * the client (Node emits `close` on every one of these, once). Tool calls of the request's own loop take no slot.
 */
export async function gateRequest(gate: BudgetGate | undefined, caller: Caller, response: ServerResponse): Promise<void> {
  if (gate === undefined) return;
  const limited = gate.applies(caller);
  const parallel = gate.limitsParallel(caller);
  if (!limited && !parallel) return;
  if (limited) {
    const headers = await gate.check(caller);
    if (headers !== null) for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  }
  if (!parallel) return;
  const slot = await gate.acquire(caller);
  if (slot === null) return;
  // The client may have gone while the slot was being taken: `close` has then been emitted already.
  if (response.closed) slot.release();
  else response.once('close', () => slot.release());
}
