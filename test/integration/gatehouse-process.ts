/**
 * Gatehouse as a real OS process for tests: the built CLI (`dist/src/main.js`, built by `npm test`'s pretest) run
 * with `node`, its output captured, a free loopback port, and waiting for its health route. Callers kill what they
 * started (`stopAll`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../fixtures/mcp/server-everything.js';

export { freePort };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MAIN = join(ROOT, 'dist/src/main.js');

const children: ChildProcess[] = [];

export interface RunningCommand {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function run(command: string, args: string[], env: Record<string, string> = {}): RunningCommand {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

/** Stops every process started here (SIGTERM) and waits for them to exit. */
export async function stopAll(): Promise<void> {
  const running = children.splice(0);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
        }),
    ),
  );
}

export async function waitForHealth(origin: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${origin}/health/liveliness`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${origin}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** A Gatehouse process serving `yaml` (written to a temp dir, its SQLite store beside it) on a free port. */
export async function startGatehouseProcess(yaml: string, env: Record<string, string> = {}): Promise<{ origin: string; command: RunningCommand }> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-process-'));
  const config = join(dir, 'config.yaml');
  await writeFile(config, yaml);
  const port = await freePort();
  const command = run('node', [MAIN, '--config', config, '--port', String(port), '--host', '127.0.0.1'], { LOG_LEVEL: 'warn', ...env });
  const origin = `http://127.0.0.1:${port}`;
  await Promise.race([
    waitForHealth(origin),
    command.exited.then((code) => {
      throw new Error(`gatehouse exited with ${code}: ${command.output()}`);
    }),
  ]);
  return { origin, command };
}
