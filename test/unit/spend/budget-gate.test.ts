/** Counter seeding and resets, and the gate's decisions (issue #7 part 2, point 3); periods: budget-duration.test.ts. */
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../src/auth/resolve-caller.js';
import { createLogger } from '../../../src/http/logger.js';
import { BudgetExceededError } from '../../../src/http/errors.js';
import { MemoryCounters } from '../../../src/spend/budget-counters.js';
import { BudgetGate } from '../../../src/spend/budget-gate.js';
import type { SpendRecord } from '../../../src/spend/spend-types.js';
import type { KeyRecord } from '../../../src/store/index.js';

const HOUR = 3_600_000;

function keyCaller(overrides: Partial<KeyRecord>): Caller {
  const key: KeyRecord = {
    token: 'hash-1',
    key_name: 'sk-...abcd',
    key_alias: null,
    models: [],
    max_budget: null,
    spend: 0,
    expires: null,
    metadata: {},
    team_id: null,
    user_id: null,
    object_permission: null,
    blocked: false,
    created_at: 0,
    updated_at: 0,
    ...overrides,
  };
  return { kind: 'key', key, team: null, organization: null };
}

function spent(cost: number): SpendRecord {
  const at = new Date(0);
  return { requestId: 'r', keyHash: 'hash-1', callType: 'call_mcp_tool', model: 'MCP: s/t', promptTokens: 0, completionTokens: 0, totalTokens: 0, cost, startTime: at, endTime: at, status: 'success' };
}

describe('MemoryCounters', () => {
  it('seeds an unseen counter from the stored spend and resets it to 0 in a later period', async () => {
    const counters = new MemoryCounters();
    expect(await counters.read([{ id: 'key:a', period: 0, seed: 3 }])).toEqual([3]);
    await counters.add([{ id: 'key:a', period: 0, seed: 99 }], 0.5);
    expect(await counters.read([{ id: 'key:a', period: 0, seed: 99 }])).toEqual([3.5]);
    expect(await counters.read([{ id: 'key:a', period: 1, seed: 99 }])).toEqual([0]);
  });

  it('keeps fixed windows apart', async () => {
    const counters = new MemoryCounters();
    expect(await counters.addToWindow('rpm', 1, 60_000, 1_000)).toBe(1);
    expect(await counters.addToWindow('rpm', 1, 60_000, 59_999)).toBe(2);
    expect(await counters.addToWindow('rpm', 1, 60_000, 60_000)).toBe(1);
    expect(await counters.readWindow('rpm', 60_000, 60_001)).toBe(1);
    expect(await counters.readWindow('rpm', 60_000, 120_000)).toBe(0);
  });
});

describe('MemoryCounters: max_parallel_requests gauges', () => {
  const gauges = [
    { id: 'parallel:key:a', limit: 2 },
    { id: 'parallel:team:t', limit: 1 },
  ];

  it('takes a slot in every gauge or in none, and names the first full gauge', async () => {
    const counters = new MemoryCounters();
    expect(await counters.acquireSlots(gauges, 's1')).toEqual({ admitted: true });
    // The team gauge is full: the key gauge is not touched either.
    expect(await counters.acquireSlots(gauges, 's2')).toEqual({ admitted: false, index: 1, inFlight: 1 });
    expect(await counters.acquireSlots(gauges.slice(0, 1), 's3')).toEqual({ admitted: true });
    expect(await counters.acquireSlots(gauges.slice(0, 1), 's4')).toEqual({ admitted: false, index: 0, inFlight: 2 });
  });

  it('giving a slot back twice, or one never taken, frees no other request\'s slot', async () => {
    const counters = new MemoryCounters();
    const key = gauges.slice(0, 1);
    await counters.acquireSlots(key, 's1');
    await counters.acquireSlots(key, 's2');
    await counters.releaseSlots(['parallel:key:a'], 's1');
    await counters.releaseSlots(['parallel:key:a'], 's1');
    await counters.releaseSlots(['parallel:key:a'], 'never-taken');
    expect(await counters.acquireSlots(key, 's3')).toEqual({ admitted: true });
    expect(await counters.acquireSlots(key, 's4')).toEqual({ admitted: false, index: 0, inFlight: 2 });
  });
});

describe('BudgetGate', () => {
  const logger = createLogger({ level: 'silent' });

  it('refuses once recorded spend reaches max_budget, and admits again when budget_duration starts a new period', async () => {
    let now = 10;
    const gate = new BudgetGate(new MemoryCounters(), logger, () => now);
    const caller = keyCaller({ max_budget: 1, budget_duration: '1h', spend: 0.5 });
    expect(gate.applies(caller)).toBe(true);
    await gate.check(caller);
    gate.sink.record(spent(0.25));
    await gate.check(caller); // 0.75 < 1
    gate.sink.record(spent(0.25));
    await expect(gate.check(caller)).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(gate.check(caller)).rejects.toThrow(/current cost 1, max budget 1\. The budget resets at 1970-01-01T01:00:00\.000Z/);
    now = HOUR;
    await expect(gate.check(caller)).resolves.toBeNull();
  });

  it('forgetSpend (/key/update set spend): the next check starts from the stored spend; spend recorded in between does not bring the old counter back', async () => {
    const gate = new BudgetGate(new MemoryCounters(), logger, () => 10);
    await gate.check(keyCaller({ max_budget: 1, spend: 0.5 }));
    gate.sink.record(spent(0.5));
    await expect(gate.check(keyCaller({ max_budget: 1, spend: 0.5 }))).rejects.toBeInstanceOf(BudgetExceededError);
    await gate.forgetSpend('key', 'hash-1');
    gate.sink.record(spent(0.5)); // a request admitted before the update ends after it
    const reset = keyCaller({ max_budget: 1, spend: 0 });
    await expect(gate.check(reset)).resolves.toBeNull();
    gate.sink.record(spent(0.75));
    await expect(gate.check(reset)).resolves.toBeNull();
    gate.sink.record(spent(0.25));
    await expect(gate.check(reset)).rejects.toThrow(/current cost 1, max budget 1/);
  });

  it('does nothing for callers without limits, nor for spend of entities it never checked', async () => {
    const gate = new BudgetGate(new MemoryCounters(), logger, () => 0);
    expect(gate.applies({ kind: 'master' })).toBe(false);
    expect(gate.applies(keyCaller({}))).toBe(false);
    gate.sink.record(spent(100));
    await expect(gate.check(keyCaller({ max_budget: 1 }))).resolves.toBeNull();
  });
});
