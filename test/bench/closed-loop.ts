/**
 * Closed-loop load for the MCP and agent cases: each worker (one session or connection) runs its operation
 * again as soon as the last one finished, for a fixed time. Latency is timed per operation at full resolution;
 * the result is a `LoadSlice`, so slices pool with `combineSlices` like autocannon's.
 */
import type { LoadSlice } from './load.js';
import { SampleBuffer } from './percentiles.js';

/** One unit of work; it throws when the answer is wrong. */
export type Operation = (sequence: number) => Promise<void>;

/** A failing target would otherwise spin; the first few failures are kept to explain the count. */
const KEPT_ERRORS = 3;

export interface ClosedLoopSlice extends LoadSlice {
  errors: string[];
}

export async function runClosedLoop(workers: readonly Operation[], durationS: number): Promise<ClosedLoopSlice> {
  const latencies = new SampleBuffer();
  const errors: string[] = [];
  let ok = 0;
  let failed = 0;
  const startedAt = performance.now();
  const endAt = startedAt + durationS * 1000;
  const work = async (operation: Operation, worker: number) => {
    for (let sequence = worker; performance.now() < endAt; sequence += workers.length) {
      const start = performance.now();
      try {
        await operation(sequence);
        latencies.push(performance.now() - start);
        ok++;
      } catch (error) {
        failed++;
        if (errors.length < KEPT_ERRORS) errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(workers.map((operation, worker) => work(operation, worker)));
  return { durationS: (performance.now() - startedAt) / 1000, ok, failed, latenciesMs: latencies.values(), errors };
}

/** The failure count and the first errors of a slice, for the progress log; empty when nothing failed. */
export function failureNote(slice: ClosedLoopSlice): string {
  return slice.failed === 0 ? '' : `  failed ${slice.failed} (${slice.errors.join(' | ')})`;
}
