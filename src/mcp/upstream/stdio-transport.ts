/**
 * MCP over a child's stdin/stdout, with the child in its own process group so closing it also stops
 * its descendants (`npx` → node, `sh -c` → python). The SDK's `StdioClientTransport` signals only
 * the direct child, which leaves such grandchildren running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { InternalError, McpUpstreamError } from '../../http/errors.js';
import {
  signalProcessGroup,
  waitForProcessGroupExit,
  type ChildProcessRegistry,
  type ProcessGroupHandle,
} from './child-process-registry.js';

/** Time the group gets to exit after SIGTERM before it is SIGKILLed. */
const TERM_GRACE_MS = 2_000;
/** Bound on waiting after SIGKILL (which cannot be caught) and for the pipes to close. */
const KILL_WAIT_MS = 2_000;
const PIPES_CLOSE_WAIT_MS = 1_000;

export interface ProcessGroupStdioTransportOptions {
  command: string;
  args: string[];
  /** Added to the SDK's `getDefaultEnvironment()` (HOME, PATH, …), so `npx` and friends still work. */
  env: Record<string, string>;
  cwd?: string;
  /** Each stderr line; without it stderr is discarded. */
  onStderr?: (line: string) => void;
  registry: ChildProcessRegistry;
  /** Milliseconds between SIGTERM and SIGKILL on close; 2 s by default. */
  termGraceMs?: number;
}

/** The child process exited (or was killed) without `close()` being called; the hub restarts it. */
export class StdioProcessExitedError extends McpUpstreamError {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;

  constructor(command: string, pid: number, exitCode: number | null, signal: NodeJS.Signals | null) {
    const how = signal === null ? `with code ${exitCode ?? 'unknown'}` : `by signal ${signal}`;
    super(`MCP stdio server "${command}" (pid ${pid}) exited unexpectedly ${how}`);
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

export class ProcessGroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  private readonly options: ProcessGroupStdioTransportOptions;
  private readonly readBuffer = new ReadBuffer();
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private spawned = false;
  private leaderExited = false;
  private group: ProcessGroupHandle | undefined;
  private exitError: StdioProcessExitedError | undefined;
  private shutdown: Promise<void> | undefined;
  private notified = false;
  private readonly leaderExit: Promise<void>;
  private readonly pipesClosed: Promise<void>;
  private resolveLeaderExit: () => void = () => undefined;
  private resolvePipesClosed: () => void = () => undefined;

  constructor(options: ProcessGroupStdioTransportOptions) {
    this.options = options;
    this.leaderExit = new Promise((resolve) => (this.resolveLeaderExit = resolve));
    this.pipesClosed = new Promise((resolve) => (this.resolvePipesClosed = resolve));
  }

  /** The child's pid, which is also its process group id; undefined before a successful start. */
  get pid(): number | undefined {
    return this.spawned ? this.child?.pid : undefined;
  }

  /** True once the child has exited (or could not be spawned). */
  get exited(): boolean {
    return this.leaderExited;
  }

  /** Spawns the child in its own process group; resolves once it runs, rejects naming the command if it cannot start. */
  start(): Promise<void> {
    if (this.starting) {
      return Promise.reject(new InternalError(`MCP stdio transport for "${this.options.command}" was already started`));
    }
    this.starting = new Promise<void>((resolve, reject) => {
      const { command, args, env, cwd, onStderr } = this.options;
      if (command.trim() === '') {
        this.leaderExited = true;
        reject(new McpUpstreamError('could not start MCP stdio server: no command configured'));
        return;
      }
      let child: ChildProcess;
      try {
        child = spawn(command, args, {
          detached: true, // setsid(): the child leads a new process group, so -pid reaches all its descendants
          stdio: ['pipe', 'pipe', onStderr ? 'pipe' : 'ignore'],
          env: { ...getDefaultEnvironment(), ...env },
          cwd,
          shell: false,
          windowsHide: true,
        });
      } catch (error) {
        this.leaderExited = true; // invalid arguments (e.g. a NUL byte) throw instead of emitting 'error'
        reject(spawnError(command, cwd, error as NodeJS.ErrnoException));
        return;
      }
      this.child = child;
      child.on('error', (error) => {
        if (this.spawned) this.report(new McpUpstreamError(`MCP stdio server "${command}": ${error.message}`, { cause: error }));
        else {
          this.leaderExited = true;
          reject(spawnError(command, cwd, error));
        }
      });
      child.once('spawn', () => {
        this.spawned = true;
        const pgid = child.pid ?? 0;
        this.group = { pgid, close: () => this.close() };
        this.options.registry.register(this.group);
        resolve();
      });
      child.once('exit', (code, signal) => this.onLeaderExit(code, signal));
      child.once('close', () => this.resolvePipesClosed());
      child.stdout?.on('data', (chunk: Buffer) => this.onStdout(chunk));
      child.stdout?.on('error', (error) => this.report(this.pipeError('stdout', error)));
      // EPIPE after the child died is expected; the exit itself is what gets reported.
      child.stdin?.on('error', (error) => {
        if (!this.leaderExited && !this.shutdown) this.report(this.pipeError('stdin', error));
      });
      if (onStderr && child.stderr) {
        createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
          try {
            onStderr(line);
          } catch (error) {
            this.report(new InternalError(`stderr handler for "${command}" threw`, { cause: error }));
          }
        });
      }
    });
    return this.starting;
  }

  /** Writes one message, waiting for `drain` when the pipe is full. */
  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!this.spawned || this.shutdown || !stdin || !stdin.writable) {
      throw this.exitError ?? new McpUpstreamError(`MCP stdio server "${this.options.command}" is not running`);
    }
    if (!stdin.write(serializeMessage(message))) await this.waitForDrain(stdin);
  }

  /**
   * Ends stdin, SIGTERMs the whole process group, SIGKILLs it after the grace period if anything is
   * still running, and resolves once the child has exited. Safe to call more than once.
   */
  close(): Promise<void> {
    this.shutdown ??= this.closeGroup();
    return this.shutdown;
  }

  private async closeGroup(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const pgid = this.pid;
    if (pgid !== undefined) {
      try {
        this.child?.stdin?.end();
      } catch {
        // already destroyed: the child is going away anyway
      }
      await this.terminateGroup(pgid);
      await settlesWithin(this.pipesClosed, PIPES_CLOSE_WAIT_MS);
      this.unregister();
    }
    this.readBuffer.clear();
    this.notifyClosed();
  }

  /** The child went away on its own: report it, then stop whatever else is left in its group. */
  private onLeaderExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.leaderExited = true;
    this.resolveLeaderExit();
    if (this.shutdown || !this.spawned) return;
    const pgid = this.child?.pid ?? 0;
    this.exitError = new StdioProcessExitedError(this.options.command, pgid, code, signal);
    const reaped = this.terminateGroup(pgid).then(() => this.unregister());
    this.shutdown = (async () => {
      // Read what the child wrote before it died, but do not wait on grandchildren holding the pipe.
      await settlesWithin(this.pipesClosed, PIPES_CLOSE_WAIT_MS);
      this.readBuffer.clear();
      this.notifyClosed();
      await reaped;
    })();
  }

  private async terminateGroup(pgid: number): Promise<void> {
    const graceMs = this.options.termGraceMs ?? TERM_GRACE_MS;
    signalProcessGroup(pgid, 'SIGTERM');
    if (await this.groupGoneWithin(pgid, graceMs)) return;
    signalProcessGroup(pgid, 'SIGKILL');
    await this.groupGoneWithin(pgid, KILL_WAIT_MS);
  }

  /** Waits for the leader's `exit` event (so Node has reaped it), then for the rest of the group. */
  private async groupGoneWithin(pgid: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    if (!(await settlesWithin(this.leaderExit, timeoutMs))) return false;
    return waitForProcessGroupExit(pgid, Math.max(0, deadline - Date.now()));
  }

  private unregister(): void {
    if (this.group) this.options.registry.unregister(this.group);
  }

  private notifyClosed(): void {
    if (this.notified) return;
    this.notified = true;
    if (this.exitError) this.report(this.exitError);
    this.onclose?.();
  }

  private onStdout(chunk: Buffer): void {
    if (this.notified) return; // a grandchild still writing after onclose: nobody is listening
    try {
      this.readBuffer.append(chunk);
    } catch (error) {
      this.report(new McpUpstreamError(`MCP stdio server "${this.options.command}" sent an oversized message`, { cause: error }));
      return;
    }
    for (;;) {
      let message: JSONRPCMessage | null;
      try {
        message = this.readBuffer.readMessage();
      } catch (error) {
        // ReadBuffer has already consumed the bad line, so the loop moves on to the next one.
        this.report(new McpUpstreamError(`MCP stdio server "${this.options.command}" wrote a stdout line that is not JSON-RPC`, { cause: error }));
        continue;
      }
      if (message === null) return;
      try {
        this.onmessage?.(message);
      } catch (error) {
        this.report(new InternalError(`handling a message from "${this.options.command}" threw`, { cause: error }));
      }
    }
  }

  private waitForDrain(stdin: Writable): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error): void => {
        stdin.off('drain', onDrain);
        stdin.off('close', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = (): void => done();
      const onClose = (): void =>
        done(this.exitError ?? new McpUpstreamError(`MCP stdio server "${this.options.command}" closed its stdin`));
      stdin.on('drain', onDrain);
      stdin.on('close', onClose);
    });
  }

  private pipeError(pipe: string, error: Error): McpUpstreamError {
    return new McpUpstreamError(`MCP stdio server "${this.options.command}" ${pipe}: ${error.message}`, { cause: error });
  }

  private report(error: Error): void {
    this.onerror?.(error);
  }
}

function spawnError(command: string, cwd: string | undefined, error: NodeJS.ErrnoException): McpUpstreamError {
  const reason =
    error.code === 'ENOENT'
      ? cwd === undefined
        ? 'command not found'
        : `command not found, or working directory "${cwd}" does not exist`
      : (error.code ?? error.message);
  return new McpUpstreamError(`could not start MCP stdio server "${command}": ${reason}`, { cause: error });
}

/** Whether `promise` settles within `ms`; the timer is cleared either way. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
