/**
 * Issue #2 point 1: the CLI built by `npm ci` (prepare → build) starts the proxy with --config/--port/--host,
 * honours PORT/HOST, prints --help, and refuses an invalid config naming the YAML path.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, MAIN, ROOT, run, stopAll, waitForHealth } from './gatehouse-process.js';

afterEach(() => stopAll());

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

  it("accepts LiteLLM's --detailed_debug as --log-level debug", async () => {
    const port = await freePort();
    const cli = run('node', [MAIN, '--config', join(ROOT, 'config.yaml'), '--port', String(port), '--host', '127.0.0.1', '--detailed_debug']);
    const origin = `http://127.0.0.1:${port}`;
    await waitForHealth(origin);
    const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
    // The 4xx line is written at debug level only.
    await expect.poll(() => cli.output()).toContain('request rejected');
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
