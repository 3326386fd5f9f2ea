/**
 * Runs the whole server suite in one CLI process (`--suite all --output-dir`): a CLI start costs about half a
 * second of CPU, so 32 separate processes cost far more than the scenarios themselves. A watchdog still bounds
 * each scenario: the CLI announces each one on stdout, and silence past the timeout kills the batch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readResultsDirectory,
  runCli,
  scenarioResult,
  type ConformanceCli,
} from './conformance-cli.js';
import type { ScenarioResult } from './conformance-report.js';

const SCENARIO_START = /^=== Running scenario: (\S+) ===$/gm;

export interface BatchOutcome {
  /** Scenarios the batch finished, with their checks. */
  completed: Map<string, ScenarioResult>;
  /** The scenario running when the watchdog fired, reported as a failed runner-error check. */
  timedOut?: ScenarioResult;
}

export async function runSuiteBatch(cli: ConformanceCli, url: string, timeoutMs: number): Promise<BatchOutcome> {
  const outputDir = await mkdtemp(join(tmpdir(), 'gatehouse-conformance-'));
  const starts: Array<{ scenario: string; at: number }> = [];
  try {
    const args = ['server', '--url', url, '--suite', 'all', '--output-dir', outputDir];
    const child = await runCli(cli, args, {
      timeoutMs,
      onStdout: (stdout) => {
        const seen = [...stdout.matchAll(SCENARIO_START)].map((match) => match[1] ?? '');
        const fresh = seen.slice(starts.length);
        for (const scenario of fresh) starts.push({ scenario, at: performance.now() });
        return fresh.length > 0;
      },
    });
    const ended = performance.now();
    const raw = await readResultsDirectory(outputDir);
    const completed = new Map<string, ScenarioResult>();
    let timedOut: ScenarioResult | undefined;
    starts.forEach(({ scenario, at }, index) => {
      const durationMs = (starts[index + 1]?.at ?? ended) - at;
      const checks = raw.get(scenario);
      if (checks !== undefined) {
        completed.set(scenario, scenarioResult(scenario, checks, { durationMs, timedOut: false, failure: '' }));
      } else if (child.timedOut && index === starts.length - 1) {
        const failure = `scenario did not finish within ${timeoutMs} ms`;
        timedOut = scenarioResult(scenario, undefined, { durationMs, timedOut: true, failure });
      }
    });
    return { completed, timedOut };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}
