/**
 * The counters budgets and rate limits read and feed: one per (entity, budget period) for spend, one per (key or
 * team, minute) for requests and tokens, and one gauge per key or team of the requests in flight
 * (`max_parallel_requests`). `MemoryCounters` keeps them in this process; budget-redis-counters.ts shares them across
 * replicas through Redis (REDIS_URL). Both apply the same rules, so a test of one states the other's behaviour.
 */

/** One entity's spend counter for its current budget period. */
export interface PeriodCounter {
  /** `key:<sha256>`, `team:<id>`, `org:<id>`. */
  id: string;
  /** budget-duration.ts `budgetPeriod`; a counter last written in an older period starts again from 0. */
  period: number;
  /** Where a counter never seen before starts, when `read` meets it: the entity's stored `spend`. */
  seed: number;
}

export interface SpendCounters {
  /** Current values, in order (seeding unseen counters, resetting ones from an older period). */
  read(counters: readonly PeriodCounter[]): Promise<number[]>;
  /**
   * Adds `amount` (USD) to each counter that exists. A counter not there (forgotten since its last `read`) is left
   * for the next `read` to seed: a seed remembered before `forget` would bring the forgotten spend back.
   */
  add(counters: readonly PeriodCounter[], amount: number): Promise<void>;
  /** Drops these spend counters (`key:<token>`, …): the next `read` seeds them again from the stored spend. */
  forget(ids: readonly string[]): Promise<void>;
  /** Adds `amount` to the fixed window `now` falls in and returns the window's new total. */
  addToWindow(id: string, amount: number, windowMs: number, now: number): Promise<number>;
  /** The total of the fixed window `now` falls in. */
  readWindow(id: string, windowMs: number, now: number): Promise<number>;
  /** Takes slot `slotId` in every gauge, or in none when one already holds its `limit`. */
  acquireSlots(gauges: readonly SlotGauge[], slotId: string, now: number): Promise<SlotAdmission>;
  /** Gives slot `slotId` back; a slot not held (never taken, already given back) changes nothing. */
  releaseSlots(ids: readonly string[], slotId: string): Promise<void>;
  close(): Promise<void>;
}

/** A gauge of requests in flight: `parallel:key:<sha256>`, `parallel:team:<id>`. */
export interface SlotGauge {
  id: string;
  limit: number;
}

/** `index`: the first gauge that was full, and how many it held. */
export type SlotAdmission = { admitted: true } | { admitted: false; index: number; inFlight: number };

interface Stored {
  period: number;
  value: number;
}

export class MemoryCounters implements SpendCounters {
  private readonly periods = new Map<string, Stored>();
  private readonly windows = new Map<string, Stored>();
  /** Slot ids per gauge: giving a slot back twice cannot free another request's. */
  private readonly gauges = new Map<string, Set<string>>();

  async read(counters: readonly PeriodCounter[]): Promise<number[]> {
    return counters.map((counter) => this.current(counter).value);
  }

  async add(counters: readonly PeriodCounter[], amount: number): Promise<void> {
    for (const counter of counters) {
      if (this.periods.has(counter.id)) this.current(counter).value += amount;
    }
  }

  async forget(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.periods.delete(id);
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

  async acquireSlots(gauges: readonly SlotGauge[], slotId: string): Promise<SlotAdmission> {
    for (const [index, gauge] of gauges.entries()) {
      const inFlight = this.gauges.get(gauge.id)?.size ?? 0;
      if (inFlight >= gauge.limit) return { admitted: false, index, inFlight };
    }
    for (const gauge of gauges) {
      let slots = this.gauges.get(gauge.id);
      if (slots === undefined) this.gauges.set(gauge.id, (slots = new Set()));
      slots.add(slotId);
    }
    return { admitted: true };
  }

  async releaseSlots(ids: readonly string[], slotId: string): Promise<void> {
    for (const id of ids) {
      const slots = this.gauges.get(id);
      if (slots?.delete(slotId) === true && slots.size === 0) this.gauges.delete(id);
    }
  }

  async close(): Promise<void> {
    this.periods.clear();
    this.windows.clear();
    this.gauges.clear();
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
