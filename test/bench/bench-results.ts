/** What one bench run produced, shared by the runner, the target checks and the report. */
import type { Mode } from './bench-requests.js';
import type { LoadResult } from './load.js';
import type { TtfbResult } from './ttfb.js';

export type TargetName = 'direct' | 'bare' | 'gatehouse';

export const TARGET_NAMES: readonly TargetName[] = ['direct', 'bare', 'gatehouse'];

export const TARGET_LABELS: Readonly<Record<TargetName, string>> = {
  direct: 'direct (fixture)',
  bare: 'bare Fastify+undici',
  gatehouse: 'Gatehouse',
};

export interface Measurement {
  target: TargetName;
  mode: Mode;
  connections: number;
  result: LoadResult;
  /** CPU the target's own process spent per 2xx response (the fixture's for direct), when /proc is readable. */
  cpuUsPerRequest: number | undefined;
}

export interface LlmSettings {
  /** Per target and cell, split into `rounds` slices taken in rotation with the other targets. */
  durationS: number;
  rounds: number;
  connections: readonly number[];
  modes: readonly Mode[];
  ttfbRequests: number;
}

/** The chat-proxy case: direct vs bare vs Gatehouse on /v1/chat/completions. */
export interface LlmResults {
  settings: LlmSettings;
  measurements: Measurement[];
  ttfb: Record<TargetName, TtfbResult>;
}

/** The machine and the whole run, whichever cases it measured. */
export interface RunInfo {
  node: string;
  cpus: number;
  cpuModel: string;
  elapsedS: number;
  /** Wall time from the first warm-up to the last measurement. */
  measuringS: number;
  /** CPU-seconds used meanwhile by processes that are not part of the bench (Linux only). */
  foreignCpuS: number | undefined;
}

export function findMeasurement(results: LlmResults, target: TargetName, mode: Mode, connections: number): Measurement {
  const found = results.measurements.find(
    (item) => item.target === target && item.mode === mode && item.connections === connections,
  );
  if (!found) throw new Error(`no measurement for ${target} ${mode} c=${connections}`);
  return found;
}
