/**
 * The three cases `npm run bench` measures, each with its plan and its share of the report: the chat proxy
 * (direct vs bare vs Gatehouse), the MCP gateway (`tools/call` direct vs bare vs `/bench/mcp`) and the agent
 * loop (a chat request whose `type: "mcp"` tool runs N rounds). Each returns summary lines, tables and targets.
 */
import type { Mode } from './bench-requests.js';
import { TARGET_LABELS, TARGET_NAMES, type LlmResults, type TargetName } from './bench-results.js';
import { measureAgentLoop, type AgentModelCase } from './agent-measure.js';
import { AGENT_MODEL_NAME, DEMO_MODEL_NAME } from './agent-wire.js';
import { warmUp } from './load.js';
import { measureAllTtfb, measureLoad, type Target } from './measure.js';
import { measureMcp } from './mcp-measure.js';
import { agentSummaryLines, agentTables, mcpSummaryLines, mcpTables } from './mcp-report.js';
import { GATEHOUSE_MCP_PATH, MCP_PATH } from './mcp-wire.js';
import { llmSummaryLines, llmTables, type Table } from './report.js';
import { smokeCheck } from './smoke-check.js';
import { evaluateSpendTargets, measureSpendLogging, spendSummaryLines, spendTables, type SpendPair } from './spend-measure.js';
import { evaluateAgentTargets, evaluateLlmTargets, evaluateMcpTargets, type TargetCheck } from './targets.js';

export type CaseName = 'llm' | 'mcp' | 'agent' | 'spend';

export const CASE_NAMES: readonly CaseName[] = ['llm', 'mcp', 'agent', 'spend'];

export interface CaseReport {
  summary: string[];
  tables: Table[];
  checks: TargetCheck[];
}

type Log = (line: string) => void;

/** Chat proxy: each cell is `rounds` slices of `sliceS` per target, rotating targets, so a burst of foreign load hits all three. */
const LLM_PLAN = { rounds: 3, sliceS: 1, warmupS: 2, connections: [1, 10, 50], modes: ['json', 'stream'] as Mode[] };
const TTFB = { warmups: 20, requests: 200 };

/** MCP: issue #3's target is stated at 20 concurrent sessions. */
export const MCP_SESSIONS = 20;
const MCP_PLAN = { rounds: 3, sliceS: 1, warmupS: 1 };

/** Agent loop: the scripted model asks for AGENT_ROUNDS tool calls; `demo` always calls once, then answers. */
export const AGENT_ROUNDS = 3;
const AGENT_CASES: readonly AgentModelCase[] = [
  { model: AGENT_MODEL_NAME, rounds: AGENT_ROUNDS, modelFixture: true },
  { model: DEMO_MODEL_NAME, rounds: 1, modelFixture: false },
];
const AGENT_PLAN = { slices: 2, sliceS: 1, warmupS: 1, connections: [1, 10] };

export async function runLlmCase(targets: Record<TargetName, Target>, log: Log): Promise<CaseReport> {
  for (const name of TARGET_NAMES) {
    await smokeCheck(TARGET_LABELS[name], targets[name].port);
    await warmUp(targets[name].port, LLM_PLAN.warmupS);
  }
  log('chat proxy warmed up; measuring');
  const measurements = await measureLoad(targets, LLM_PLAN, log);
  const ttfb = await measureAllTtfb(targets, TTFB, log);
  const results: LlmResults = {
    settings: {
      durationS: LLM_PLAN.rounds * LLM_PLAN.sliceS,
      rounds: LLM_PLAN.rounds,
      connections: LLM_PLAN.connections,
      modes: LLM_PLAN.modes,
      ttfbRequests: TTFB.requests,
    },
    measurements,
    ttfb,
  };
  return { summary: llmSummaryLines(results), tables: llmTables(results), checks: evaluateLlmTargets(results) };
}

export interface McpPorts {
  fixture: Target;
  bare: Target;
  gatehouse: Target;
}

export async function runMcpCase(ports: McpPorts, log: Log): Promise<CaseReport> {
  log(`MCP: opening ${MCP_SESSIONS} sessions per target and warming up`);
  const results = await measureMcp(
    {
      endpoints: {
        direct: { port: ports.fixture.port, path: MCP_PATH },
        bare: { port: ports.bare.port, path: MCP_PATH },
        gatehouse: { port: ports.gatehouse.port, path: GATEHOUSE_MCP_PATH },
      },
      pids: { fixture: ports.fixture.pid, proxies: { bare: ports.bare.pid, gatehouse: ports.gatehouse.pid } },
      sessions: MCP_SESSIONS,
      ...MCP_PLAN,
    },
    log,
  );
  return { summary: mcpSummaryLines(results), tables: mcpTables(results), checks: evaluateMcpTargets(results) };
}

export interface AgentPorts {
  gatehouse: Target;
  model: number;
  mcp: number;
}

export async function runAgentCase(ports: AgentPorts, log: Log): Promise<CaseReport> {
  log('agent loop: measuring');
  const results = await measureAgentLoop(
    {
      ports: { gatehouse: ports.gatehouse.port, model: ports.model, mcp: ports.mcp },
      gatehousePid: ports.gatehouse.pid,
      cases: AGENT_CASES,
      ...AGENT_PLAN,
    },
    log,
  );
  return { summary: agentSummaryLines(results), tables: agentTables(results), checks: evaluateAgentTargets(results) };
}

/** Spend logging (issue #7): the same build, spend logs on (`on`, the default config) and off. */
export async function runSpendCase(pairs: readonly SpendPair[], log: Log): Promise<CaseReport> {
  for (const [index, pair] of pairs.entries()) {
    await smokeCheck(`Gatehouse (pair ${index + 1}, spend logs on)`, pair.on.port);
    await smokeCheck(`Gatehouse (pair ${index + 1}, spend logs off)`, pair.off.port);
  }
  log('spend logging: measuring');
  const results = await measureSpendLogging(pairs, log);
  return { summary: spendSummaryLines(results), tables: spendTables(results), checks: evaluateSpendTargets(results) };
}
