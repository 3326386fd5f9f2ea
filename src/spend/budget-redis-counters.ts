/**
 * SpendCounters shared across replicas through Redis (REDIS_URL). Spend: one hash per entity `{p: period, v: USD}`,
 * updated by a Lua script (seed-or-reset, then HINCRBYFLOAT) so concurrent replicas never lose an increment or
 * reset twice. Rate windows: `INCRBY` on a key per (id, minute) that expires after two windows. Requests in flight:
 * one sorted set per gauge of slot ids scored by when their holder last vouched for them (docs/budgets.md#redis).
 */
import { Redis } from 'ioredis';
import type { PeriodCounter, SlotAdmission, SlotGauge, SpendCounters } from './budget-counters.js';

const PREFIX = 'gatehouse:';

/**
 * KEYS: counter hashes. ARGV[1]: amount (0: a read); then period, seed per key. Returns each counter's value after
 * the add. Only a read seeds a missing hash; an add skips it (SpendCounters.add), returning 0 for it.
 */
const PERIOD_SCRIPT = `
local amount = ARGV[1]
local adding = tonumber(amount) ~= 0
local out = {}
for i, key in ipairs(KEYS) do
  local period = tonumber(ARGV[2 * i])
  local stored = redis.call('HGET', key, 'p')
  if not stored then
    if not adding then redis.call('HSET', key, 'p', period, 'v', ARGV[2 * i + 1]) end
  elseif tonumber(stored) < period then
    redis.call('HSET', key, 'p', period, 'v', 0)
  end
  if not stored and adding then
    out[i] = '0'
  elseif adding then
    out[i] = redis.call('HINCRBYFLOAT', key, 'v', amount)
  else
    out[i] = redis.call('HGET', key, 'v')
  end
end
return out
`;

/** KEYS[1]: the window key. ARGV: amount, ttl ms. */
const WINDOW_SCRIPT = `
local value = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`;

/**
 * A slot whose holder has not refreshed it for this long is dropped: how long a crashed replica's requests keep
 * their slots. Live holders refresh theirs every third of it, so a request may run longer than this.
 */
export const SLOT_TTL_MS = 60_000;

/**
 * KEYS: gauge sorted sets. ARGV: now (ms), slot ttl (ms), slot id, then each gauge's limit. Drops expired slots,
 * then adds the slot to every gauge, or to none: returns {0, 0}, or {i, in flight} for the first full gauge i.
 */
const ACQUIRE_SCRIPT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - ttl)
  local in_flight = redis.call('ZCARD', key)
  if in_flight >= tonumber(ARGV[3 + i]) then return {i, in_flight} end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('PEXPIRE', key, ttl)
end
return {0, 0}
`;

interface ScriptedRedis extends Redis {
  gatehousePeriod(keyCount: number, ...args: (string | number)[]): Promise<string[]>;
  gatehouseWindow(key: string, amount: number, ttlMs: number): Promise<number>;
  gatehouseAcquire(keyCount: number, ...args: (string | number)[]): Promise<[number, number]>;
}

export class RedisCounters implements SpendCounters {
  private readonly redis: ScriptedRedis;
  /** The slots this process holds (slot id → gauge keys), refreshed by `heartbeat` while held. */
  private readonly held = new Map<string, string[]>();
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    url: string,
    private readonly onError: (error: Error) => void,
    private readonly slotTtlMs = SLOT_TTL_MS,
  ) {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000, enableOfflineQueue: true, lazyConnect: true });
    redis.defineCommand('gatehousePeriod', { lua: PERIOD_SCRIPT });
    redis.defineCommand('gatehouseWindow', { lua: WINDOW_SCRIPT, numberOfKeys: 1 });
    redis.defineCommand('gatehouseAcquire', { lua: ACQUIRE_SCRIPT });
    redis.on('error', onError);
    this.redis = redis as ScriptedRedis;
  }

  read(counters: readonly PeriodCounter[]): Promise<number[]> {
    return this.run(counters, 0);
  }

  async add(counters: readonly PeriodCounter[], amount: number): Promise<void> {
    await this.run(counters, amount);
  }

  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.del(...ids.map(spendKey));
  }

  addToWindow(id: string, amount: number, windowMs: number, now: number): Promise<number> {
    return this.redis.gatehouseWindow(windowKey(id, windowMs, now), Math.round(amount), windowMs * 2);
  }

  async readWindow(id: string, windowMs: number, now: number): Promise<number> {
    return Number((await this.redis.get(windowKey(id, windowMs, now))) ?? 0);
  }

  async acquireSlots(gauges: readonly SlotGauge[], slotId: string, now: number): Promise<SlotAdmission> {
    const keys = gauges.map((gauge) => gaugeKey(gauge.id));
    const [index, inFlight] = await this.redis.gatehouseAcquire(keys.length, ...keys, now, this.slotTtlMs, slotId, ...gauges.map((gauge) => gauge.limit));
    if (index !== 0) return { admitted: false, index: index - 1, inFlight };
    this.held.set(slotId, keys);
    this.heartbeat ??= setInterval(() => this.refreshHeld(), Math.max(1, Math.floor(this.slotTtlMs / 3))).unref();
    return { admitted: true };
  }

  async releaseSlots(ids: readonly string[], slotId: string): Promise<void> {
    this.held.delete(slotId);
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.zrem(gaugeKey(id), slotId);
    await pipeline.exec();
  }

  /** Vouches for the slots still held, so they outlive SLOT_TTL_MS; `XX`: a slot already given back stays gone. */
  private refreshHeld(): void {
    if (this.held.size === 0) return;
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    for (const [slotId, keys] of this.held) {
      for (const key of keys) pipeline.zadd(key, 'XX', now, slotId).pexpire(key, this.slotTtlMs);
    }
    pipeline.exec().catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
  }

  async close(): Promise<void> {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.held.clear();
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run(counters: readonly PeriodCounter[], amount: number): Promise<number[]> {
    if (counters.length === 0) return [];
    const args: (string | number)[] = counters.map((counter) => spendKey(counter.id));
    args.push(String(amount));
    for (const counter of counters) args.push(counter.period, String(counter.seed));
    const values = await this.redis.gatehousePeriod(counters.length, ...args);
    return values.map(Number);
  }
}

function spendKey(id: string): string {
  return `${PREFIX}spend:${id}`;
}

function gaugeKey(id: string): string {
  return `${PREFIX}${id}`;
}

function windowKey(id: string, windowMs: number, now: number): string {
  return `${PREFIX}window:${id}:${Math.floor(now / windowMs)}`;
}
