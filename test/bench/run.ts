/**
 * `npm run bench [-- --markdown] [-- --build | --no-build]`: direct fixture vs bare Fastify+undici vs
 * Gatehouse, on loopback, in under two minutes; dist/ is rebuilt when a source is newer (or with --build).
 * `--profile` profiles Gatehouse instead; `--clients` prices upstream clients. Progress goes to stderr, the
 * report to stdout. Targets are reported, never asserted: the exit code is non-zero only when something crashed.
 */
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Mode } from './bench-requests.js';
import { TARGET_LABELS, TARGET_NAMES, type BenchResults, type TargetName } from './bench-results.js';
import { measureClientCost } from './client-cost.js';
import { buildGatehouse, isBuildFresh, startGatehouse } from './gatehouse-process.js';
import { warmUp } from './load.js';
import { measureAllTtfb, measureLoad, type Target } from './measure.js';
import { startForeignCpuMeter } from './process-cpu.js';
import { ChildProcesses } from './processes.js';
import { profileGatehouse } from './profile-run.js';
import { renderMarkdown, renderText } from './report.js';
import { smokeCheck } from './smoke-check.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../..');

/** Each cell is ROUNDS slices of SLICE_S per target, rotating targets, so a burst of foreign load hits all three. */
const ROUNDS = 3;
const SLICE_S = 1;
const WARMUP_S = 2;
const CONNECTIONS: readonly number[] = [1, 10, 50];
const MODES: readonly Mode[] = ['json', 'stream'];
const TTFB_WARMUPS = 20;
const TTFB_REQUESTS = 200;
/** Hard stop: a hung target must not hang the bench. A normal run takes about 75 s. */
const DEADLINE_MS = 150_000;

const startedAt = performance.now();
const elapsed = () => (performance.now() - startedAt) / 1000;
const log = (line: string) => process.stderr.write(`[${elapsed().toFixed(0).padStart(3)}s] ${line}\n`);

const children = new ChildProcesses((name, how) => {
  if (exiting) return;
  log(`${name} exited unexpectedly (${how}): stopping`);
  void shutdown(1);
});
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
const deadline = setTimeout(() => {
  log(`deadline of ${DEADLINE_MS / 1000} s reached: stopping`);
  void shutdown(1);
}, DEADLINE_MS);

async function main(): Promise<string> {
  const flags = parseArgs({
    options: {
      markdown: { type: 'boolean', default: false },
      build: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      clients: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;

  if (flags.clients) {
    const fixture = await children.forkServer('fixture', join(HERE, 'fixture-upstream.ts'), [], ROOT);
    return measureClientCost({ port: fixture.port, pid: fixture.child.pid }, log);
  }
  if (flags['no-build']) log('skipping the build (--no-build): benching the existing dist/');
  else if (!flags.build && (await isBuildFresh(ROOT))) log('dist/ is newer than every source: no build needed');
  else {
    log('building Gatehouse (tsc -p tsconfig.build.json)');
    await buildGatehouse(ROOT);
  }
  const fixture = await children.forkServer('fixture', join(HERE, 'fixture-upstream.ts'), [], ROOT);
  if (flags.profile) return profileGatehouse(children, ROOT, fixture.port, MODES, log);

  const bare = await children.forkServer('bare proxy', join(HERE, 'bare-proxy.ts'), [`http://127.0.0.1:${fixture.port}`], ROOT);
  const gatehouse = await startGatehouse(children, { root: ROOT, fixturePort: fixture.port });
  cleanups.push(gatehouse.cleanup);
  const targets: Record<TargetName, Target> = {
    direct: { port: fixture.port, pid: fixture.child.pid },
    bare: { port: bare.port, pid: bare.child.pid },
    gatehouse: { port: gatehouse.port, pid: gatehouse.child.pid },
  };
  log(`ports: fixture ${fixture.port}, bare ${bare.port}, gatehouse ${gatehouse.port}`);

  children.arm();
  const foreignCpuMs = startForeignCpuMeter(Object.values(targets).map((target) => target.pid));
  const measuringSince = performance.now();
  for (const name of TARGET_NAMES) {
    await smokeCheck(TARGET_LABELS[name], targets[name].port);
    await warmUp(targets[name].port, WARMUP_S);
  }
  log('warmed up; measuring');
  const plan = { modes: MODES, connections: CONNECTIONS, rounds: ROUNDS, sliceS: SLICE_S };
  const measurements = await measureLoad(targets, plan, log);
  const ttfb = await measureAllTtfb(targets, { warmups: TTFB_WARMUPS, requests: TTFB_REQUESTS }, log);

  const foreign = foreignCpuMs();
  const results: BenchResults = {
    settings: {
      durationS: ROUNDS * SLICE_S,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      modes: MODES,
      ttfbRequests: TTFB_REQUESTS,
      node: process.versions.node,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    },
    measurements,
    ttfb,
    elapsedS: elapsed(),
    measuringS: (performance.now() - measuringSince) / 1000,
    foreignCpuS: foreign === undefined ? undefined : foreign / 1000,
  };
  return flags.markdown ? renderMarkdown(results) : renderText(results);
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
