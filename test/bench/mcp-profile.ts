/**
 * The loads `--profile` runs for the MCP cases: `tools/call` from MCP_SESSIONS sessions through `/bench/mcp`,
 * and agent-loop requests (the scripted model, AGENT_ROUNDS rounds) on AGENT_CONNECTIONS connections.
 */
import { Pool } from 'undici';
import { gatehouseAgentRequest } from './agent-loop.js';
import { AGENT_MODEL_NAME } from './agent-wire.js';
import { AGENT_ROUNDS, MCP_SESSIONS } from './bench-cases.js';
import { failureNote, runClosedLoop, type ClosedLoopSlice, type Operation } from './closed-loop.js';
import { McpBenchSession } from './mcp-session.js';
import { GATEHOUSE_MCP_PATH } from './mcp-wire.js';
import { PROFILE_LOAD_S, PROFILE_WARMUP_S, type ProfiledLoad } from './profile-run.js';

/**
 * Enough to keep Gatehouse busy. On one connection the profile is mostly `writev`: Gatehouse waits there while
 * the upstream it just woke runs on the same core, and the sampler counts that wall time as busy.
 */
const AGENT_CONNECTIONS = 10;

async function warmAndLoad(workers: readonly Operation[], what: string): Promise<{ slice: ClosedLoopSlice; loadStartedAt: number }> {
  const warm = await runClosedLoop(workers, PROFILE_WARMUP_S);
  if (warm.failed > 0) throw new Error(`${what} failed during warm-up:${failureNote(warm)}`);
  const loadStartedAt = performance.now();
  const slice = await runClosedLoop(workers, PROFILE_LOAD_S);
  return { slice, loadStartedAt };
}

const rate = (slice: ClosedLoopSlice) => (slice.ok / slice.durationS).toFixed(0);

export function mcpProfileLoad(log: (line: string) => void): ProfiledLoad {
  return {
    name: 'mcp-tools-call',
    async run(port) {
      const pool = new Pool(`http://127.0.0.1:${port}`, { connections: MCP_SESSIONS });
      const sessions: McpBenchSession[] = [];
      try {
        sessions.push(...(await Promise.all(Array.from({ length: MCP_SESSIONS }, () => McpBenchSession.open(pool, GATEHOUSE_MCP_PATH)))));
        const workers = sessions.map((session): Operation => (sequence) => session.callAdd(sequence));
        const { slice, loadStartedAt } = await warmAndLoad(workers, 'MCP tools/call');
        log(`profiled Gatehouse MCP tools/call, ${MCP_SESSIONS} sessions: ${rate(slice)} calls/s (profiler on)${failureNote(slice)}`);
        const title =
          `Gatehouse MCP tools/call through ${GATEHOUSE_MCP_PATH}, ${MCP_SESSIONS} sessions, ${PROFILE_LOAD_S} s load ` +
          `after a ${PROFILE_WARMUP_S} s warm-up, ${rate(slice)} calls/s under the profiler`;
        return { title, loadStartedAt };
      } finally {
        await Promise.allSettled(sessions.map((session) => session.close()));
        await pool.close();
      }
    },
  };
}

export function agentProfileLoad(log: (line: string) => void): ProfiledLoad {
  return {
    name: 'agent-loop',
    async run(port) {
      const pool = new Pool(`http://127.0.0.1:${port}`, { connections: AGENT_CONNECTIONS });
      try {
        const workers = Array.from({ length: AGENT_CONNECTIONS }, () => gatehouseAgentRequest(pool, AGENT_MODEL_NAME, AGENT_ROUNDS));
        const { slice, loadStartedAt } = await warmAndLoad(workers, 'agent loop');
        log(`profiled Gatehouse agent loop (${AGENT_ROUNDS} rounds, ${AGENT_CONNECTIONS} conns): ${rate(slice)} req/s (profiler on)${failureNote(slice)}`);
        const title =
          `Gatehouse agent loop, ${AGENT_MODEL_NAME} with ${AGENT_ROUNDS} tool rounds, ${AGENT_CONNECTIONS} connections, ` +
          `${PROFILE_LOAD_S} s load after a ${PROFILE_WARMUP_S} s warm-up, ${rate(slice)} req/s under the profiler`;
        return { title, loadStartedAt };
      } finally {
        await pool.close();
      }
    },
  };
}
