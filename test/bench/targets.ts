/** The performance targets Gatehouse is held to, checked against one run. The bench reports; it never fails on them. */
import type { Mode } from './bench-requests.js';
import { findMeasurement, type BenchResults } from './bench-results.js';

export const THROUGHPUT_RATIO_MIN = 0.8;
export const THROUGHPUT_CONNECTIONS = 50;
export const P50_OVERHEAD_MAX_MS = 1;
export const P50_CONNECTIONS: readonly number[] = [1, 10];
export const TTFB_OVERHEAD_MAX_MS = 1;

export interface TargetCheck {
  name: string;
  value: string;
  limit: string;
  met: boolean;
}

const MODE_NAMES: Readonly<Record<Mode, string>> = { json: 'non-streaming', stream: 'streaming' };

export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const mode of results.settings.modes) {
    if (results.settings.connections.includes(THROUGHPUT_CONNECTIONS)) {
      const ratio =
        findMeasurement(results, 'gatehouse', mode, THROUGHPUT_CONNECTIONS).result.requestsPerSecond /
        findMeasurement(results, 'bare', mode, THROUGHPUT_CONNECTIONS).result.requestsPerSecond;
      checks.push({
        name: `throughput Gatehouse / bare, ${MODE_NAMES[mode]}, ${THROUGHPUT_CONNECTIONS} conns`,
        value: ratio.toFixed(2),
        limit: `>= ${THROUGHPUT_RATIO_MIN.toFixed(2)}`,
        met: ratio >= THROUGHPUT_RATIO_MIN,
      });
    }
    for (const connections of P50_CONNECTIONS) {
      if (!results.settings.connections.includes(connections)) continue;
      const overhead =
        findMeasurement(results, 'gatehouse', mode, connections).result.p50Ms -
        findMeasurement(results, 'direct', mode, connections).result.p50Ms;
      checks.push({
        name: `p50 Gatehouse - direct, ${MODE_NAMES[mode]}, ${connections} conn${connections === 1 ? '' : 's'}`,
        value: `${overhead.toFixed(2)} ms`,
        limit: `<= ${P50_OVERHEAD_MAX_MS} ms`,
        met: overhead <= P50_OVERHEAD_MAX_MS,
      });
    }
  }
  const ttfbOverhead = results.ttfb.gatehouse.p50Ms - results.ttfb.bare.p50Ms;
  checks.push({
    name: 'streaming TTFB p50 Gatehouse - bare',
    value: `${ttfbOverhead.toFixed(2)} ms`,
    limit: `<= ${TTFB_OVERHEAD_MAX_MS} ms`,
    met: ttfbOverhead <= TTFB_OVERHEAD_MAX_MS,
  });
  return checks;
}
