/**
 * Drives the `conformance` CLI from @modelcontextprotocol/conformance in child processes: locates it, lists
 * server scenarios, runs one scenario, and reads checks back from a `--output-dir` results directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { RawCheckSchema, toCheckResults, type RawCheck, type ScenarioResult } from './conformance-report.js';

/**
 * `conformance server` without --scenario runs the "active" suite, which in 0.1.13 leaves out these two;
 * `list --server` prints them without marking them. Kept here so reports can say which checks are pending.
 */
const PENDING_SCENARIOS = new Set(['json-schema-2020-12', 'server-sse-polling']);
/** Enough of a child's stderr to explain a crash (the message comes first) without holding megabytes. */
const STDERR_HEAD_CHARS = 4_000;
/** `<output-dir>/server-<scenario>-<ISO timestamp with : and . replaced by ->/checks.json` */
const RESULT_DIR_PATTERN = /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

const PackageJsonSchema = z.object({ version: z.string(), bin: z.object({ conformance: z.string() }) });
const ChecksSchema = z.array(RawCheckSchema);

export interface ConformanceCli {
  /** The CLI's entry script, run with this Node: what `npx conformance` runs, without npm's startup. */
  script: string;
  version: string;
}

interface ChildOutcome {
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  timeoutMs: number;
  /** Called with all stdout so far after each chunk; returning true restarts the timeout. */
  onStdout?: (stdout: string) => boolean;
}

export async function locateConformanceCli(): Promise<ConformanceCli> {
  const packageJsonPath = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json');
  const packageJson = PackageJsonSchema.parse(JSON.parse(await readFile(packageJsonPath, 'utf8')));
  return { script: join(dirname(packageJsonPath), packageJson.bin.conformance), version: packageJson.version };
}

function isPendingScenario(scenario: string): boolean {
  return PENDING_SCENARIOS.has(scenario);
}

/** Runs the CLI with `args`; killed (timedOut) when the timeout elapses without being restarted. */
export function runCli(cli: ConformanceCli, args: string[], options: ChildOptions): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli.script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const expire = (): void => {
      timedOut = true;
      child.kill('SIGKILL');
    };
    let timer = setTimeout(expire, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      if (options.onStdout?.(stdout) === true) {
        clearTimeout(timer);
        timer = setTimeout(expire, options.timeoutMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_HEAD_CHARS) stderr = (stderr + chunk.toString('utf8')).slice(0, STDERR_HEAD_CHARS);
    });
    const finish = (exitCode: number | null, error?: Error): void => {
      clearTimeout(timer);
      resolve({ exitCode, timedOut, stdout, stderr: error ? `${stderr}\n${error.message}` : stderr });
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
  });
}

export async function listServerScenarios(cli: ConformanceCli, timeoutMs: number): Promise<string[]> {
  const outcome = await runCli(cli, ['list', '--server'], { timeoutMs });
  const names = [...outcome.stdout.matchAll(/^\s+-\s+(\S+)\s*$/gm)].map((match) => match[1] ?? '');
  if (outcome.exitCode !== 0 || names.length === 0) {
    throw new Error(`conformance list --server failed (exit ${outcome.exitCode}): ${outcome.stderr.trim()}`);
  }
  return names;
}

/** Every scenario's checks found under an `--output-dir`, keyed by scenario name. */
export async function readResultsDirectory(outputDir: string): Promise<Map<string, RawCheck[]>> {
  const results = new Map<string, RawCheck[]>();
  const entries = await readdir(outputDir, { recursive: true });
  for (const entry of entries.filter((name) => name.endsWith('checks.json'))) {
    const scenario = RESULT_DIR_PATTERN.exec(dirname(entry))?.[1];
    if (scenario === undefined) continue;
    const parsed = ChecksSchema.safeParse(JSON.parse(await readFile(join(outputDir, entry), 'utf8')));
    if (parsed.success) results.set(scenario, parsed.data);
  }
  return results;
}

function runnerFailure(scenario: string, reason: string): RawCheck {
  return { id: 'runner-error', description: `Run ${scenario}`, status: 'FAILURE', errorMessage: reason };
}

export function scenarioResult(
  scenario: string,
  raw: RawCheck[] | undefined,
  run: { durationMs: number; timedOut: boolean; failure: string },
): ScenarioResult {
  const checks = raw !== undefined && raw.length > 0 ? raw : [runnerFailure(scenario, run.failure)];
  return {
    scenario,
    pending: isPendingScenario(scenario),
    durationMs: Math.round(run.durationMs),
    timedOut: run.timedOut,
    checks: toCheckResults(scenario, checks),
  };
}

function firstLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .slice(0, 3)
    .join(' | ');
}

function describeChildFailure(child: ChildOutcome, timeoutMs: number): string {
  return child.timedOut
    ? `scenario did not finish within ${timeoutMs} ms`
    : `the CLI produced no checks (exit ${child.exitCode}): ${firstLines(child.stderr)}`;
}

/** Runs one server scenario in its own CLI process; a crash or timeout becomes a failed `runner-error` check. */
export async function runScenario(
  cli: ConformanceCli,
  url: string,
  scenario: string,
  timeoutMs: number,
): Promise<ScenarioResult> {
  const outputDir = await mkdtemp(join(tmpdir(), 'gatehouse-conformance-'));
  const started = performance.now();
  try {
    const args = ['server', '--url', url, '--scenario', scenario, '--output-dir', outputDir];
    const child = await runCli(cli, args, { timeoutMs });
    const raw = (await readResultsDirectory(outputDir)).get(scenario);
    return scenarioResult(scenario, raw, {
      durationMs: performance.now() - started,
      timedOut: child.timedOut,
      failure: describeChildFailure(child, timeoutMs),
    });
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}
