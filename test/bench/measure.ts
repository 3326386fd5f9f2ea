/**
 * The measurement plan: every (mode, connections) cell for every target, in rotating slices, with each
 * target process's CPU time; then the sequential streaming TTFB per target.
 */
import type { Mode } from './bench-requests.js';
import { TARGET_NAMES, type Measurement, type TargetName } from './bench-results.js';
import { combineSlices, runLoadSlice, type LoadSlice } from './load.js';
import { processCpuMs } from './process-cpu.js';
import { measureTtfb, type TtfbResult } from './ttfb.js';

export interface Target {
  port: number;
  /** The process whose CPU is charged to the target (the fixture, for direct). */
  pid: number | undefined;
}

export interface LoadPlan {
  modes: readonly Mode[];
  connections: readonly number[];
  /** Slices per target and cell, taken in rotation so a burst of foreign load hits all targets alike. */
  rounds: number;
  sliceS: number;
}

export async function measureLoad(
  targets: Record<TargetName, Target>,
  plan: LoadPlan,
  log: (line: string) => void,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  for (const mode of plan.modes) {
    for (const connections of plan.connections) {
      const slices: Record<TargetName, LoadSlice[]> = { direct: [], bare: [], gatehouse: [] };
      const cpuMs: Record<TargetName, number | undefined> = { direct: 0, bare: 0, gatehouse: 0 };
      for (let round = 0; round < plan.rounds; round++) {
        for (const name of TARGET_NAMES) {
          const { port, pid } = targets[name];
          const before = processCpuMs(pid);
          slices[name].push(await runLoadSlice({ port, connections, durationS: plan.sliceS, mode }));
          const after = processCpuMs(pid);
          const used = cpuMs[name];
          cpuMs[name] = before === undefined || after === undefined || used === undefined ? undefined : used + after - before;
        }
      }
      for (const target of TARGET_NAMES) {
        const result = combineSlices(slices[target]);
        const used = cpuMs[target];
        const cpuUsPerRequest = used === undefined || result.ok === 0 ? undefined : (used * 1000) / result.ok;
        measurements.push({ target, mode, connections, result, cpuUsPerRequest });
        log(
          `${mode.padEnd(6)} c=${String(connections).padEnd(2)} ${target.padEnd(9)} ` +
            `${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  ` +
            `p99 ${result.p99Ms.toFixed(2)} ms  cpu ${cpuUsPerRequest?.toFixed(0) ?? '-'} us/req` +
            (result.failed ? `  failed ${result.failed}` : ''),
        );
      }
    }
  }
  return measurements;
}

export async function measureAllTtfb(
  targets: Record<TargetName, Target>,
  spec: { warmups: number; requests: number },
  log: (line: string) => void,
): Promise<Record<TargetName, TtfbResult>> {
  const run = async (name: TargetName) => {
    const result = await measureTtfb({ port: targets[name].port, ...spec });
    log(`ttfb ${name.padEnd(9)} p50 ${result.p50Ms.toFixed(3)} ms  p99 ${result.p99Ms.toFixed(3)} ms`);
    return result;
  };
  // One after another: concurrent TTFB clients would measure each other.
  const direct = await run('direct');
  const bare = await run('bare');
  const gatehouse = await run('gatehouse');
  return { direct, bare, gatehouse };
}
