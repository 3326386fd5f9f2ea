/**
 * Issue #3 acceptance "Killing a stdio upstream mid-call gives that call a clear error (`isError` result naming
 * the server), and the next call succeeds on a restarted child; no zombie processes after shutdown". The stdio
 * upstream is the probe fixture with a grandchild `sleep` in its process group; processes are found by a unique
 * `--tag` argument in /proc and checked with `ps`, independently of the code under test. A `<defunct>` (zombie)
 * entry counts as dead: this sandbox's PID 1 does not reap orphans.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stdioProbeCommand } from '../fixtures/mcp/stdio-probe-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf, waitUntil } from './mcp-downstream.js';

const downstream = new DownstreamClients();
let tag: string;
let markers: string;
let gatehouse: RunningGatehouse | undefined;
/** Every process group a test saw, so afterEach can make sure none outlives a failed test. */
const groups = new Set<number>();

/** Pids of live (non-zombie) processes whose command line carries `--tag=<tag>`. */
async function taggedPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(`--tag=${tag}`) && liveGroupMembers(Number(entry), 'pid').length > 0) pids.push(Number(entry));
  }
  return pids;
}

/** Live (non-zombie) processes whose pgid (or, with `by: 'pid'`, whose pid) is `id`, read with ps. */
function liveGroupMembers(id: number, by: 'pgid' | 'pid' = 'pgid'): number[] {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((row) => row.trim().split(/\s+/).map(String))
    .filter(([pid, pgid, stat]) => Number(by === 'pid' ? pid : pgid) === id && stat !== undefined && !stat.startsWith('Z'))
    .map(([pid]) => Number(pid));
}

/** The one tagged probe process for the test; it leads its own process group (pgid === pid). */
async function theProbe(): Promise<number> {
  let pids: number[] = [];
  await waitUntil(async () => (pids = await taggedPids()).length === 1, 'exactly one running probe process');
  const pid = pids[0];
  expect(liveGroupMembers(pid).length).toBeGreaterThanOrEqual(2); // the probe and its grandchild sleep
  groups.add(pid);
  return pid;
}

beforeEach(async () => {
  tag = randomUUID();
  markers = await mkdtemp(join(tmpdir(), 'gatehouse-probe-'));
  const probe = stdioProbeCommand(tag, { grandchild: true });
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  probe:
    command: ${probe.command}
    args: ${JSON.stringify(probe.args)}
    env: { PROBE_MARKER_DIR: "${markers}", TENANT: "\${X-Tenant}" }
`);
});

afterEach(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  gatehouse = undefined;
  // Never leave a process behind, even when an assertion failed before the gateway closed.
  for (const pgid of groups) {
    try {
      if (liveGroupMembers(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
    } catch {
      // ESRCH: gone between the look and the kill
    }
  }
  groups.clear();
  await rm(markers, { recursive: true, force: true });
});

/** Closes the gateway, then waits (bounded) until no process of `pgids` is running. */
async function closeAndExpectGroupsGone(pgids: number[]): Promise<void> {
  await downstream.closeAll();
  await gatehouse!.close();
  gatehouse = undefined;
  await waitUntil(() => pgids.every((pgid) => liveGroupMembers(pgid).length === 0), 'every probe process group to be gone', 2_000);
  expect(await taggedPids()).toEqual([]);
}

describe('stdio upstream lifecycle (issue #3: killed stdio upstream, restart, no zombies after shutdown)', () => {
  it('gives the call in flight when its stdio upstream is killed an isError result naming the server, and runs the next call on a restarted child', async () => {
    const client = await downstream.connect(gatehouse!.origin, '/probe/mcp');
    const first = Number(textOf(await client.callTool({ name: 'pid', arguments: {} })));
    expect(await theProbe()).toBe(first);

    const inFlight = client.callTool({ name: 'slow', arguments: { ms: 20_000 } });
    await waitUntil(() => existsSync(join(markers, `slow-${first}`)), 'the slow call to reach the probe');
    process.kill(-first, 'SIGKILL');
    const killed = await inFlight;

    expect(killed.isError).toBe(true);
    expect(textOf(killed)).toContain('"probe"');
    await waitUntil(() => liveGroupMembers(first).length === 0, 'the killed group to be gone');

    const next = await client.callTool({ name: 'pid', arguments: {} });
    expect(next.isError).toBeFalsy();
    const second = Number(textOf(next));
    expect(second).not.toBe(first);
    expect(await theProbe()).toBe(second);

    await closeAndExpectGroupsGone([first, second]);
  });

  it('stops every stdio process group, grandchildren included, on gatehouse.close() with a call still in flight', async () => {
    // Two env variants: two children, two process groups.
    const acme = await downstream.connect(gatehouse!.origin, '/probe/mcp', { 'x-tenant': 'acme' });
    const globex = await downstream.connect(gatehouse!.origin, '/probe/mcp', { 'x-tenant': 'globex' });
    const pids = await Promise.all([acme, globex].map(async (client) => Number(textOf(await client.callTool({ name: 'pid', arguments: {} })))));
    expect(new Set(pids).size).toBe(2);
    await waitUntil(async () => (await taggedPids()).length === 2, 'two probe processes');
    for (const pid of pids) {
      expect(liveGroupMembers(pid).length).toBeGreaterThanOrEqual(2);
      groups.add(pid);
    }
    const inFlight = acme.callTool({ name: 'slow', arguments: { ms: 20_000 } }).catch(() => undefined);
    await waitUntil(() => existsSync(join(markers, `slow-${pids[0]}`)), 'the slow call to reach the probe');

    await closeAndExpectGroupsGone(pids);
    await inFlight;
  });
});
