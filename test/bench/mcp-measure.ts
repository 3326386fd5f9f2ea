/**
 * The MCP gateway case: N concurrent sessions calling `tools/call` in a closed loop, direct to the MCP fixture,
 * through the bare pass-through and through Gatehouse's `/bench/mcp`, in rotating slices, with the CPU each
 * process spends per call.
 */
import { Pool } from 'undici';
import { failureNote, runClosedLoop, type ClosedLoopSlice, type Operation } from './closed-loop.js';
import { combineSlices } from './load.js';
import { McpBenchSession } from './mcp-session.js';
import { MCP_TARGET_NAMES, type McpMeasurement, type McpProcessName, type McpResults, type McpTargetName } from './mcp-results.js';
import { processCpuMs } from './process-cpu.js';

/** A call slower than this counts as failed (undici's header and body timeouts). */
const CALL_TIMEOUT_MS = 10_000;

export interface McpEndpoint {
  port: number;
  path: string;
}

export interface McpCaseSpec {
  endpoints: Record<McpTargetName, McpEndpoint>;
  /** The process between client and fixture, per target (none for direct). */
  pids: { fixture: number | undefined; proxies: Record<Exclude<McpTargetName, 'direct'>, number | undefined> };
  sessions: number;
  /** Slices per target, taken in rotation. */
  rounds: number;
  sliceS: number;
  warmupS: number;
}

interface OpenTarget {
  pool: Pool;
  sessions: McpBenchSession[];
  workers: Operation[];
}

type CpuReading = Record<McpProcessName, number | undefined>;

function readCpu(pids: McpCaseSpec['pids'], target: McpTargetName): CpuReading {
  const own = process.cpuUsage();
  return {
    client: (own.user + own.system) / 1000,
    proxy: target === 'direct' ? undefined : processCpuMs(pids.proxies[target]),
    fixture: processCpuMs(pids.fixture),
  };
}

/** Adds after − before to `total`; undefined as soon as one reading is missing. */
function addCpu(total: CpuReading, before: CpuReading, after: CpuReading): void {
  for (const name of Object.keys(total) as McpProcessName[]) {
    const [sum, start, end] = [total[name], before[name], after[name]];
    total[name] = sum === undefined || start === undefined || end === undefined ? undefined : sum + end - start;
  }
}

async function openTarget(name: McpTargetName, spec: McpCaseSpec): Promise<OpenTarget> {
  const { port, path } = spec.endpoints[name];
  const pool = new Pool(`http://127.0.0.1:${port}`, {
    connections: spec.sessions,
    headersTimeout: CALL_TIMEOUT_MS,
    bodyTimeout: CALL_TIMEOUT_MS,
  });
  const sessions = await Promise.all(Array.from({ length: spec.sessions }, () => McpBenchSession.open(pool, path)));
  const workers = sessions.map((session): Operation => (sequence) => session.callAdd(sequence));
  const warm = await runClosedLoop(workers, spec.warmupS);
  if (warm.failed > 0) throw new Error(`MCP ${name} failed during warm-up:${failureNote(warm)}`);
  return { pool, sessions, workers };
}

export async function measureMcp(spec: McpCaseSpec, log: (line: string) => void): Promise<McpResults> {
  const open = new Map<McpTargetName, OpenTarget>();
  try {
    for (const name of MCP_TARGET_NAMES) open.set(name, await openTarget(name, spec));
    const slices: Record<McpTargetName, ClosedLoopSlice[]> = { direct: [], bare: [], gatehouse: [] };
    const cpu: Record<McpTargetName, CpuReading> = {
      direct: { client: 0, proxy: undefined, fixture: 0 },
      bare: { client: 0, proxy: 0, fixture: 0 },
      gatehouse: { client: 0, proxy: 0, fixture: 0 },
    };
    for (let round = 0; round < spec.rounds; round++) {
      for (const name of MCP_TARGET_NAMES) {
        const before = readCpu(spec.pids, name);
        const slice = await runClosedLoop(open.get(name)?.workers ?? [], spec.sliceS);
        addCpu(cpu[name], before, readCpu(spec.pids, name));
        slices[name].push(slice);
        if (slice.failed > 0) log(`mcp ${name}${failureNote(slice)}`);
      }
    }
    const measure = (name: McpTargetName): McpMeasurement => {
      const result = combineSlices(slices[name]);
      const perCall = (ms: number | undefined) => (ms === undefined || result.ok === 0 ? undefined : (ms * 1000) / result.ok);
      const cpuUsPerCall = { client: perCall(cpu[name].client), proxy: perCall(cpu[name].proxy), fixture: perCall(cpu[name].fixture) };
      log(
        `mcp ${name.padEnd(9)} ${result.requestsPerSecond.toFixed(0).padStart(6)} calls/s  p50 ${result.p50Ms.toFixed(2)} ms  ` +
          `p99 ${result.p99Ms.toFixed(2)} ms  cpu us/call: client ${cpuUsPerCall.client?.toFixed(0) ?? '-'}, ` +
          `proxy ${cpuUsPerCall.proxy?.toFixed(0) ?? '-'}, fixture ${cpuUsPerCall.fixture?.toFixed(0) ?? '-'}`,
      );
      return { target: name, result, cpuUsPerCall };
    };
    return {
      sessions: spec.sessions,
      rounds: spec.rounds,
      sliceS: spec.sliceS,
      measurements: { direct: measure('direct'), bare: measure('bare'), gatehouse: measure('gatehouse') },
    };
  } finally {
    for (const target of open.values()) {
      await Promise.allSettled(target.sessions.map((session) => session.close()));
      await target.pool.close();
    }
  }
}
