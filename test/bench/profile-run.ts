/**
 * `npm run bench -- --profile`: runs Gatehouse under `node --cpu-prof`, one fresh process per load (chat at
 * 50 connections per mode, MCP tools/call, agent loop), and summarises where its CPU time goes. The
 * .cpuprofile files are kept for Chrome DevTools.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mode } from './bench-requests.js';
import { renderProfileSummary, summariseProfile, type CpuProfile } from './cpu-profile.js';
import { startGatehouse, type GatehouseOptions } from './gatehouse-process.js';
import { runLoad, warmUp } from './load.js';
import type { ChildProcesses } from './processes.js';

export const PROFILE_LOAD_S = 6;
export const PROFILE_WARMUP_S = 1;
const PROFILE_CONNECTIONS = 50;

/** One profiled load against a fresh Gatehouse. */
export interface ProfiledLoad {
  /** Names the .cpuprofile file. */
  name: string;
  /** `general_settings` lines of this load's Gatehouse (e.g. `disable_spend_logs: true`). */
  generalSettings?: string[];
  /** Warms Gatehouse up, then runs the load; returns the section title and when the profiled part began. */
  run(port: number): Promise<{ title: string; loadStartedAt: number }>;
}

export function chatProfileLoads(modes: readonly Mode[], log: (line: string) => void): ProfiledLoad[] {
  return modes.map((mode) => ({
    name: `chat-${mode}`,
    async run(port) {
      await warmUp(port, PROFILE_WARMUP_S);
      const loadStartedAt = performance.now();
      const result = await runLoad({ port, connections: PROFILE_CONNECTIONS, durationS: PROFILE_LOAD_S, mode });
      const rate = result.requestsPerSecond.toFixed(0);
      log(`profiled Gatehouse chat ${mode} at ${PROFILE_CONNECTIONS} conns: ${rate} req/s (profiler on)`);
      const title =
        `Gatehouse ${mode === 'json' ? 'non-streaming' : 'streaming'}, ${PROFILE_CONNECTIONS} conns, ` +
        `${PROFILE_LOAD_S} s load after a ${PROFILE_WARMUP_S} s warm-up, ${rate} req/s under the profiler`;
      return { title, loadStartedAt };
    },
  }));
}

/** The spend-logging case's load (non-streaming chat, 10 connections) with spend logs on, then off. */
export function spendProfileLoads(log: (line: string) => void): ProfiledLoad[] {
  const connections = 10;
  return (['on', 'off'] as const).map((side) => ({
    name: `spend-logs-${side}`,
    ...(side === 'off' ? { generalSettings: ['disable_spend_logs: true'] } : {}),
    async run(port) {
      await warmUp(port, PROFILE_WARMUP_S);
      const loadStartedAt = performance.now();
      const result = await runLoad({ port, connections, durationS: PROFILE_LOAD_S, mode: 'json' });
      log(`profiled Gatehouse with spend logs ${side} at ${connections} conns: ${result.requestsPerSecond.toFixed(0)} req/s (profiler on)`);
      const title =
        `Gatehouse non-streaming, spend logs ${side}, ${connections} conns, ${PROFILE_LOAD_S} s load after a ` +
        `${PROFILE_WARMUP_S} s warm-up, ${result.ok} requests (${result.requestsPerSecond.toFixed(0)} req/s) under the profiler`;
      return { title, loadStartedAt };
    },
  }));
}

export async function profileGatehouse(
  children: ChildProcesses,
  gatehouse: GatehouseOptions,
  loads: readonly ProfiledLoad[],
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cpu-prof-'));
  const sections: string[] = [];
  for (const load of loads) {
    const name = `gatehouse-${load.name}.cpuprofile`;
    const run = await startGatehouse(children, {
      ...gatehouse,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`],
      ...(load.generalSettings ? { generalSettings: load.generalSettings } : {}),
    });
    let outcome: { title: string; loadStartedAt: number };
    try {
      outcome = await load.run(run.port);
    } finally {
      // The profile is written while the process exits, so wait for the exit before reading it.
      await children.stop(run.child);
      await run.cleanup();
    }
    const loadAndExitMs = performance.now() - outcome.loadStartedAt;
    const profile = JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile;
    sections.push(renderProfileSummary(outcome.title, summariseProfile(profile, loadAndExitMs)));
  }
  sections.push(`Profiles kept in ${dir} (open them in Chrome DevTools > Performance).`);
  return sections.join('\n\n') + '\n';
}
