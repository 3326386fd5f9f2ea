/**
 * Load measurements: autocannon with a fixed number of keep-alive connections for a fixed time.
 * Latencies are taken from every response at full resolution, since autocannon's histogram keeps whole ms.
 */
import autocannon from 'autocannon';
import { CHAT_PATH, REQUEST_BODIES, REQUEST_HEADERS, type Mode } from './bench-requests.js';
import { percentiles, SampleBuffer } from './percentiles.js';

const REQUEST_TIMEOUT_S = 10;

export interface LoadSpec {
  port: number;
  connections: number;
  durationS: number;
  mode: Mode;
}

/** One autocannon run, kept raw so several short runs of the same cell can be pooled. */
export interface LoadSlice {
  durationS: number;
  ok: number;
  failed: number;
  latenciesMs: Float64Array;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** 2xx responses. */
  ok: number;
  /** Connection errors, timeouts and non-2xx answers together. */
  failed: number;
}

export async function runLoadSlice(spec: LoadSpec): Promise<LoadSlice> {
  const latencies = new SampleBuffer();
  const instance = autocannon({
    url: `http://127.0.0.1:${spec.port}${CHAT_PATH}`,
    method: 'POST',
    headers: { ...REQUEST_HEADERS },
    body: REQUEST_BODIES[spec.mode],
    connections: spec.connections,
    duration: spec.durationS,
    pipelining: 1,
    timeout: REQUEST_TIMEOUT_S,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTimeMs);
  });
  const result = await instance;
  return {
    durationS: result.duration,
    ok: result['2xx'],
    failed: result.errors + result.timeouts + result.non2xx,
    latenciesMs: latencies.values(),
  };
}

/** Pools slices: throughput over their summed time, percentiles over every response of every slice. */
export function combineSlices(slices: readonly LoadSlice[]): LoadResult {
  const all = new SampleBuffer();
  let durationS = 0;
  let ok = 0;
  let failed = 0;
  for (const slice of slices) {
    for (const latency of slice.latenciesMs) all.push(latency);
    durationS += slice.durationS;
    ok += slice.ok;
    failed += slice.failed;
  }
  const { p50, p99 } = percentiles(all.values());
  return { requestsPerSecond: durationS > 0 ? ok / durationS : 0, p50Ms: p50, p99Ms: p99, ok, failed };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return combineSlices([await runLoadSlice(spec)]);
}

/** Exercises both paths of a target (JSON and SSE alternate per request) so the JIT is warm before timing. */
export async function warmUp(port: number, durationS: number): Promise<void> {
  const request = (mode: Mode) => ({ method: 'POST', path: CHAT_PATH, headers: { ...REQUEST_HEADERS }, body: REQUEST_BODIES[mode] });
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 10,
    duration: durationS,
    timeout: REQUEST_TIMEOUT_S,
    requests: [request('json'), request('stream')],
  });
}
