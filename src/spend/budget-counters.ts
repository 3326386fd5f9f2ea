/**
 * The counters budgets and rate limits read and feed: one per (entity, budget period) for spend, one per (key, minute)
 * for requests and tokens. `MemoryCounters` keeps them in this process; budget-redis-counters.ts shares them across
 * replicas through Redis (REDIS_URL). Both apply the same rules, so a test of one states the other's behaviour.
 */

/** One entity's spend counter for its current budget period. */
export interface PeriodCounter {
  /** `key:<sha256>`, `team:<id>`, `org:<id>`. */
  id: string;
  /** budget-duration.ts `budgetPeriod`; a counter last written in an older period starts again from 0. */
  period: number;
  /** Where a counter never seen before starts: the entity's stored `spend`. */
  seed: number;
}

export interface SpendCounters {
  /** Current values, in order (seeding unseen counters, resetting ones from an older period). */
  read(counters: readonly PeriodCounter[]): Promise<number[]>;
  /** Adds `amount` (USD) to each counter. */
  add(counters: readonly PeriodCounter[], amount: number): Promise<void>;
  /** Adds `amount` to the fixed window `now` falls in and returns the window's new total. */
  addToWindow(id: string, amount: number, windowMs: number, now: number): Promise<number>;
  /** The total of the fixed window `now` falls in. */
  readWindow(id: string, windowMs: number, now: number): Promise<number>;
  close(): Promise<void>;
}

interface Stored {
  period: number;
  value: number;
}

export class MemoryCounters implements SpendCounters {
  private readonly periods = new Map<string, Stored>();
  private readonly windows = new Map<string, Stored>();

  async read(counters: readonly PeriodCounter[]): Promise<number[]> {
    return counters.map((counter) => this.current(counter).value);
  }

  async add(counters: readonly PeriodCounter[], amount: number): Promise<void> {
    for (const counter of counters) this.current(counter).value += amount;
  }

  async addToWindow(id: string, amount: number, windowMs: number, now: number): Promise<number> {
    const window = Math.floor(now / windowMs);
    const stored = this.windows.get(id);
    if (stored === undefined || stored.period !== window) {
      this.windows.set(id, { period: window, value: amount });
      return amount;
    }
    stored.value += amount;
    return stored.value;
  }

  async readWindow(id: string, windowMs: number, now: number): Promise<number> {
    const stored = this.windows.get(id);
    return stored !== undefined && stored.period === Math.floor(now / windowMs) ? stored.value : 0;
  }

  async close(): Promise<void> {
    this.periods.clear();
    this.windows.clear();
  }

  private current(counter: PeriodCounter): Stored {
    let stored = this.periods.get(counter.id);
    if (stored === undefined) {
      stored = { period: counter.period, value: counter.seed };
      this.periods.set(counter.id, stored);
    } else if (stored.period < counter.period) {
      stored.period = counter.period;
      stored.value = 0;
    }
    return stored;
  }
}
