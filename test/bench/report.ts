/**
 * Turns one run into tables, rendered either as aligned plain text (the default) or as markdown
 * (`--markdown`, to paste into docs/benchmarks.md). Both renderers draw from the same table model; each case
 * (chat proxy here, MCP and agent loop in mcp-report.ts) contributes summary lines and tables.
 */
import { findMeasurement, TARGET_LABELS, TARGET_NAMES, type LlmResults, type RunInfo } from './bench-results.js';
import type { TargetCheck } from './targets.js';

export interface Table {
  title: string;
  headers: string[];
  /** Columns after the first `leftColumns` are right-aligned (numbers). */
  leftColumns: number;
  rows: string[][];
}

/** Everything one run prints: summary lines, then tables. */
export interface Report {
  summary: string[];
  tables: Table[];
}

const MODE_LABELS = { json: 'non-streaming', stream: 'streaming' } as const;
/** Above this, something else competed for the two cores during the run. */
const NOISY_FOREIGN_CPU_S = 2;

export const ms = (value: number) => value.toFixed(2);
export const signedMs = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;
/** A CPU figure in microseconds, or empty when /proc was not readable. */
export const cpuUs = (value: number | undefined) => (value === undefined ? '' : value.toFixed(0));

export function runSummaryLines(info: RunInfo): string[] {
  const foreign =
    info.foreignCpuS === undefined
      ? []
      : [
          `Other processes on the box used ${info.foreignCpuS.toFixed(1)} CPU-s of the ` +
            `${(info.cpus * info.measuringS).toFixed(0)} available while measuring` +
            (info.foreignCpuS > NOISY_FOREIGN_CPU_S ? ' (busy box: expect noisier numbers).' : '.'),
        ];
  return [
    `${info.cpus} CPUs (${info.cpuModel}), Node ${info.node}, all processes on one box over 127.0.0.1; total run ${info.elapsedS.toFixed(0)} s.`,
    'Gatehouse logs at info (one line per request) to /dev/null.',
    ...foreign,
  ];
}

export function llmSummaryLines(results: LlmResults): string[] {
  const { settings } = results;
  return [
    `Chat proxy: ${settings.durationS} s per target and load cell (${settings.rounds} slices, rotating targets), ` +
      `connections ${settings.connections.join('/')}, ${settings.ttfbRequests} sequential TTFB requests per target.`,
    "CPU us/req is the target process's own CPU time (all threads) per response; for direct, the fixture's.",
  ];
}

export function targetsTable(checks: readonly TargetCheck[]): Table {
  return {
    title: 'Targets',
    headers: ['target', 'measured', 'goal', 'result'],
    leftColumns: 1,
    rows: checks.map((check) => [check.name, check.value, check.limit, check.met ? 'met' : 'NOT MET']),
  };
}

export function llmTables(results: LlmResults): Table[] {
  const { settings } = results;
  const load: Table = {
    title: 'Throughput and latency (autocannon, keep-alive, pipelining 1; latency = full response)',
    headers: ['mode', 'conns', 'target', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'CPU us/req'],
    leftColumns: 3,
    rows: [],
  };
  const relative: Table = {
    title: 'Gatehouse against the references',
    headers: ['mode', 'conns', 'Gatehouse/bare req/s', 'bare/direct req/s', 'Gatehouse-direct p50 ms', 'Gatehouse-bare p50 ms'],
    leftColumns: 2,
    rows: [],
  };
  for (const mode of settings.modes) {
    for (const connections of settings.connections) {
      for (const target of TARGET_NAMES) {
        const { result, cpuUsPerRequest } = findMeasurement(results, target, mode, connections);
        load.rows.push([
          MODE_LABELS[mode],
          String(connections),
          TARGET_LABELS[target],
          result.requestsPerSecond.toFixed(0),
          ms(result.p50Ms),
          ms(result.p99Ms),
          String(result.failed),
          cpuUs(cpuUsPerRequest),
        ]);
      }
      const direct = findMeasurement(results, 'direct', mode, connections).result;
      const bare = findMeasurement(results, 'bare', mode, connections).result;
      const gatehouse = findMeasurement(results, 'gatehouse', mode, connections).result;
      relative.rows.push([
        MODE_LABELS[mode],
        String(connections),
        (gatehouse.requestsPerSecond / bare.requestsPerSecond).toFixed(2),
        (bare.requestsPerSecond / direct.requestsPerSecond).toFixed(2),
        signedMs(gatehouse.p50Ms - direct.p50Ms),
        signedMs(gatehouse.p50Ms - bare.p50Ms),
      ]);
    }
  }
  const ttfb: Table = {
    title: 'Streaming time to first body byte (sequential, one keep-alive connection)',
    headers: ['target', 'p50 ms', 'p99 ms', 'Gatehouse minus this, p50 ms', 'requests'],
    leftColumns: 1,
    rows: TARGET_NAMES.map((target) => [
      TARGET_LABELS[target],
      ms(results.ttfb[target].p50Ms),
      ms(results.ttfb[target].p99Ms),
      target === 'gatehouse' ? '' : signedMs(results.ttfb.gatehouse.p50Ms - results.ttfb[target].p50Ms),
      String(results.ttfb[target].count),
    ]),
  };
  return [load, relative, ttfb];
}

export function renderText(report: Report): string {
  const blocks = report.tables.map((table) => {
    const widths = table.headers.map((header, column) =>
      Math.max(header.length, ...table.rows.map((row) => row[column].length)),
    );
    const line = (cells: string[]) =>
      cells
        .map((cell, column) => (column < table.leftColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  ')
        .trimEnd();
    const rule = widths.map((width) => '-'.repeat(width)).join('  ');
    return [table.title, line(table.headers), rule, ...table.rows.map(line)].join('\n');
  });
  return [report.summary.join('\n'), ...blocks].join('\n\n') + '\n';
}

export function renderMarkdown(report: Report): string {
  const blocks = report.tables.map((table) => {
    const align = table.headers.map((_header, column) => (column < table.leftColumns ? '---' : '---:'));
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [`**${table.title}**`, '', line(table.headers), line(align), ...table.rows.map(line)].join('\n');
  });
  const summary = report.summary
    .map((line) => `- ${line}`)
    .join('\n');
  return [summary, ...blocks].join('\n\n') + '\n';
}
