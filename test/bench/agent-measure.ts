/**
 * The agent-loop case: for each model and connection count, chat requests whose MCP tool loop runs N rounds
 * through Gatehouse, against the same N rounds run by the bench directly on the model and MCP fixtures, in
 * rotating slices. Gatehouse's CPU per request is read from /proc.
 */
import { Pool } from 'undici';
import { directAgentLoop, gatehouseAgentRequest, type StepTimes } from './agent-loop.js';
import { failureNote, runClosedLoop, type ClosedLoopSlice, type Operation } from './closed-loop.js';
import { combineSlices } from './load.js';
import { McpBenchSession } from './mcp-session.js';
import { MCP_PATH } from './mcp-wire.js';
import { perRoundOverheadMs, roundsLabel, type AgentCell, type AgentResults } from './mcp-results.js';
import { percentiles, SampleBuffer } from './percentiles.js';
import { processCpuMs } from './process-cpu.js';

const REQUEST_TIMEOUT_MS = 10_000;

export interface AgentModelCase {
  model: string;
  rounds: number;
  /** False for `demo`: the mock model runs inside Gatehouse, so the direct loop is the tool calls alone. */
  modelFixture: boolean;
}

export interface AgentCaseSpec {
  ports: { gatehouse: number; model: number; mcp: number };
  gatehousePid: number | undefined;
  cases: readonly AgentModelCase[];
  connections: readonly number[];
  /** Slices per target and cell, taken in rotation (not to be confused with a model's tool rounds). */
  slices: number;
  sliceS: number;
  /** Before a model's first cell, per target. */
  warmupS: number;
}

const pool = (port: number, connections: number) =>
  new Pool(`http://127.0.0.1:${port}`, { connections, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });

async function measureCell(
  spec: AgentCaseSpec,
  modelCase: AgentModelCase,
  connections: number,
  warmUp: boolean,
  log: (line: string) => void,
): Promise<AgentCell> {
  const { model, rounds } = modelCase;
  const pools = { gatehouse: pool(spec.ports.gatehouse, connections), model: pool(spec.ports.model, connections), mcp: pool(spec.ports.mcp, connections) };
  const sessions: McpBenchSession[] = [];
  try {
    sessions.push(...(await Promise.all(Array.from({ length: connections }, () => McpBenchSession.open(pools.mcp, MCP_PATH)))));
    // Replaced after the warm-up, so the step percentiles cover the measured slices only.
    let steps = { model: new SampleBuffer(), tool: new SampleBuffer() };
    const times: StepTimes = { model: (ms) => steps.model.push(ms), tool: (ms) => steps.tool.push(ms) };
    const through: Operation[] = sessions.map(() => gatehouseAgentRequest(pools.gatehouse, model, rounds));
    const direct: Operation[] = sessions.map((session) =>
      directAgentLoop(modelCase.modelFixture ? pools.model : undefined, session, rounds, times),
    );
    if (warmUp) {
      for (const [name, workers] of [['Gatehouse', through], ['direct', direct]] as const) {
        const warm = await runClosedLoop(workers, spec.warmupS);
        if (warm.failed > 0) throw new Error(`agent loop ${model} ${name} failed during warm-up:${failureNote(warm)}`);
      }
      steps = { model: new SampleBuffer(), tool: new SampleBuffer() };
    }
    const slices: { direct: ClosedLoopSlice[]; gatehouse: ClosedLoopSlice[] } = { direct: [], gatehouse: [] };
    let cpuMs: number | undefined = 0;
    for (let slice = 0; slice < spec.slices; slice++) {
      slices.direct.push(await runClosedLoop(direct, spec.sliceS));
      const before = processCpuMs(spec.gatehousePid);
      slices.gatehouse.push(await runClosedLoop(through, spec.sliceS));
      const after = processCpuMs(spec.gatehousePid);
      cpuMs = cpuMs === undefined || before === undefined || after === undefined ? undefined : cpuMs + after - before;
    }
    for (const slice of [...slices.direct, ...slices.gatehouse]) if (slice.failed > 0) log(`agent ${model} c=${connections}${failureNote(slice)}`);
    const gatehouse = combineSlices(slices.gatehouse);
    return {
      model,
      rounds,
      connections,
      direct: combineSlices(slices.direct),
      gatehouse,
      modelP50Ms: modelCase.modelFixture ? percentiles(steps.model.values()).p50 : undefined,
      toolP50Ms: percentiles(steps.tool.values()).p50,
      gatehouseCpuUsPerRequest: cpuMs === undefined || gatehouse.ok === 0 ? undefined : (cpuMs * 1000) / gatehouse.ok,
    };
  } finally {
    await Promise.allSettled(sessions.map((session) => session.close()));
    await Promise.all(Object.values(pools).map((item) => item.close()));
  }
}

export async function measureAgentLoop(spec: AgentCaseSpec, log: (line: string) => void): Promise<AgentResults> {
  const cells: AgentCell[] = [];
  for (const modelCase of spec.cases) {
    for (const [index, connections] of spec.connections.entries()) {
      const cell = await measureCell(spec, modelCase, connections, index === 0, log);
      log(
        `agent ${cell.model.padEnd(11)} c=${String(connections).padEnd(2)} ${roundsLabel(cell.rounds)}: Gatehouse p50 ` +
          `${cell.gatehouse.p50Ms.toFixed(2)} ms, direct loop p50 ${cell.direct.p50Ms.toFixed(2)} ms ` +
          `(model ${cell.modelP50Ms?.toFixed(2) ?? '-'}, tool ${cell.toolP50Ms.toFixed(2)}), ` +
          `${perRoundOverheadMs(cell).toFixed(2)} ms/round`,
      );
      cells.push(cell);
    }
  }
  return { slices: spec.slices, sliceS: spec.sliceS, cells };
}
