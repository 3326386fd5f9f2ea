/**
 * The bench's child processes, in one registry so every exit path (normal end, error, Ctrl-C, deadline)
 * stops all of them: SIGTERM first, SIGKILL for any still alive after a grace period.
 */
import { fork, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { isReadyMessage } from './child-lifecycle.js';

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

export interface StartedChild {
  name: string;
  child: ChildProcess;
  port: number;
}

export class ChildProcesses {
  private readonly children = new Map<ChildProcess, string>();
  private readonly stopping = new Set<ChildProcess>();
  private armed = false;

  /** Once armed, called when a child exits without being asked to: its measurements would be meaningless. */
  constructor(private readonly onUnexpectedExit: (name: string, how: string) => void) {}

  /** Called once every child is up; before that, start-up errors are reported by whoever started the child. */
  arm(): void {
    this.armed = true;
  }

  /** Forks a bench TypeScript program (run through tsx) and waits for its `ready` message with the port. */
  async forkServer(name: string, script: string, args: string[], cwd: string): Promise<StartedChild> {
    const child = fork(script, args, { cwd, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.track(name, child);
    const port = await withTimeout(
      name,
      new Promise<number>((resolve, reject) => {
        child.on('message', (message) => {
          if (isReadyMessage(message)) resolve(message.port);
        });
        child.once('exit', (code, signal) => reject(new Error(`${name} exited before it was ready (${signal ?? code})`)));
        child.once('error', reject);
      }),
    );
    return { name, child, port };
  }

  /** Spawns any command; the caller decides when it is ready. */
  spawn(name: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, options);
    this.track(name, child);
    return child;
  }

  /** Stops one child and waits for it to exit (Node writes `--cpu-prof` files during this exit). */
  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children.keys()].map((child) => this.stop(child)));
  }

  /** Last resort from a synchronous `exit` handler: no waiting is possible there. */
  killAllNow(): void {
    for (const child of this.children.keys()) {
      this.stopping.add(child);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  private track(name: string, child: ChildProcess): void {
    this.children.set(child, name);
    child.once('exit', (code, signal) => {
      this.children.delete(child);
      if (!this.stopping.delete(child) && this.armed) this.onUnexpectedExit(name, `${signal ?? `exit code ${code}`}`);
    });
  }
}

/** A port that was free a moment ago, for a CLI that must be told its port up front. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('could not allocate a port');
  return address.port;
}

/** Polls `url` until it answers 200, failing fast if `child` exits first. */
export async function waitForHttp(name: string, url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited before it was ready (${child.signalCode ?? child.exitCode})`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${name} was not ready at ${url} within ${READY_TIMEOUT_MS} ms`);
}

function withTimeout<T>(name: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} was not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
