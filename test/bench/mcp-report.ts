/** Summary lines and tables for the MCP gateway case and the agent-loop case (rendered by report.ts). */
import { MCP_TARGET_LABELS, MCP_TARGET_NAMES, perRoundOverheadMs, type AgentResults, type McpResults } from './mcp-results.js';
import { cpuUs, ms, signedMs, type Table } from './report.js';

const ratio = (value: number) => `${value.toFixed(2)}x`;

export function mcpSummaryLines(results: McpResults): string[] {
  return [
    `MCP: ${results.sessions} sessions per target, each initialised once, then tools/call (add) in a closed loop; ` +
      `${results.rounds * results.sliceS} s per target (${results.rounds} slices, rotating targets). ` +
      'CPU us/call per process: the bench client, the proxy (bare or Gatehouse), the MCP fixture.',
  ];
}

export function mcpTables(results: McpResults): Table[] {
  const { direct, bare, gatehouse } = results.measurements;
  const load: Table = {
    title: `MCP tools/call, ${results.sessions} concurrent sessions (raw JSON-RPC over undici; latency = the full SSE answer)`,
    headers: ['target', 'calls/s', 'p50 ms', 'p99 ms', 'failed', 'client CPU us/call', 'proxy CPU us/call', 'fixture CPU us/call'],
    leftColumns: 1,
    rows: MCP_TARGET_NAMES.map((name) => {
      const { result, cpuUsPerCall } = results.measurements[name];
      return [
        MCP_TARGET_LABELS[name],
        result.requestsPerSecond.toFixed(0),
        ms(result.p50Ms),
        ms(result.p99Ms),
        String(result.failed),
        cpuUs(cpuUsPerCall.client),
        cpuUs(cpuUsPerCall.proxy),
        cpuUs(cpuUsPerCall.fixture),
      ];
    }),
  };
  const against = (proxy: typeof gatehouse, reference: typeof direct) => [
    ratio(proxy.result.p50Ms / reference.result.p50Ms),
    ratio(proxy.result.p99Ms / reference.result.p99Ms),
    (proxy.result.requestsPerSecond / reference.result.requestsPerSecond).toFixed(2),
    signedMs(proxy.result.p50Ms - reference.result.p50Ms),
  ];
  const relative: Table = {
    title: 'MCP: the proxies against their references',
    headers: ['comparison', 'p50 ratio', 'p99 ratio', 'calls/s ratio', 'p50 difference ms'],
    leftColumns: 1,
    rows: [
      ['Gatehouse / direct', ...against(gatehouse, direct)],
      ['bare / direct', ...against(bare, direct)],
      ['Gatehouse / bare', ...against(gatehouse, bare)],
    ],
  };
  return [load, relative];
}

export function agentSummaryLines(results: AgentResults): string[] {
  return [
    `Agent loop: ${results.slices * results.sliceS} s per target and cell (${results.slices} slices, rotating). ` +
      'Direct = the same rounds run by the bench itself on the model and MCP fixtures; ' +
      'overhead per round = (Gatehouse p50 - direct loop p50) / tool rounds.',
  ];
}

export function agentTables(results: AgentResults): Table[] {
  return [
    {
      title: 'Agent loop: POST /v1/chat/completions with a type "mcp" tool (require_approval never), closed loop',
      headers: [
        'model',
        'tool rounds',
        'conns',
        'Gatehouse req/s',
        'Gatehouse p50 ms',
        'Gatehouse p99 ms',
        'direct loop p50 ms',
        'model call p50 ms',
        'tool call p50 ms',
        'overhead/round ms',
        'Gatehouse CPU us/req',
        'failed',
      ],
      leftColumns: 1,
      rows: results.cells.map((cell) => [
        cell.model,
        String(cell.rounds),
        String(cell.connections),
        cell.gatehouse.requestsPerSecond.toFixed(0),
        ms(cell.gatehouse.p50Ms),
        ms(cell.gatehouse.p99Ms),
        ms(cell.direct.p50Ms),
        cell.modelP50Ms === undefined ? 'in-process' : ms(cell.modelP50Ms),
        ms(cell.toolP50Ms),
        signedMs(perRoundOverheadMs(cell)),
        cpuUs(cell.gatehouseCpuUsPerRequest),
        String(cell.gatehouse.failed + cell.direct.failed),
      ]),
    },
  ];
}
