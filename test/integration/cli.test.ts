/**
 * Issue #2 point 1: the CLI built by `npm ci` (prepare → build) starts the proxy with --config/--port/--host,
 * honours PORT/HOST, prints --help, and refuses an invalid config naming the YAML path.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/main.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function waitForHealth(origin: string, timeoutMs = 15_000): Promise<void> {
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

describe('gatehouse CLI', () => {
  it('prints usage with --help', async () => {
    const cli = run('node', [MAIN, '--help']);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('Usage: gatehouse [--config FILE] [--port N] [--host H]');
  });

  it('starts from --config/--port/--host and serves the demo model', async () => {
    const port = await freePort();
    run('node', [MAIN, '--config', join(ROOT, 'config.yaml'), '--port', String(port), '--host', '127.0.0.1']);
    const origin = `http://127.0.0.1:${port}`;
    await waitForHealth(origin);
    const response = await fetch(`${origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'demo', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { object: string }).object).toBe('chat.completion');
  });

  it('takes the port and host from PORT and HOST', async () => {
    const port = await freePort();
    run('node', [MAIN, '--config', join(ROOT, 'config.yaml')], { PORT: String(port), HOST: '127.0.0.1' });
    await waitForHealth(`http://127.0.0.1:${port}`);
  });

  it('runs as `npx gatehouse` from the checkout', async () => {
    const cli = run('npx', ['--no-install', 'gatehouse', '--version']);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/^\d+\.\d+\.\d+$/m);
  });

  it('exits 1 naming the YAML path of an invalid config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-cli-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'model_list:\n  - model_name: x\n    litellm_params: { model: nopath }\n');
    const cli = run('node', [MAIN, '--config', file, '--port', '0']);
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('model_list[0].litellm_params.model: must be "<provider>/<model>"');
  });
});
