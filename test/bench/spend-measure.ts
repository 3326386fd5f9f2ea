/**
 * The spend-logging case (issue #7): the same Gatehouse build with spend logs on (the default) and off
 * (`general_settings.disable_spend_logs: true`), non-streaming chat at 10 connections through autocannon, in
 * alternating slices (so a burst of foreign load hits both), until each side has served at least SPEND_MIN_REQUESTS
 * requests. Reports p50/p99 and the on/off p50 ratio, and how many rows the "on" side logged.
 *
 * Counterbalanced over two pairs of processes. A/A runs (both sides with logs off) showed the process warmed up
 * first serving 2–7% fewer requests than the other for its whole life, whatever its role and start order (13 of 17
 * runs; docs/benchmarks.md), which is as large as the effect measured. So the first pair warms "on" first and the
 * second pair, fresh processes, warms "off" first; each pair serves half the requests.
 */
import { combineSlices, runLoadSlice, warmUp, type LoadResult, type LoadSlice } from './load.js';
import type { Target } from './measure.js';
import { ms, type Table } from './report.js';
import { SPEND_P50_RATIO_MAX, type TargetCheck } from './targets.js';

/** Issue #7: "logging 10,000 requests adds no measurable p50 latency". */
export const SPEND_MIN_REQUESTS = 10_000;
/** Per pair: at least `minRounds` slice pairs (noise averages out), and more until both sides reach their share. */
const SPEND_PLAN = { connections: 10, sliceS: 1, warmupS: 1, minRounds: 4, maxRounds: 15 };

type Side = 'on' | 'off';

/** Two Gatehouse processes of the same build: spend logs on, and off. */
export type SpendPair = Record<Side, Target>;

export interface SpendResults {
  on: LoadResult;
  off: LoadResult;
  /** Rows `GET /spend/logs` returned on the "on" sides after the run (capped at its page size per process). */
  rowsLogged: number;
}

type Log = (line: string) => void;

export async function measureSpendLogging(pairs: readonly SpendPair[], log: Log): Promise<SpendResults> {
  const slices: Record<Side, LoadSlice[]> = { on: [], off: [] };
  const served = (side: Side) => slices[side].reduce((sum, slice) => sum + slice.ok, 0);
  let rowsLogged = 0;
  for (const [index, pair] of pairs.entries()) {
    // Pair 1 warms and starts with "on", pair 2 with "off"; within a pair the order alternates every round.
    const first: Side = index % 2 === 0 ? 'on' : 'off';
    const second: Side = first === 'on' ? 'off' : 'on';
    await warmUp(pair[first].port, SPEND_PLAN.warmupS);
    await warmUp(pair[second].port, SPEND_PLAN.warmupS);
    const share = (SPEND_MIN_REQUESTS * (index + 1)) / pairs.length;
    const enough = (round: number) => round >= SPEND_PLAN.minRounds && served('on') >= share && served('off') >= share;
    for (let round = 0; round < SPEND_PLAN.maxRounds && !enough(round); round++) {
      for (const side of round % 2 === 0 ? [first, second] : [second, first]) {
        slices[side].push(await runLoadSlice({ port: pair[side].port, connections: SPEND_PLAN.connections, durationS: SPEND_PLAN.sliceS, mode: 'json' }));
      }
      log(`spend logging, pair ${index + 1}: ${served('on')} requests logged on, ${served('off')} off`);
    }
    rowsLogged += await countRows(pair.on.port);
  }
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
    `spend logging: ${results.on.ok} requests with spend logs on, ${results.off.ok} off (${SPEND_PLAN.connections} connections, non-streaming, two pairs of processes); ` +
      `p50 on/off ${spendRatio(results).toFixed(3)}; ${results.rowsLogged >= SPEND_MIN_REQUESTS ? `≥ ${SPEND_MIN_REQUESTS}` : results.rowsLogged} rows logged`,
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
