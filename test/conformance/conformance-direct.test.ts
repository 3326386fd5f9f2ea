/**
 * The MCP conformance server suite (every scenario `conformance list --server` prints, pending ones
 * included) against the conformance fixture directly, with no gateway in between. This is the baseline a
 * through-the-gateway run is compared with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConformanceServer, type RunningConformanceServer } from '../fixtures/mcp/conformance-server.js';
import { describeProblems } from './conformance-report.js';
import { runConformance } from './run-conformance.js';

/** Scenarios the fixture is built for; the run must include every one of them. */
const EXPECTED_SCENARIOS = [
  'server-initialize',
  'logging-set-level',
  'ping',
  'completion-complete',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-image',
  'tools-call-audio',
  'tools-call-embedded-resource',
  'tools-call-mixed-content',
  'tools-call-with-logging',
  'tools-call-error',
  'tools-call-with-progress',
  'tools-call-sampling',
  'tools-call-elicitation',
  'json-schema-2020-12',
  'elicitation-sep1034-defaults',
  'server-sse-polling',
  'server-sse-multiple-streams',
  'elicitation-sep1330-enums',
  'resources-list',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'resources-subscribe',
  'resources-unsubscribe',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  'dns-rebinding-protection',
];

/** The whole suite takes about 3 s on an idle 2-core box; the margin is for a busy one. */
const SUITE_TIMEOUT_MS = 120_000;

describe('conformance server suite against the fixture, directly', () => {
  let fixture: RunningConformanceServer;

  beforeAll(async () => {
    fixture = await startConformanceServer();
  });

  afterAll(async () => {
    await fixture.close();
  });

  it(
    'passes every check of every server scenario, pending ones included',
    async () => {
      const report = await runConformance(fixture.url);

      expect(report.scenarios.map((scenario) => scenario.scenario)).toEqual(
        expect.arrayContaining(EXPECTED_SCENARIOS),
      );
      expect(describeProblems(report), `not passing:\n${describeProblems(report).join('\n')}`).toEqual([]);
      for (const scenario of report.scenarios) {
        expect(scenario.checks.some((check) => check.outcome === 'passed'), scenario.scenario).toBe(true);
      }
    },
    SUITE_TIMEOUT_MS,
  );

  it('reports a failed check, not a pass, when the server cannot be reached', async () => {
    const closed = await startConformanceServer();
    const url = closed.url;
    await closed.close();

    const report = await runConformance(url, { scenarios: ['ping'], scenarioTimeoutMs: 30_000 });

    expect(report.statuses).toEqual({ 'ping/ping': 'failed' });
    expect(report.totals).toMatchObject({ passed: 0, failed: 1 });
  });
});
