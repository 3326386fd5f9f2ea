/**
 * SpendCounters shared across replicas through Redis (REDIS_URL). Spend: one hash per entity `{p: period, v: USD}`,
 * updated by a Lua script (seed-or-reset, then HINCRBYFLOAT) so concurrent replicas never lose an increment or
 * reset twice. Rate windows: `INCRBY` on a key per (id, minute) that expires after two windows.
 */
import { Redis } from 'ioredis';
import type { PeriodCounter, SpendCounters } from './budget-counters.js';

const PREFIX = 'gatehouse:';

/** KEYS: counter hashes. ARGV[1]: amount; then period, seed per key. Returns each counter's value after the add. */
const PERIOD_SCRIPT = `
local amount = ARGV[1]
local out = {}
for i, key in ipairs(KEYS) do
  local period = tonumber(ARGV[2 * i])
  local stored = redis.call('HGET', key, 'p')
  if not stored then
    redis.call('HSET', key, 'p', period, 'v', ARGV[2 * i + 1])
  elseif tonumber(stored) < period then
    redis.call('HSET', key, 'p', period, 'v', 0)
  end
  if tonumber(amount) ~= 0 then
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

interface ScriptedRedis extends Redis {
  gatehousePeriod(keyCount: number, ...args: (string | number)[]): Promise<string[]>;
  gatehouseWindow(key: string, amount: number, ttlMs: number): Promise<number>;
}

export class RedisCounters implements SpendCounters {
  private readonly redis: ScriptedRedis;

  constructor(url: string, onError: (error: Error) => void) {
    const redis = new Redis(url, { maxRetriesPerRequest: 1, commandTimeout: 2_000, enableOfflineQueue: true, lazyConnect: true });
    redis.defineCommand('gatehousePeriod', { lua: PERIOD_SCRIPT });
    redis.defineCommand('gatehouseWindow', { lua: WINDOW_SCRIPT, numberOfKeys: 1 });
    redis.on('error', onError);
    this.redis = redis as ScriptedRedis;
  }

  read(counters: readonly PeriodCounter[]): Promise<number[]> {
    return this.run(counters, 0);
  }

  async add(counters: readonly PeriodCounter[], amount: number): Promise<void> {
    await this.run(counters, amount);
  }

  addToWindow(id: string, amount: number, windowMs: number, now: number): Promise<number> {
    return this.redis.gatehouseWindow(windowKey(id, windowMs, now), Math.round(amount), windowMs * 2);
  }

  async readWindow(id: string, windowMs: number, now: number): Promise<number> {
    return Number((await this.redis.get(windowKey(id, windowMs, now))) ?? 0);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async run(counters: readonly PeriodCounter[], amount: number): Promise<number[]> {
    if (counters.length === 0) return [];
    const args: (string | number)[] = counters.map((counter) => `${PREFIX}spend:${counter.id}`);
    args.push(String(amount));
    for (const counter of counters) args.push(counter.period, String(counter.seed));
    const values = await this.redis.gatehousePeriod(counters.length, ...args);
    return values.map(Number);
  }
}

function windowKey(id: string, windowMs: number, now: number): string {
  return `${PREFIX}window:${id}:${Math.floor(now / windowMs)}`;
}
