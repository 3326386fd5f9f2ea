/**
 * The live process groups of stdio upstreams, so proxy shutdown can stop every one of them (and their
 * grandchildren, e.g. `npx` → node) and a last-resort `exit` hook can SIGKILL whatever is left.
 */
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/** One process group the registry can stop; `ProcessGroupStdioTransport` registers itself as one. */
export interface ProcessGroupHandle {
  /** The group id, equal to the pid of its leader (spawned with `detached: true`). */
  readonly pgid: number;
  /** Stops the whole group: SIGTERM, then SIGKILL after a grace period; resolves once it is gone. */
  close(): Promise<void>;
}

const POLL_MS = 25;

/** Sends `signal` to every process in the group; false when the group no longer exists. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  // kill(0) would signal our own group and kill(-1) every process we may signal: never let a bad id through.
  if (!Number.isSafeInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM means a member exists that we may not signal; only ESRCH means the group is gone.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: an orphaned grandchild
 * is reparented to PID 1, and an init that does not reap (as in some containers) leaves it `Z` forever,
 * though it holds no resources and cannot be killed.
 */
export async function isProcessGroupAlive(pgid: number): Promise<boolean> {
  if (!signalProcessGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const members = await listProcessGroupMembers(pgid);
  return members.some((member) => member.state !== 'Z');
}

export interface ProcessGroupMember {
  pid: number;
  /** The one-letter state from /proc/<pid>/stat (`R`, `S`, `Z`, …). */
  state: string;
}

/** Members of a process group, read from /proc (Linux only; empty elsewhere). */
export async function listProcessGroupMembers(pgid: number): Promise<ProcessGroupMember[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const members: ProcessGroupMember[] = [];
  await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        let stat: string;
        try {
          stat = await readFile(`/proc/${entry}/stat`, 'utf8');
        } catch {
          return; // exited while we looked
        }
        // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), state: fields[0] ?? '?' });
      }),
  );
  return members;
}

/** Polls until the group has no running member or `timeoutMs` passes; true when it is gone. */
export async function waitForProcessGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await isProcessGroupAlive(pgid))) return true;
    if (Date.now() >= deadline) return false;
    await delay(POLL_MS);
  }
}

export class ChildProcessRegistry {
  private readonly groups = new Set<ProcessGroupHandle>();

  register(group: ProcessGroupHandle): void {
    this.groups.add(group);
  }

  unregister(group: ProcessGroupHandle): void {
    this.groups.delete(group);
  }

  get size(): number {
    return this.groups.size;
  }

  /** Group ids still tracked (started and not yet fully gone). */
  pgids(): number[] {
    return [...this.groups].map((group) => group.pgid);
  }

  /** Stops every group (SIGTERM, then SIGKILL after its grace period) and waits until they are gone. */
  async killAll(): Promise<void> {
    const groups = [...this.groups];
    await Promise.allSettled(groups.map((group) => group.close()));
    // A close() that failed must not leave its group behind.
    for (const group of groups) {
      if (this.groups.has(group)) {
        signalProcessGroup(group.pgid, 'SIGKILL');
        this.groups.delete(group);
      }
    }
  }

  /**
   * Installs a synchronous `process.on('exit')` hook that SIGKILLs every remaining group: nothing can
   * be awaited there, so this is the last resort when the proxy exits without `killAll()`.
   * Returns a function that removes the hook.
   */
  installExitHook(): () => void {
    const onExit = (): void => {
      for (const group of this.groups) signalProcessGroup(group.pgid, 'SIGKILL');
    };
    process.on('exit', onExit);
    return () => {
      process.off('exit', onExit);
    };
  }
}
