/**
 * Issue #3 acceptance: the MCP conformance server suite through the gateway. Every check that passes against
 * an upstream directly must pass against the same upstream behind Gatehouse (`/{server}/mcp`): for our
 * conformance fixture (all 47 checks, the 40 active ones included) and for the real server-everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceServer, type RunningConformanceServer } from '../fixtures/mcp/conformance-server.js';
import { startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from '../integration/harness.js';
import { compareReports, type ConformanceReport } from './conformance-report.js';
import { runConformance } from './run-conformance.js';

let fixture: RunningConformanceServer;
let everything: RunningEverything;
let gatehouse: RunningGatehouse;

beforeAll(async () => {
  [fixture, everything] = await Promise.all([startConformanceServer(), startEverything('streamableHttp')]);
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  fixture:
    url: ${fixture.url}
  everything:
    url: ${everything.url}
`);
}, 60_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([fixture?.close(), everything?.close()]);
});

/** Checks that passed directly and do not pass through the gateway. */
function regressions(direct: ConformanceReport, via: ConformanceReport): string[] {
  return compareReports(direct, via)
    .filter((change) => change.before === 'passed')
    .map((change) => {
      const check = via.scenarios.flatMap((scenario) => scenario.checks).find((candidate) => candidate.key === change.key);
      return `${change.key}: ${change.after}${check?.message ? ` (${check.message})` : ''}`;
    });
}

describe('conformance suite through the gateway', () => {
  it('passes every check through /fixture/mcp that the fixture passes directly', async () => {
    const direct = await runConformance(fixture.url);
    const via = await runConformance(`${gatehouse.origin}/fixture/mcp`);
    expect(direct.totals.failed).toBe(0);
    expect(direct.totals.passed).toBeGreaterThanOrEqual(40);
    expect(regressions(direct, via)).toEqual([]);
    expect(via.totals.passed).toBe(direct.totals.passed);
  }, 240_000);

  it('passes every check through /everything/mcp that server-everything passes directly', async () => {
    const direct = await runConformance(everything.url);
    const via = await runConformance(`${gatehouse.origin}/everything/mcp`);
    expect(direct.totals.passed).toBeGreaterThan(5);
    expect(regressions(direct, via)).toEqual([]);
  }, 240_000);
});
