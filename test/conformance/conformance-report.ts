/**
 * The conformance report: every scenario and check the CLI produced, a flat `scenario/check → outcome` map
 * that diffs cleanly between two runs (e.g. fixture directly vs. through the gateway), and a text summary.
 */
import { z } from 'zod';

/** Statuses the conformance CLI writes into checks.json. */
export type CheckStatus = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | 'SKIPPED';
export type CheckOutcome = 'passed' | 'failed' | 'warning' | 'info';

export const RawCheckSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  description: z.string().optional(),
  status: z.string(),
  errorMessage: z.string().optional(),
});
export type RawCheck = z.infer<typeof RawCheckSchema>;

export interface CheckResult {
  /** `scenario/check-id`, with `#n` appended when the id repeats within the scenario. */
  key: string;
  id: string;
  description: string;
  status: string;
  outcome: CheckOutcome;
  message?: string;
  /** False for INFO traces (requests sent, events received), which stay out of `statuses`. */
  comparable: boolean;
}

export interface ScenarioResult {
  scenario: string;
  /** In the CLI's "pending" suite, which its default (active) run skips. */
  pending: boolean;
  /** Wall time; in a batch run, from this scenario's start to the next one's. */
  durationMs: number;
  timedOut: boolean;
  checks: CheckResult[];
}

export interface ConformanceTotals {
  scenarios: number;
  passed: number;
  failed: number;
  warnings: number;
  info: number;
}

export interface ConformanceReport {
  url: string;
  cliVersion: string;
  startedAt: string;
  durationMs: number;
  scenarios: ScenarioResult[];
  /** `scenario/check → outcome`, sorted by key: the part to diff between runs. */
  statuses: Record<string, CheckOutcome>;
  totals: ConformanceTotals;
}

export interface StatusChange {
  key: string;
  before: CheckOutcome | 'missing';
  after: CheckOutcome | 'missing';
}

/**
 * INFO checks the CLI emits as a trace of what it sent and received (how many depends on timing and on the
 * server), as opposed to INFO outcomes such as "server-sse-disconnect-resume: not applicable".
 */
const TRACE_CHECK_IDS = new Set([
  'outgoing-request',
  'incoming-response',
  'incoming-sse-event',
  'stream-closed',
]);

const OUTCOMES: Readonly<Record<string, CheckOutcome>> = {
  SUCCESS: 'passed',
  FAILURE: 'failed',
  WARNING: 'warning',
  INFO: 'info',
  SKIPPED: 'info',
};

/** Turns the CLI's checks for one scenario into keyed results; an unknown status counts as a failure. */
export function toCheckResults(scenario: string, raw: readonly RawCheck[]): CheckResult[] {
  const counts = new Map<string, number>();
  for (const check of raw) counts.set(check.id, (counts.get(check.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  return raw.map((check) => {
    const occurrence = (seen.get(check.id) ?? 0) + 1;
    seen.set(check.id, occurrence);
    const repeated = (counts.get(check.id) ?? 0) > 1;
    const outcome = OUTCOMES[check.status] ?? 'failed';
    const unknownStatus = OUTCOMES[check.status] === undefined ? `unknown status ${check.status}` : undefined;
    return {
      key: repeated ? `${scenario}/${check.id}#${occurrence}` : `${scenario}/${check.id}`,
      id: check.id,
      description: check.description ?? check.name ?? check.id,
      status: check.status,
      outcome,
      message: check.errorMessage ?? unknownStatus,
      comparable: outcome !== 'info' || (!repeated && !TRACE_CHECK_IDS.has(check.id)),
    };
  });
}

export function buildReport(
  meta: { url: string; cliVersion: string; startedAt: string; durationMs: number },
  scenarios: ScenarioResult[],
): ConformanceReport {
  const checks = scenarios.flatMap((scenario) => scenario.checks);
  const statuses: Record<string, CheckOutcome> = {};
  for (const check of [...checks].sort((a, b) => a.key.localeCompare(b.key))) {
    if (check.comparable) statuses[check.key] = check.outcome;
  }
  const count = (outcome: CheckOutcome): number => checks.filter((check) => check.outcome === outcome).length;
  return {
    ...meta,
    scenarios,
    statuses,
    totals: {
      scenarios: scenarios.length,
      passed: count('passed'),
      failed: count('failed'),
      warnings: count('warning'),
      info: count('info'),
    },
  };
}

/** Checks whose outcome differs between two reports, including checks only one of them has. */
export function compareReports(before: ConformanceReport, after: ConformanceReport): StatusChange[] {
  const keys = new Set([...Object.keys(before.statuses), ...Object.keys(after.statuses)]);
  return [...keys]
    .sort()
    .map((key) => ({ key, before: before.statuses[key] ?? 'missing', after: after.statuses[key] ?? 'missing' }))
    .filter((change) => change.before !== change.after);
}

/** Checks that failed or only warned, one line each, for assertion messages and CLI output. */
export function describeProblems(report: ConformanceReport): string[] {
  return report.scenarios
    .flatMap((scenario) => scenario.checks)
    .filter((check) => check.outcome === 'failed' || check.outcome === 'warning')
    .map((check) => `${check.key} ${check.outcome}: ${check.message ?? check.description}`);
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** A table of every comparable check, then `N passed, M failed` totals. */
export function formatSummary(report: ConformanceReport): string {
  const rows = [['SCENARIO', 'CHECK', 'OUTCOME', 'MESSAGE']];
  for (const scenario of report.scenarios) {
    const label = scenario.pending ? `${scenario.scenario} (pending)` : scenario.scenario;
    for (const check of scenario.checks.filter((entry) => entry.comparable)) {
      const message = check.outcome === 'passed' || check.outcome === 'info' ? '' : (check.message ?? '');
      rows.push([label, check.key.slice(scenario.scenario.length + 1), check.outcome, message]);
    }
  }
  const { totals } = report;
  const seconds = (report.durationMs / 1000).toFixed(1);
  return [
    `conformance ${report.cliVersion} against ${report.url}`,
    '',
    ...pad(rows),
    '',
    `${totals.passed} passed, ${totals.failed} failed` +
      ` (${totals.warnings} warnings, ${totals.info} info; ${totals.scenarios} scenarios in ${seconds} s)`,
  ].join('\n');
}
