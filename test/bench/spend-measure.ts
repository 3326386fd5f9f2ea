/**
 * The spend-logging case (issue #7): the same Gatehouse build with spend logs on (the default) and off
 * (`general_settings.disable_spend_logs: true`), non-streaming chat at 10 connections through autocannon, in
 * alternating slices (so a burst of foreign load hits both), at least six pairs and until each side has served at
 * least SPEND_MIN_REQUESTS requests. Reports p50/p99 and the on/off p50 ratio, and how many rows the "on" side logged.
 */
import { combineSlices, runLoadSlice, warmUp, type LoadResult, type LoadSlice } from './load.js';
import type { Target } from './measure.js';
import { ms, type Table } from './report.js';
import { SPEND_P50_RATIO_MAX, type TargetCheck } from './targets.js';

/** Issue #7: "logging 10,000 requests adds no measurable p50 latency". */
export const SPEND_MIN_REQUESTS = 10_000;
/** At least `minRounds` slice pairs (noise averages out), and more until both sides reach SPEND_MIN_REQUESTS. */
const SPEND_PLAN = { connections: 10, sliceS: 1, warmupS: 1, minRounds: 6, maxRounds: 30 };

export interface SpendResults {
  on: LoadResult;
  off: LoadResult;
  /** Rows `GET /spend/logs` returned on the "on" side after the run (capped at its page size). */
  rowsLogged: number;
}

type Log = (line: string) => void;

export async function measureSpendLogging(targets: { on: Target; off: Target }, log: Log): Promise<SpendResults> {
  await warmUp(targets.on.port, SPEND_PLAN.warmupS);
  await warmUp(targets.off.port, SPEND_PLAN.warmupS);
  const slices: Record<'on' | 'off', LoadSlice[]> = { on: [], off: [] };
  const served = (side: 'on' | 'off') => slices[side].reduce((sum, slice) => sum + slice.ok, 0);
  const enough = (round: number) => round >= SPEND_PLAN.minRounds && served('on') >= SPEND_MIN_REQUESTS && served('off') >= SPEND_MIN_REQUESTS;
  for (let round = 0; round < SPEND_PLAN.maxRounds && !enough(round); round++) {
    // Alternate which side goes first, so neither always runs right after the other's load.
    const order: ('on' | 'off')[] = round % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
    for (const side of order) {
      slices[side].push(await runLoadSlice({ port: targets[side].port, connections: SPEND_PLAN.connections, durationS: SPEND_PLAN.sliceS, mode: 'json' }));
    }
    log(`spend logging: ${served('on')} requests logged on, ${served('off')} off`);
  }
  const rowsLogged = await countRows(targets.on.port);
  return { on: combineSlices(slices.on), off: combineSlices(slices.off), rowsLogged };
}

/** The "on" side's rows (GET /spend/logs writes the buffered ones first); the bench config has no master key. */
async function countRows(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/spend/logs?limit=10000`);
  if (!response.ok) throw new Error(`GET /spend/logs answered ${response.status}`);
  return ((await response.json()) as unknown[]).length;
}

export function spendRatio(results: SpendResults): number {
  return results.on.p50Ms / results.off.p50Ms;
}

export function spendSummaryLines(results: SpendResults): string[] {
  return [
    `spend logging: ${results.on.ok} requests with spend logs on, ${results.off.ok} off (${SPEND_PLAN.connections} connections, non-streaming); ` +
      `p50 on/off ${spendRatio(results).toFixed(3)}; ${results.rowsLogged >= 10_000 ? '≥ 10000' : results.rowsLogged} rows logged`,
  ];
}

export function spendTables(results: SpendResults): Table[] {
  const row = (label: string, result: LoadResult) => [label, String(result.ok), result.requestsPerSecond.toFixed(0), ms(result.p50Ms), ms(result.p99Ms), String(result.failed)];
  return [
    {
      title: `Spend logging on vs off (${SPEND_PLAN.connections} connections, non-streaming chat)`,
      headers: ['spend logs', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'failed'],
      leftColumns: 1,
      rows: [row('on (default)', results.on), row('off (disable_spend_logs)', results.off)],
    },
  ];
}

export function evaluateSpendTargets(results: SpendResults): TargetCheck[] {
  const ratio = spendRatio(results);
  return [
    {
      name: `p50 spend logs on / off, ${SPEND_PLAN.connections} conns, >= ${SPEND_MIN_REQUESTS} requests each`,
      value: ratio.toFixed(3),
      limit: `<= ${SPEND_P50_RATIO_MAX.toFixed(2)}`,
      met: ratio <= SPEND_P50_RATIO_MAX && results.on.ok >= SPEND_MIN_REQUESTS && results.off.ok >= SPEND_MIN_REQUESTS,
    },
  ];
}
