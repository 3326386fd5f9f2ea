/**
 * ProcessGroupStdioTransport against real stdio MCP servers (server-everything, server-memory), spawned
 * directly and through wrappers (`sh -c`, `npx`) whose grandchildren must die with the group.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { McpUpstreamError } from '../../src/http/errors.js';
import { ChildProcessRegistry } from '../../src/mcp/upstream/child-process-registry.js';
import {
  ProcessGroupStdioTransport,
  StdioProcessExitedError,
  type ProcessGroupStdioTransportOptions,
} from '../../src/mcp/upstream/stdio-transport.js';

const ROOT = resolve(import.meta.dirname, '../..');
const EVERYTHING = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
const EVERYTHING_BIN = join(ROOT, 'node_modules/.bin/mcp-server-everything');
const MEMORY = join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
const NODE = process.execPath;
const WAIT_MS = 10_000;
const execFileAsync = promisify(execFile);

/** A stand-in proxy: starts a group whose `sleep` survives stdin EOF, prints the pgid and exits at once. */
const EXITING_PROXY = `
import { ChildProcessRegistry } from '${pathToFileURL(join(ROOT, 'src/mcp/upstream/child-process-registry.ts')).href}';
import { ProcessGroupStdioTransport } from '${pathToFileURL(join(ROOT, 'src/mcp/upstream/stdio-transport.ts')).href}';
const registry = new ChildProcessRegistry();
if (process.argv[2] === 'hook') registry.installExitHook();
const transport = new ProcessGroupStdioTransport({ command: 'sh', args: ['-c', 'sleep 30; exit 0'], env: {}, registry });
await transport.start();
process.stdout.write(String(transport.pid));
process.exit(0);
`;

/** Rejects if `promise` does not settle within `ms`, so no test can hang on a process. */
function within<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Running (non-zombie) members of a process group, read with ps, independently of the code under test. */
function liveGroupMembers(pgid: number): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .filter(([, group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/**
 * Whether `pid` still runs. A zombie does not: our PID 1 (the sandbox's init) never reaps orphans, so a killed
 * grandchild stays `Z` and `kill(pid, 0)` keeps succeeding on it.
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    return !execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when the pid is gone
  }
}

function killGroup(pgid: number): void {
  if (pgid <= 1) return; // -0 and -1 would hit the test runner itself
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function until(check: () => boolean, label: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

/** sh stays the group leader and runs node as its child, so the server is a grandchild of the proxy. */
function shWrapped(script: string): Pick<ProcessGroupStdioTransportOptions, 'command' | 'args'> {
  return { command: 'sh', args: ['-c', script] };
}

describe('ProcessGroupStdioTransport', () => {
  let registry: ChildProcessRegistry;
  let clients: Client[];
  let transports: ProcessGroupStdioTransport[];

  beforeEach(() => {
    registry = new ChildProcessRegistry();
    clients = [];
    transports = [];
  });

  afterEach(async () => {
    await Promise.allSettled(clients.map((client) => within(client.close(), 'client.close in cleanup')));
    await within(registry.killAll(), 'registry.killAll in cleanup').catch(() => undefined);
    // Only if the code under test failed to stop a group: SIGKILL whatever is left of it.
    for (const each of transports) {
      if (each.pid !== undefined && !each.exited) killGroup(each.pid);
    }
  });

  function transport(options: Partial<ProcessGroupStdioTransportOptions> & Pick<ProcessGroupStdioTransportOptions, 'command' | 'args'>) {
    const created = new ProcessGroupStdioTransport({ env: {}, registry, ...options });
    transports.push(created);
    return created;
  }

  async function connect(over: ProcessGroupStdioTransport): Promise<Client> {
    const client = new Client({ name: 'stdio-transport-test', version: '0.0.0' });
    clients.push(client);
    await within(client.connect(over), 'client.connect');
    return client;
  }

  it('serves server-everything through its package bin: lists tools, calls echo, passes stderr lines on', async () => {
    const stderr: string[] = [];
    const over = transport({ command: EVERYTHING_BIN, args: ['stdio'], onStderr: (line) => stderr.push(line) });
    const client = await connect(over);

    const { tools } = await within(client.listTools(), 'tools/list');
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await within(client.callTool({ name: 'echo', arguments: { message: 'hello gatehouse' } }), 'echo');
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello gatehouse' }]);
    expect(stderr.join('\n')).toContain('Starting default (STDIO) server');
    expect(over.pid).toBeGreaterThan(0);
    expect(registry.pgids()).toEqual([over.pid]);
  });

  it('serves server-memory with env from the definition: creates and reads back an entity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-memory-'));
    try {
      const memoryFile = join(dir, 'memory.jsonl');
      const client = await connect(transport({ command: NODE, args: [MEMORY], env: { MEMORY_FILE_PATH: memoryFile } }));
      const entity = { name: 'gatehouse', entityType: 'project', observations: ['an LLM proxy with an MCP gateway'] };
      await within(client.callTool({ name: 'create_entities', arguments: { entities: [entity] } }), 'create_entities');
      const read = await within(client.callTool({ name: 'open_nodes', arguments: { names: ['gatehouse'] } }), 'open_nodes');
      expect(JSON.stringify(read.structuredContent ?? read.content)).toContain('an LLM proxy with an MCP gateway');
      expect(await readFile(memoryFile, 'utf8')).toContain('"name":"gatehouse"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a line that is not JSON-RPC to onerror and keeps the connection working', async () => {
    const errors: Error[] = [];
    const over = transport(shWrapped(`echo 'this is not json'; exec "${NODE}" "${EVERYTHING}" stdio`));
    over.onerror = (error) => errors.push(error);
    const client = await connect(over);
    const result = await within(client.callTool({ name: 'echo', arguments: { message: 'still here' } }), 'echo');
    expect(result.content).toEqual([{ type: 'text', text: 'Echo: still here' }]);
    expect(errors.some((error) => error instanceof McpUpstreamError && /not JSON-RPC/.test(error.message))).toBe(true);
  });

  it('fails an in-flight callTool (not hangs) and reports exit by signal when the group is SIGKILLed externally', async () => {
    const errors: Error[] = [];
    let closes = 0;
    const over = transport({ command: NODE, args: [EVERYTHING, 'stdio'] });
    const client = await connect(over);
    client.onerror = (error) => errors.push(error);
    client.onclose = () => closes++;
    const pid = over.pid ?? 0;
    expect(pid).toBeGreaterThan(1);

    const inFlight = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 10, steps: 5 } });
    const settled = inFlight.then(
      () => new Error('the call should have failed'),
      (error: unknown) => error,
    );
    await new Promise((done) => setTimeout(done, 100));
    killGroup(pid);

    const failure = await within(settled, 'in-flight callTool to reject', 3_000);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/Connection closed/);
    await until(() => closes === 1, 'onclose');
    const exit = errors.find((error) => error instanceof StdioProcessExitedError);
    expect(exit?.message).toMatch(/exited unexpectedly by signal SIGKILL/);
    expect(exit).toMatchObject({ signal: 'SIGKILL', exitCode: null, code: 'mcp_upstream_error' });
    expect(over.exited).toBe(true);
    await expect(over.send({ jsonrpc: '2.0', method: 'notifications/initialized' })).rejects.toBe(exit);
    await within(over.close(), 'close after crash');
    expect(closes).toBe(1);
    expect(registry.size).toBe(0);
  });

  it('reaps the orphaned grandchildren when the leader exits on its own, and reports its exit code', async () => {
    const errors: Error[] = [];
    const stderr: string[] = [];
    // The background node outlives sh; it keeps the stdout pipe open, as a crashed wrapper's server would.
    const orphan = `"${NODE}" -e "setInterval(() => {}, 1000)" & echo "orphan $!" >&2; sleep 0.3; exit 3`;
    const over = transport({ ...shWrapped(orphan), onStderr: (line) => stderr.push(line) });
    over.onerror = (error) => errors.push(error);
    let closed = false;
    over.onclose = () => (closed = true);
    await within(over.start(), 'start');
    const pgid = over.pid ?? 0;
    await until(() => closed, 'onclose after the leader exits');
    expect(errors.find((error) => error instanceof StdioProcessExitedError)?.message).toMatch(/exited unexpectedly with code 3/);
    const orphanPid = Number(stderr.find((line) => line.startsWith('orphan '))?.slice('orphan '.length));
    expect(orphanPid).toBeGreaterThan(0);
    await within(over.close(), 'close');
    expect(liveGroupMembers(pgid)).toEqual([]);
    expect(isRunning(orphanPid)).toBe(false);
    expect(registry.size).toBe(0);
  });

  it('close() leaves no process of the group alive, grandchildren included (sh -c wrapper)', async () => {
    let closes = 0;
    const over = transport(shWrapped(`"${NODE}" "${EVERYTHING}" stdio; exit $?`));
    over.onclose = () => closes++;
    const client = await connect(over);
    await within(client.listTools(), 'tools/list');
    const pgid = over.pid ?? 0;
    const members = liveGroupMembers(pgid);
    expect(members.length).toBe(2); // sh and the node server it forked

    await within(client.close(), 'client.close');
    expect(() => process.kill(pgid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    for (const member of members) expect(isRunning(member)).toBe(false);
    expect(liveGroupMembers(pgid)).toEqual([]);
    expect(closes).toBe(1);
    await within(over.close(), 'second close');
    expect(closes).toBe(1);
    expect(over.exited).toBe(true);
    expect(registry.size).toBe(0);
  });

  it('close() kills the whole tree started by npx --no-install', async () => {
    const over = transport({ command: 'npx', args: ['--no-install', 'mcp-server-everything', 'stdio'], cwd: ROOT, onStderr: () => undefined });
    const client = await connect(over);
    await within(client.callTool({ name: 'echo', arguments: { message: 'via npx' } }), 'echo');
    const pgid = over.pid ?? 0;
    const members = liveGroupMembers(pgid);
    expect(members.length).toBeGreaterThan(1);
    await within(client.close(), 'client.close');
    expect(liveGroupMembers(pgid)).toEqual([]);
    for (const member of members) expect(isRunning(member)).toBe(false);
  });

  it('close() escalates to SIGKILL after the grace period when the group ignores SIGTERM', async () => {
    const over = transport({
      ...shWrapped(`trap '' TERM; "${NODE}" "${EVERYTHING}" stdio; sleep 30`),
      termGraceMs: 300,
    });
    const client = await connect(over);
    const pgid = over.pid ?? 0;
    const started = Date.now();
    await within(client.close(), 'client.close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(liveGroupMembers(pgid)).toEqual([]);
    expect(over.exited).toBe(true);
  });

  it('rejects start() with an error naming the command when it does not exist (ENOENT)', async () => {
    const over = transport({ command: 'gatehouse-no-such-mcp-server', args: [] });
    const failure = await within(over.start().then(() => undefined, (error: unknown) => error), 'start');
    expect(failure).toBeInstanceOf(McpUpstreamError);
    expect((failure as Error).message).toBe('could not start MCP stdio server "gatehouse-no-such-mcp-server": command not found');
    expect(over.exited).toBe(true);
    expect(over.pid).toBeUndefined();
    expect(registry.size).toBe(0);
    const client = new Client({ name: 'stdio-transport-test', version: '0.0.0' });
    await expect(within(client.connect(transport({ command: 'gatehouse-no-such-mcp-server', args: [] })), 'connect')).rejects.toThrow(
      /gatehouse-no-such-mcp-server/,
    );
  });
});

describe('ChildProcessRegistry', () => {
  it('killAll() stops every registered group and waits for it', async () => {
    const registry = new ChildProcessRegistry();
    const transports = [
      new ProcessGroupStdioTransport({ command: NODE, args: [EVERYTHING, 'stdio'], env: {}, registry }),
      new ProcessGroupStdioTransport({ ...shWrapped(`"${NODE}" "${EVERYTHING}" stdio; exit $?`), env: {}, registry }),
      new ProcessGroupStdioTransport({ command: NODE, args: [MEMORY], env: { MEMORY_FILE_PATH: join(tmpdir(), 'gatehouse-unused.jsonl') }, registry }),
    ];
    try {
      await within(Promise.all(transports.map((each) => each.start())), 'start');
      const pgids = registry.pgids();
      expect(pgids).toHaveLength(3);
      await within(registry.killAll(), 'killAll');
      expect(registry.size).toBe(0);
      for (const pgid of pgids) expect(liveGroupMembers(pgid)).toEqual([]);
      expect(transports.every((each) => each.exited)).toBe(true);
    } finally {
      for (const each of transports) if (each.pid !== undefined && !each.exited) killGroup(each.pid);
    }
  });

  it('installExitHook() SIGKILLs the remaining groups when the proxy process exits without killAll()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-exit-hook-'));
    const pgids: number[] = [];
    try {
      const script = join(dir, 'proxy.mts');
      await writeFile(script, EXITING_PROXY);
      // Control run without the hook: the group outlives its parent, so the hooked run below can fail.
      for (const mode of ['no-hook', 'hook']) {
        const { stdout } = await execFileAsync(NODE, ['--import', 'tsx', script, mode], { cwd: ROOT, timeout: WAIT_MS });
        pgids.push(Number(stdout.trim()));
      }
      const [unhooked = 0, hooked = 0] = pgids;
      expect(unhooked).toBeGreaterThan(0);
      await until(() => liveGroupMembers(hooked).length === 0, 'the hooked group to die');
      expect(liveGroupMembers(unhooked).length).toBe(2);
    } finally {
      for (const pgid of pgids) killGroup(pgid);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('installExitHook() returns a remover that unhooks it', () => {
    const registry = new ChildProcessRegistry();
    const before = process.listeners('exit');
    const remove = registry.installExitHook();
    expect(process.listeners('exit')).toHaveLength(before.length + 1);
    remove();
    expect(process.listeners('exit')).toEqual(before);
  });
});
