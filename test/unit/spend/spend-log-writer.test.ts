/**
 * Issue #7 point 3: the spend-log writer batches rows off the request path (record() never writes), writes a batch
 * at the size threshold or on flush/close, and drops a batch that fails twice without throwing. Runs on a real
 * SQLite store (in memory).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SpendLogWriter } from '../../../src/spend/spend-log-writer.js';
import type { SpendRecord } from '../../../src/spend/spend-types.js';
import { openStore, type Store } from '../../../src/store/index.js';

const logged: { level: string; message: string }[] = [];
const logger = {
  warn: (_object: object, message: string) => void logged.push({ level: 'warn', message }),
  error: (_object: object, message: string) => void logged.push({ level: 'error', message }),
};

let store: Store | undefined;
afterEach(async () => {
  await store?.close().catch(() => {});
  store = undefined;
  logged.length = 0;
});

const record = (n: number): SpendRecord => ({
  requestId: `req-${n}`,
  callType: 'chat_completion',
  model: 'm',
  promptTokens: 1,
  completionTokens: 1,
  totalTokens: 2,
  cost: 0.5,
  startTime: new Date(1_000 + n),
  endTime: new Date(2_000 + n),
  status: 'success',
});

const open = async () => (store = await openStore({ databaseUrl: 'sqlite::memory:', sqlitePath: '' }));
const stored = async (s: Store) => (await s.spendLogs.list({ limit: 10_000 })).length;

describe('SpendLogWriter', () => {
  it('buffers records (nothing written synchronously) and writes them all on flush', async () => {
    const s = await open();
    const writer = new SpendLogWriter(s.spendLogs, { flushIntervalMs: 60_000, batchSize: 100, maxBuffered: 1000 }, logger);
    for (let n = 0; n < 5; n++) writer.record(record(n));
    expect(await stored(s)).toBe(0);
    await writer.flush();
    expect(await stored(s)).toBe(5);
    await writer.close();
  });

  it('writes a full batch by itself (no flush, no timer), and the rest on flush', async () => {
    const s = await open();
    const writer = new SpendLogWriter(s.spendLogs, { flushIntervalMs: 60_000, batchSize: 3, maxBuffered: 1000 }, logger);
    for (let n = 0; n < 4; n++) writer.record(record(n));
    // Event-loop turns, not time: the threshold write is scheduled with setImmediate.
    for (let turn = 0; turn < 100 && (await stored(s)) < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(await stored(s)).toBeGreaterThanOrEqual(3);
    await writer.flush();
    expect(await stored(s)).toBe(4);
    await writer.close();
  });

  it('writes what is left on close and ignores records after it', async () => {
    const s = await open();
    const writer = new SpendLogWriter(s.spendLogs, { flushIntervalMs: 60_000, batchSize: 100, maxBuffered: 1000 }, logger);
    writer.record(record(1));
    await writer.close();
    writer.record(record(2));
    await writer.flush();
    expect(await stored(s)).toBe(1);
  });

  it('logs and drops a batch the store refuses twice, without throwing, and keeps writing later batches', async () => {
    const s = await open();
    const writer = new SpendLogWriter(s.spendLogs, { flushIntervalMs: 60_000, batchSize: 100, maxBuffered: 1000 }, logger);
    writer.record(record(1));
    await writer.flush();
    // The same request id again: the primary key refuses the batch on both tries.
    writer.record(record(1));
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(logged).toEqual([{ level: 'error', message: 'spend logs: batch write failed twice; rows dropped' }]);
    writer.record(record(2));
    await writer.flush();
    expect(await stored(s)).toBe(2);
  });

  it('drops the oldest rows beyond maxBuffered, saying so', async () => {
    const s = await open();
    const writer = new SpendLogWriter(s.spendLogs, { flushIntervalMs: 60_000, batchSize: 100, maxBuffered: 2 }, logger);
    for (let n = 0; n < 3; n++) writer.record(record(n));
    await writer.flush();
    expect((await s.spendLogs.list({ limit: 10 })).map((row) => row.request_id).sort()).toEqual(['req-1', 'req-2']);
    expect(logged.map((entry) => entry.level)).toEqual(['warn']);
  });
});
