/** What the MCP gateway case and the agent-loop case produced, shared by their runners, targets and report. */
import type { LoadResult } from './load.js';

export type McpTargetName = 'direct' | 'bare' | 'gatehouse';

export const MCP_TARGET_NAMES: readonly McpTargetName[] = ['direct', 'bare', 'gatehouse'];

export const MCP_TARGET_LABELS: Readonly<Record<McpTargetName, string>> = {
  direct: 'direct (MCP fixture /mcp)',
  bare: 'bare Fastify+undici /mcp',
  gatehouse: 'Gatehouse /bench/mcp',
};

/** The processes a `tools/call` costs CPU in: the bench's client, the proxy in between (bare or Gatehouse), the fixture. */
export type McpProcessName = 'client' | 'proxy' | 'fixture';

export interface McpMeasurement {
  target: McpTargetName;
  result: LoadResult;
  /** CPU per successful call, per process (the proxy's is undefined for direct, which has none). */
  cpuUsPerCall: Record<McpProcessName, number | undefined>;
}

export interface McpResults {
  sessions: number;
  rounds: number;
  sliceS: number;
  measurements: Record<McpTargetName, McpMeasurement>;
}

/** One (model, connections) cell of the agent-loop case. */
export interface AgentCell {
  /** The model name in Gatehouse's config (`bench-agent`, or the in-process mock `demo`). */
  model: string;
  /** MCP tool rounds per request; the model is called rounds + 1 times. */
  rounds: number;
  connections: number;
  /** The same rounds run by the bench itself against the model fixture and the MCP fixture. */
  direct: LoadResult;
  gatehouse: LoadResult;
  /** p50 of the direct loop's model calls (undefined for `demo`, which runs inside Gatehouse) and tool calls. */
  modelP50Ms: number | undefined;
  toolP50Ms: number;
  gatehouseCpuUsPerRequest: number | undefined;
}

export interface AgentResults {
  /** Slices per target and cell. */
  slices: number;
  sliceS: number;
  cells: AgentCell[];
}

/** (Gatehouse p50 − direct loop p50) / rounds: what each round costs beyond the upstreams' own time. */
export function perRoundOverheadMs(cell: AgentCell): number {
  return (cell.gatehouse.p50Ms - cell.direct.p50Ms) / cell.rounds;
}

/** "1 tool round", "3 tool rounds". */
export function roundsLabel(rounds: number): string {
  return `${rounds} tool round${rounds === 1 ? '' : 's'}`;
}
