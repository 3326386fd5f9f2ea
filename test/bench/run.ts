/**
 * `npm run bench [-- --llm | --mcp | --agent | --spend] [-- --markdown] [-- --build | --no-build]`: the chat proxy
 * (direct fixture vs bare Fastify+undici vs Gatehouse), the MCP gateway (`tools/call` direct vs through `/bench/mcp`),
 * the agent loop (`type: "mcp"` tools in chat completions) and spend logging (on vs off), on loopback, in about two
 * and a half minutes; no case flag runs them all. dist/ is rebuilt when a source is newer (or with --build). `--profile` profiles Gatehouse under the
 * chosen cases instead; `--clients` prices upstream clients. Progress goes to stderr, the report to stdout.
 * Targets are reported, never asserted: the exit code is non-zero only when something crashed.
 */
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunInfo, TargetName } from './bench-results.js';
import { CASE_NAMES, runAgentCase, runLlmCase, runMcpCase, runSpendCase, type CaseName, type CaseReport } from './bench-cases.js';
import { measureClientCost } from './client-cost.js';
import { buildGatehouse, isBuildFresh, startGatehouse, type GatehouseOptions, type GatehouseRun } from './gatehouse-process.js';
import type { Target } from './measure.js';
import { agentProfileLoad, mcpProfileLoad } from './mcp-profile.js';
import { startForeignCpuMeter } from './process-cpu.js';
import { ChildProcesses } from './processes.js';
import { chatProfileLoads, profileGatehouse, spendProfileLoads, type ProfiledLoad } from './profile-run.js';
import { renderMarkdown, renderText, runSummaryLines, targetsTable, type Report } from './report.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/**
 * Hard stop: a hung target must not hang the bench. A full run takes about 110 s after the build; each case
 * gets about twice its usual time, and the build and start-up (up to a minute on a saturated box) come on top.
 */
const DEADLINE_BASE_MS = 60_000;
const CASE_DEADLINE_MS: Readonly<Record<CaseName, number>> = { llm: 100_000, mcp: 30_000, agent: 50_000, spend: 60_000 };

const flags = parseArgs({
  options: {
    markdown: { type: 'boolean', default: false },
    build: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    clients: { type: 'boolean', default: false },
    llm: { type: 'boolean', default: false },
    mcp: { type: 'boolean', default: false },
    agent: { type: 'boolean', default: false },
    spend: { type: 'boolean', default: false },
  },
  strict: true,
}).values;
/** No case flag: every case. */
const cases = new Set<CaseName>(CASE_NAMES.filter((name) => flags[name]).length > 0 ? CASE_NAMES.filter((name) => flags[name]) : CASE_NAMES);

const startedAt = performance.now();
const elapsed = () => (performance.now() - startedAt) / 1000;
const log = (line: string) => process.stderr.write(`[${elapsed().toFixed(0).padStart(3)}s] ${line}\n`);

const children = new ChildProcesses((name, how) => {
  if (exiting) return;
  log(`${name} exited unexpectedly (${how}): stopping`);
  void shutdown(1);
});
/** Temporary config directories to remove however the run ends (removal is idempotent). */
const cleanups: Array<() => Promise<void>> = [];
let exiting = false;

/** Idempotent: a signal, the deadline and a crashing child may all ask at once. */
async function shutdown(code: number): Promise<void> {
  if (exiting) return;
  exiting = true;
  await children.stopAll();
  await Promise.allSettled(cleanups.map((cleanup) => cleanup()));
  process.exit(code);
}

process.once('SIGINT', () => {
  log('interrupted: stopping child processes');
  void shutdown(130);
});
process.once('SIGTERM', () => void shutdown(143));
process.once('exit', () => children.killAllNow());
const deadlineMs = [...cases].reduce((total, name) => total + CASE_DEADLINE_MS[name], DEADLINE_BASE_MS);
const deadline = setTimeout(() => {
  log(`deadline of ${deadlineMs / 1000} s reached: stopping`);
  void shutdown(1);
}, deadlineMs);

const forkBenchServer = (name: string, script: string, args: string[] = []) => children.forkServer(name, join(HERE, script), args, ROOT);
const target = (started: { port: number; child: { pid?: number } }): Target => ({ port: started.port, pid: started.child.pid });

async function main(): Promise<string> {
  if (flags.clients) {
    const fixture = await forkBenchServer('fixture', 'fixture-upstream.ts');
    return measureClientCost(target(fixture), log);
  }
  if (flags['no-build']) log('skipping the build (--no-build): benching the existing dist/');
  else if (!flags.build && (await isBuildFresh(ROOT))) log('dist/ is newer than every source: no build needed');
  else {
    log('building Gatehouse (tsc -p tsconfig.build.json)');
    await buildGatehouse(ROOT);
  }
  log(`cases: ${[...cases].join(', ')}`);
  const needsMcp = cases.has('mcp') || cases.has('agent');
  // Gatehouse's config always has the chat fixture's `bench` model, so the fixture always runs.
  const [fixture, mcpFixture, agentModel] = await Promise.all([
    forkBenchServer('fixture', 'fixture-upstream.ts'),
    needsMcp ? forkBenchServer('MCP fixture', 'mcp-fixture.ts') : undefined,
    cases.has('agent') ? forkBenchServer('agent model fixture', 'agent-model.ts') : undefined,
  ]);
  const gatehouseOptions: GatehouseOptions = {
    root: ROOT,
    fixturePort: fixture.port,
    ...(mcpFixture ? { mcpFixturePort: mcpFixture.port } : {}),
    ...(agentModel ? { agentModelPort: agentModel.port } : {}),
  };
  if (flags.profile) {
    const loads: ProfiledLoad[] = [
      ...(cases.has('llm') ? chatProfileLoads(['json', 'stream'], log) : []),
      ...(cases.has('mcp') ? [mcpProfileLoad(log)] : []),
      ...(cases.has('agent') ? [agentProfileLoad(log)] : []),
      ...(cases.has('spend') ? spendProfileLoads(log) : []),
    ];
    return profileGatehouse(children, gatehouseOptions, loads);
  }
  // The bare proxy is told the fixtures' origins, so it starts after them.
  const bareProxy =
    cases.has('llm') || cases.has('mcp')
      ? await forkBenchServer('bare proxy', 'bare-proxy.ts', [fixture, ...(mcpFixture ? [mcpFixture] : [])].map((child) => `http://127.0.0.1:${child.port}`))
      : undefined;
  const upstreams = [fixture, bareProxy, mcpFixture, agentModel].filter((child) => child !== undefined);
  log(`ports: ${upstreams.map((child) => `${child.name} ${child.port}`).join(', ')}`);
  children.arm();

  const reports: CaseReport[] = [];
  let measuringS = 0;
  let foreignCpuMs: number | undefined = 0;
  /**
   * Each case gets a fresh Gatehouse, so no case inherits another's process state (serving /mcp sessions
   * turns on AsyncLocalStorage's promise hooks process-wide) and each case measures the same with or without
   * the others.
   */
  const measureCase = async (name: CaseName, run: (gatehouse: Target) => Promise<CaseReport>, alsoRunning: readonly GatehouseRun[] = []) => {
    if (!cases.has(name)) return;
    const gatehouse = await startGatehouse(children, gatehouseOptions);
    cleanups.push(gatehouse.cleanup);
    log(`${name}: Gatehouse on port ${gatehouse.port}`);
    const since = performance.now();
    const foreign = startForeignCpuMeter([...upstreams, gatehouse, ...alsoRunning].map((child) => child.child.pid));
    try {
      reports.push(await run(target(gatehouse)));
    } finally {
      const used = foreign();
      foreignCpuMs = foreignCpuMs === undefined || used === undefined ? undefined : foreignCpuMs + used;
      measuringS += (performance.now() - since) / 1000;
      await children.stop(gatehouse.child);
      await gatehouse.cleanup();
    }
  };
  await measureCase('llm', (gatehouse) => {
    if (!bareProxy) throw new Error('the chat proxy case needs the bare proxy');
    const targets: Record<TargetName, Target> = { direct: target(fixture), bare: target(bareProxy), gatehouse };
    return runLlmCase(targets, log);
  });
  await measureCase('mcp', (gatehouse) => {
    if (!mcpFixture || !bareProxy) throw new Error('the MCP case needs the MCP fixture and the bare proxy');
    return runMcpCase({ fixture: target(mcpFixture), bare: target(bareProxy), gatehouse }, log);
  });
  await measureCase('agent', (gatehouse) => {
    if (!mcpFixture || !agentModel) throw new Error('the agent-loop case needs the MCP and model fixtures');
    return runAgentCase({ gatehouse, model: agentModel.port, mcp: mcpFixture.port }, log);
  });
  if (cases.has('spend')) {
    // Beside the default (spend logs on) Gatehouse that measureCase starts: one more "on" and two "off" processes of
    // the same build, so the case can measure two pairs in opposite orders (spend-measure.ts says why).
    const off = { ...gatehouseOptions, generalSettings: ['disable_spend_logs: true'] };
    const extra = await Promise.all([off, gatehouseOptions, off].map((options) => startGatehouse(children, options)));
    cleanups.push(...extra.map((run) => run.cleanup));
    const [firstOff, secondOn, secondOff] = extra.map(target);
    try {
      await measureCase('spend', (gatehouse) => runSpendCase([{ on: gatehouse, off: firstOff }, { on: secondOn, off: secondOff }], log), extra);
    } finally {
      await Promise.all(extra.map(async (run) => {
        await children.stop(run.child);
        await run.cleanup();
      }));
    }
  }

  const info: RunInfo = {
    node: process.versions.node,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    elapsedS: elapsed(),
    measuringS,
    foreignCpuS: foreignCpuMs === undefined ? undefined : foreignCpuMs / 1000,
  };
  const report: Report = {
    summary: [...runSummaryLines(info), ...reports.flatMap((item) => item.summary)],
    tables: [...reports.flatMap((item) => item.tables), targetsTable(reports.flatMap((item) => item.checks))],
  };
  return flags.markdown ? renderMarkdown(report) : renderText(report);
}

main().then(
  async (report) => {
    clearTimeout(deadline);
    process.stdout.write(report);
    log('done');
    await shutdown(0);
  },
  async (error: unknown) => {
    clearTimeout(deadline);
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await shutdown(1);
  },
);
