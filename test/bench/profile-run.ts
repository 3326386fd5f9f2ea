/**
 * `npm run bench -- --profile`: runs Gatehouse under `node --cpu-prof` at 50 connections, once per mode,
 * and summarises where its CPU time goes. The .cpuprofile files are kept for Chrome DevTools.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mode } from './bench-requests.js';
import { renderProfileSummary, summariseProfile, type CpuProfile } from './cpu-profile.js';
import { startGatehouse } from './gatehouse-process.js';
import { runLoad, warmUp } from './load.js';
import type { ChildProcesses } from './processes.js';

const PROFILE_CONNECTIONS = 50;
const PROFILE_LOAD_S = 6;
const PROFILE_WARMUP_S = 1;

export async function profileGatehouse(
  children: ChildProcesses,
  root: string,
  fixturePort: number,
  modes: readonly Mode[],
  log: (line: string) => void,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cpu-prof-'));
  const sections: string[] = [];
  for (const mode of modes) {
    const name = `gatehouse-${mode}.cpuprofile`;
    const run = await startGatehouse(children, {
      root,
      fixturePort,
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}`],
    });
    let requestsPerSecond: number;
    let loadStartedAt = performance.now();
    try {
      await warmUp(run.port, PROFILE_WARMUP_S);
      loadStartedAt = performance.now();
      const result = await runLoad({ port: run.port, connections: PROFILE_CONNECTIONS, durationS: PROFILE_LOAD_S, mode });
      requestsPerSecond = result.requestsPerSecond;
      log(`profiled Gatehouse ${mode} at ${PROFILE_CONNECTIONS} conns: ${requestsPerSecond.toFixed(0)} req/s (profiler on)`);
    } finally {
      // The profile is written while the process exits, so wait for the exit before reading it.
      await children.stop(run.child);
      await run.cleanup();
    }
    const loadAndExitMs = performance.now() - loadStartedAt;
    const profile = JSON.parse(await readFile(join(dir, name), 'utf8')) as CpuProfile;
    const title =
      `Gatehouse ${mode === 'json' ? 'non-streaming' : 'streaming'}, ${PROFILE_CONNECTIONS} conns, ` +
      `${PROFILE_LOAD_S} s load after a ${PROFILE_WARMUP_S} s warm-up, ${requestsPerSecond.toFixed(0)} req/s under the profiler`;
    sections.push(renderProfileSummary(title, summariseProfile(profile, loadAndExitMs)));
  }
  sections.push(`Profiles kept in ${dir} (open them in Chrome DevTools > Performance).`);
  return sections.join('\n\n') + '\n';
}
