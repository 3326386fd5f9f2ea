/**
 * Builds Gatehouse and runs the real CLI (`node dist/src/main.js`) against the fixture, with a temporary
 * config.yaml. Its log level stays at the default (info, one line per request); stdout goes to /dev/null.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AGENT_MODEL_NAME, DEMO_MODEL_NAME } from './agent-wire.js';
import { MCP_PATH, MCP_SERVER_NAME } from './mcp-wire.js';
import { findFreePort, waitForHttp, type ChildProcesses } from './processes.js';

const BUILD_TIMEOUT_MS = 90_000;
const STDERR_KEPT_CHARS = 4_000;

const BUILD_INPUTS = ['src', 'providers'];
const BUILD_CONFIGS = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** True when dist/src/main.js exists and is newer than every source and build config (tsc rewrites it on each build). */
export async function isBuildFresh(root: string): Promise<boolean> {
  let builtAt: number;
  try {
    builtAt = (await stat(join(root, 'dist/src/main.js'))).mtimeMs;
  } catch {
    return false;
  }
  const inputs = [...BUILD_CONFIGS];
  for (const dir of BUILD_INPUTS) {
    const entries = await readdir(join(root, dir), { recursive: true });
    inputs.push(...entries.filter((entry) => entry.endsWith('.ts')).map((entry) => join(dir, entry)));
  }
  for (const input of inputs) {
    if ((await stat(join(root, input))).mtimeMs > builtAt) return false;
  }
  return true;
}

/** Compiles src/ and providers/ into dist/ (`npm run build` without npm's own start-up). */
export async function buildGatehouse(root: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
      cwd: root,
      timeout: BUILD_TIMEOUT_MS,
    });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? '';
    throw new Error(`npm run build failed (use --no-build to bench the existing dist/):\n${output.slice(0, STDERR_KEPT_CHARS)}`);
  }
}

export interface GatehouseRun {
  port: number;
  child: ChildProcess;
  /** Removes the temporary config directory. */
  cleanup(): Promise<void>;
}

export interface GatehouseOptions {
  root: string;
  /** The chat fixture behind the `bench` model. */
  fixturePort: number;
  /** The MCP fixture, configured under `mcp_servers` as `bench` (the MCP and agent-loop cases). */
  mcpFixturePort?: number;
  /** The scripted tool-calling model fixture behind `bench-agent` (the agent-loop case). */
  agentModelPort?: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** `general_settings` lines of the config, e.g. `disable_spend_logs: true` (the spend-logging case). */
  generalSettings?: string[];
}

export async function startGatehouse(children: ChildProcesses, options: GatehouseOptions): Promise<GatehouseRun> {
  const dir = await mkdtemp(join(tmpdir(), 'gatehouse-bench-'));
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, benchConfig(options));
  const port = await findFreePort();
  const env = { ...process.env };
  // The CLI reads these; the bench wants its defaults (info level) and its own flags.
  for (const name of ['LOG_LEVEL', 'PORT', 'HOST', 'CONFIG_FILE_PATH']) delete env[name];
  const args = [
    ...(options.nodeArgs ?? []),
    join(options.root, 'dist/src/main.js'),
    '--config',
    configPath,
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ];
  const child = children.spawn('gatehouse', process.execPath, args, {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT_CHARS);
  });
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await waitForHttp('gatehouse', `http://127.0.0.1:${port}/health/liveliness`, child);
  } catch (error) {
    await children.stop(child);
    await cleanup();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return { port, child, cleanup };
}

function benchConfig(options: GatehouseOptions): string {
  const lines = [
    '# Written by test/bench for one run; deleted afterwards.',
    'model_list:',
    '  - model_name: bench',
    '    litellm_params:',
    '      model: openai/bench-model',
    `      api_base: http://127.0.0.1:${options.fixturePort}/v1`,
    '      api_key: sk-bench',
  ];
  if (options.agentModelPort !== undefined) {
    lines.push(
      `  - model_name: ${AGENT_MODEL_NAME}`,
      '    litellm_params:',
      '      model: openai/bench-agent-model',
      `      api_base: http://127.0.0.1:${options.agentModelPort}/v1`,
      '      api_key: sk-bench',
      `  - model_name: ${DEMO_MODEL_NAME}`,
      '    litellm_params:',
      '      model: mock/demo',
    );
  }
  if (options.generalSettings !== undefined && options.generalSettings.length > 0) {
    lines.push('general_settings:', ...options.generalSettings.map((line) => `  ${line}`));
  }
  if (options.mcpFixturePort !== undefined) {
    lines.push('mcp_servers:', `  ${MCP_SERVER_NAME}:`, `    url: http://127.0.0.1:${options.mcpFixturePort}${MCP_PATH}`);
  }
  return [...lines, ''].join('\n');
}
