/**
 * Runs the MCP conformance server scenarios against any Streamable HTTP URL and reports every check.
 * Run directly: `tsx test/conformance/run-conformance.ts --url URL [--scenario S]… [--concurrency N]
 * [--timeout MS] [--json FILE]` prints a summary table and `N passed, M failed`; exits 1 on any failure or warning.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runSuiteBatch } from './conformance-batch.js';
import { listServerScenarios, locateConformanceCli, runScenario, type ConformanceCli } from './conformance-cli.js';
import { buildReport, formatSummary, type ConformanceReport, type ScenarioResult } from './conformance-report.js';

export interface RunConformanceOptions {
  /**
   * Defaults to every server scenario the CLI lists, pending ones included, run in one CLI process.
   * Given explicitly, each scenario runs in its own CLI process.
   */
  scenarios?: string[];
  /** How many per-scenario CLI processes (each its own MCP session) run at once. Default 4. */
  concurrency?: number;
  /** Per scenario; a scenario still running then is killed and reported as failed. Default 60 s. */
  scenarioTimeoutMs?: number;
}

const DEFAULT_CONCURRENCY = 4;
/** server-sse-polling alone may legitimately wait 10 s + 5 s on streams. */
const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000;
const LIST_TIMEOUT_MS = 30_000;

async function runEach(
  cli: ConformanceCli,
  url: string,
  scenarios: readonly string[],
  options: { concurrency: number; timeoutMs: number },
): Promise<ScenarioResult[]> {
  const results = new Array<ScenarioResult>(scenarios.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scenarios.length) {
      const index = next;
      next += 1;
      results[index] = await runScenario(cli, url, scenarios[index] ?? '', options.timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, scenarios.length) }, worker));
  return results;
}

/** Runs the server scenarios against `url` and reports every check, in the CLI's scenario order. */
export async function runConformance(url: string, options: RunConformanceOptions = {}): Promise<ConformanceReport> {
  const cli = await locateConformanceCli();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const timeoutMs = options.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const scenarios = options.scenarios ?? (await listServerScenarios(cli, LIST_TIMEOUT_MS));
  const results = new Map<string, ScenarioResult>();
  if (options.scenarios === undefined) {
    const batch = await runSuiteBatch(cli, url, timeoutMs);
    for (const [scenario, result] of batch.completed) results.set(scenario, result);
    if (batch.timedOut !== undefined) results.set(batch.timedOut.scenario, batch.timedOut);
  }
  // Whatever the batch did not finish (a crash, or scenarios after a timeout) runs one process per scenario.
  const remaining = scenarios.filter((scenario) => !results.has(scenario));
  const rerun = await runEach(cli, url, remaining, { concurrency, timeoutMs });
  for (const result of rerun) results.set(result.scenario, result);
  const ordered = scenarios.flatMap((scenario) => results.get(scenario) ?? []);
  const durationMs = Math.round(performance.now() - started);
  return buildReport({ url, cliVersion: cli.version, startedAt, durationMs }, ordered);
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`--${name} must be a positive integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'string' },
    },
  });
  if (values.url === undefined) throw new Error('--url is required, e.g. --url http://127.0.0.1:3000/mcp');
  const report = await runConformance(values.url, {
    scenarios: values.scenario,
    concurrency: positiveInteger('concurrency', values.concurrency),
    scenarioTimeoutMs: positiveInteger('timeout', values.timeout),
  });
  if (values.json !== undefined) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatSummary(report)}\n`);
  process.exitCode = report.totals.failed > 0 || report.totals.warnings > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
