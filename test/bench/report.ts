/**
 * Turns one run into tables, rendered either as aligned plain text (the default) or as markdown
 * (`--markdown`, to paste into docs/benchmarks.md). Both renderers draw from the same table model.
 */
import { findMeasurement, TARGET_LABELS, TARGET_NAMES, type BenchResults } from './bench-results.js';
import { evaluateTargets } from './targets.js';

interface Table {
  title: string;
  headers: string[];
  /** Columns after the first `leftColumns` are right-aligned (numbers). */
  leftColumns: number;
  rows: string[][];
}

const MODE_LABELS = { json: 'non-streaming', stream: 'streaming' } as const;
/** Above this, something else competed for the two cores during the run. */
const NOISY_FOREIGN_CPU_S = 2;

const ms = (value: number) => value.toFixed(2);
const signedMs = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

function summaryLines(results: BenchResults): string[] {
  const { settings } = results;
  const foreign =
    results.foreignCpuS === undefined
      ? ''
      : ` Other processes on the box used ${results.foreignCpuS.toFixed(1)} CPU-s of the ` +
        `${(settings.cpus * results.measuringS).toFixed(0)} available while measuring` +
        (results.foreignCpuS > NOISY_FOREIGN_CPU_S ? ' (busy box: expect noisier numbers).' : '.');
  return [
    `${settings.cpus} CPUs (${settings.cpuModel}), Node ${settings.node}, all processes on one box over 127.0.0.1.`,
    `${settings.durationS} s per target and load cell (${settings.rounds} slices, rotating targets), ` +
      `connections ${settings.connections.join('/')}, ` +
      `${settings.ttfbRequests} sequential TTFB requests per target; total run ${results.elapsedS.toFixed(0)} s.`,
    'Gatehouse logs at info (one line per request) to /dev/null.',
    "CPU us/req is the target process's own CPU time (all threads) per response; for direct, the fixture's.",
    ...(foreign ? [foreign.trim()] : []),
  ];
}

function buildTables(results: BenchResults): Table[] {
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
          cpuUsPerRequest === undefined ? '' : cpuUsPerRequest.toFixed(0),
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
  const targets: Table = {
    title: 'Targets',
    headers: ['target', 'measured', 'goal', 'result'],
    leftColumns: 1,
    rows: evaluateTargets(results).map((check) => [check.name, check.value, check.limit, check.met ? 'met' : 'NOT MET']),
  };
  return [load, relative, ttfb, targets];
}

export function renderText(results: BenchResults): string {
  const blocks = buildTables(results).map((table) => {
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
  return [summaryLines(results).join('\n'), ...blocks].join('\n\n') + '\n';
}

export function renderMarkdown(results: BenchResults): string {
  const blocks = buildTables(results).map((table) => {
    const align = table.headers.map((_header, column) => (column < table.leftColumns ? '---' : '---:'));
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [`**${table.title}**`, '', line(table.headers), line(align), ...table.rows.map(line)].join('\n');
  });
  const summary = summaryLines(results)
    .map((line) => `- ${line}`)
    .join('\n');
  return [summary, ...blocks].join('\n\n') + '\n';
}
