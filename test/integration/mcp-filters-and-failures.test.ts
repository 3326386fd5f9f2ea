/**
 * Issue #3 acceptance "Unknown server → 404; disallowed tool → error, absent from lists; one dead upstream among
 * three → the other two still list and call, and the failure is reported, not hidden", plus `allowed_params`
 * enforcement and "all upstreams dead → an error, not an empty list". Upstreams are recording fixtures; a closed
 * fixture plays the dead one.
 */
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { DownstreamClients, textOf } from './mcp-downstream.js';

const UNAVAILABLE = 'gatehouse/unavailable_servers';
const downstream = new DownstreamClients();
let alpha: RecordingServer;
let beta: RecordingServer;
let gamma: RecordingServer;
let gatehouse: RunningGatehouse;
/** Closed before the gateway starts: nothing listens at their URLs. */
let deadOrigins: string[];

beforeAll(async () => {
  [alpha, beta, gamma] = await Promise.all([startRecordingServer(), startRecordingServer(), startRecordingServer()]);
  const dead = await Promise.all([startRecordingServer(), startRecordingServer()]);
  deadOrigins = dead.map((server) => server.origin);
  await Promise.all(dead.map((server) => server.close()));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  allow:  { url: "${alpha.origin}/allow", allowed_tools: [whoami, add] }
  deny:   { url: "${alpha.origin}/deny", disallowed_tools: [fail] }
  params: { url: "${alpha.origin}/params", allowed_params: { add: [a, b] } }
  alpha:  { url: "${alpha.origin}/alpha" }
  beta:   { url: "${beta.origin}/beta" }
  gamma:  { url: "${gamma.origin}/gamma" }
  dead:   { url: "${deadOrigins[0]}/dead" }
  dead2:  { url: "${deadOrigins[1]}/dead2" }
`);
});

afterEach(() => downstream.closeAll());

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all([alpha, beta, gamma].map((server) => server?.close()));
});

/** The JSON-RPC error a call rejects with. */
async function rpcError(promise: Promise<unknown>): Promise<McpError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(McpError);
  return error as McpError;
}

function toolCallsAt(server: RecordingServer, path: string): number {
  return server.requests.filter((request) => request.path === path && request.rpcMethods.includes('tools/call')).length;
}

describe('tool filters (issue #3: disallowed tool → error, absent from lists)', () => {
  it('allowed_tools lists only the allowed tools and refuses others with -32003 mcp_tool_not_allowed, upstream untouched', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/allow');
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'whoami']);
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 2, b: 2 } }))).toBe('4');
    const calls = toolCallsAt(alpha, '/allow');

    const error = await rpcError(client.callTool({ name: 'slow', arguments: { ms: 1 } }));

    expect(error.code).toBe(-32003);
    expect(error.data).toMatchObject({ code: 'mcp_tool_not_allowed', status: 403 });
    expect(error.message).toContain('"slow"');
    expect(toolCallsAt(alpha, '/allow')).toBe(calls);
  });

  it('disallowed_tools hides the tool from the aggregate list and refuses its prefixed name', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp', { 'x-mcp-servers': 'deny,alpha' });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['deny-whoami', 'deny-add', 'deny-slow', 'alpha-fail']));
    expect(names).not.toContain('deny-fail');

    const error = await rpcError(client.callTool({ name: 'deny-fail', arguments: {} }));

    expect(error.code).toBe(-32003);
    expect(error.data).toMatchObject({ code: 'mcp_tool_not_allowed' });
    expect(toolCallsAt(alpha, '/deny')).toBe(0);
    // The same tool on a server without the filter still runs (and its isError result passes through).
    const allowed = await client.callTool({ name: 'alpha-fail', arguments: {} });
    expect(allowed.isError).toBe(true);
    expect(textOf(allowed)).toBe('failed on purpose');
  });

  it('allowed_params refuses an argument not on the list, and passes listed ones', async () => {
    const client = await downstream.connect(gatehouse.origin, '/params/mcp');
    expect(textOf(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } }))).toBe('3');
    const calls = toolCallsAt(alpha, '/params');

    const error = await rpcError(client.callTool({ name: 'add', arguments: { a: 1, b: 2, c: 3 } }));

    expect(error.code).toBe(-32003);
    expect(error.data).toMatchObject({ code: 'mcp_params_not_allowed' });
    expect(error.message).toContain('c');
    expect(toolCallsAt(alpha, '/params')).toBe(calls);
  });
});

describe('unknown servers (issue #3: unknown server → 404)', () => {
  it.each<{ how: string; path: string; headers: Record<string, string> }>([
    { how: 'path /mcp/{server}', path: '/mcp/nope', headers: {} },
    { how: 'path /{server}/mcp', path: '/nope/mcp', headers: {} },
    { how: 'x-mcp-servers header', path: '/mcp', headers: { 'x-mcp-servers': 'alpha,nope' } },
    { how: 'x-litellm-mcp-server header', path: '/mcp', headers: { 'x-litellm-mcp-server': 'nope' } },
  ])('answers 404 naming the server when it is chosen by $how', async ({ path, headers }) => {
    const connecting = downstream.connect(gatehouse.origin, path, headers);
    const error = await connecting.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(404);
    // The SDK quotes the response body after this prefix.
    const body = JSON.parse((error as Error).message.replace(/^[^{]*/, '')) as { error: { message: string; data: { code: string } } };
    expect(body.error.message).toContain('"nope"');
    expect(body.error.data.code).toBe('mcp_server_not_found');
  });
});

describe('dead upstreams (issue #3: one dead upstream among three → the others still work, failure reported)', () => {
  it('lists and calls the two live servers and names the dead one in _meta', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp', { 'x-mcp-servers': 'alpha,beta,dead' });

    const listed = await client.listTools();

    const names = listed.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['alpha-add', 'beta-add']));
    expect(names.filter((name) => name.startsWith('dead-'))).toEqual([]);
    const failures = listed._meta?.[UNAVAILABLE] as { server: string; message: string }[];
    expect(failures.map((failure) => failure.server)).toEqual(['dead']);
    expect(failures[0].message).toContain('"dead"');
    expect(textOf(await client.callTool({ name: 'alpha-add', arguments: { a: 1, b: 1 } }))).toBe('2');
    expect(textOf(await client.callTool({ name: 'beta-add', arguments: { a: 2, b: 2 } }))).toBe('4');
    const dead = await client.callTool({ name: 'dead-add', arguments: { a: 1, b: 1 } });
    expect(dead.isError).toBe(true);
    expect(textOf(dead)).toContain('"dead"');
  });

  it('reports an upstream that died after it was used, instead of listing its cached tools as if it were fine', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp', { 'x-mcp-servers': 'alpha,beta,gamma' });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('gamma-add');
    expect(textOf(await client.callTool({ name: 'gamma-add', arguments: { a: 1, b: 1 } }))).toBe('2');

    await gamma.close();
    const failed = await client.callTool({ name: 'gamma-add', arguments: { a: 1, b: 1 } });
    const listed = await client.listTools();

    expect(failed.isError).toBe(true);
    expect(textOf(failed)).toContain('"gamma"');
    const names = listed.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['alpha-add', 'beta-add']));
    expect(names.filter((name) => name.startsWith('gamma-'))).toEqual([]);
    expect((listed._meta?.[UNAVAILABLE] as { server: string }[]).map((failure) => failure.server)).toEqual(['gamma']);
  });

  it('answers tools/list with an error, not an empty list, when every upstream in scope is dead', async () => {
    const client = await downstream.connect(gatehouse.origin, '/mcp/dead,dead2');

    const error = await rpcError(client.listTools());

    expect(error.message).toContain('"dead"');
    expect(error.message).toContain('"dead2"');
    expect(error.data).toMatchObject({ code: 'mcp_upstream_error' });
  });
});
