/**
 * CPU time a child process has used (all its threads, so V8's GC helpers count), read from /proc.
 * Linux only: elsewhere it returns undefined and the report leaves the column empty.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Fields 14 and 15 of /proc/<pid>/stat (utime, stime) are in clock ticks. */
const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces; the fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy CPU time of the whole machine (all cores), from the first line of /proc/stat. */
function machineBusyMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...: everything but idle and iowait is busy.
    const busy = fields.slice(0, 8).reduce((sum, value, index) => (index === 3 || index === 4 ? sum : sum + value), 0);
    return (busy * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Measures how much CPU processes other than the bench's used while it ran: on a shared 2-core box,
 * anything more than a fraction of a second means the numbers are noisier than usual.
 */
export function startForeignCpuMeter(pids: readonly (number | undefined)[]): () => number | undefined {
  const ours = () => {
    const own = process.cpuUsage();
    let total = (own.user + own.system) / 1000;
    for (const pid of pids) total += processCpuMs(pid) ?? 0;
    return total;
  };
  const machineAtStart = machineBusyMs();
  const oursAtStart = ours();
  return () => {
    const machineNow = machineBusyMs();
    if (machineAtStart === undefined || machineNow === undefined) return undefined;
    return Math.max(0, machineNow - machineAtStart - (ours() - oursAtStart));
  };
}
