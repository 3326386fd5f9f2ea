/**
 * The MCP REST mirrors (`/mcp-rest/tools/*`, `/mcp/tools/*`, `/mcp/enabled`) in LiteLLM's shapes, over real HTTP
 * against real server-everything upstreams (stdio, SSE, Streamable HTTP) and one dead server: partial failure,
 * allowed/disallowed tools, client headers, and OpenAI-shaped errors.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING_ENTRY, freePort, startEverything, type RunningEverything } from '../fixtures/mcp/server-everything.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const KEY = 'sk-rest-master';

let gatehouse: RunningGatehouse;
const upstreams: RunningEverything[] = [];

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string };
}

interface ToolList {
  tools: { name: string; description?: string; inputSchema: { type: string }; mcp_info: Record<string, unknown> }[];
  error: string | null;
  message: string;
}

async function rest(
  path: string,
  options: { body?: unknown; rawBody?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers.authorization = `Bearer ${options.key ?? KEY}`;
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';
  const response = await fetch(`${gatehouse.origin}${path}`, {
    method: hasBody ? 'POST' : 'GET',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const call = (body: unknown, options: { path?: string; headers?: Record<string, string> } = {}) =>
  rest(options.path ?? '/mcp-rest/tools/call', { body, headers: options.headers });

function errorOf(answer: Answer): OpenAIError['error'] {
  return (answer.body as unknown as OpenAIError).error;
}

beforeAll(async () => {
  const [sse, http] = await Promise.all([startEverything('sse'), startEverything('streamableHttp')]);
  upstreams.push(sse, http);
  const closedPort = await freePort();
  gatehouse = await startGatehouse(`
general_settings:
  master_key: ${KEY}
  mcp_allowed_hosts: ["gatehouse.test"]
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
mcp_servers:
  every_stdio:
    command: ${process.execPath}
    args: ["${EVERYTHING_ENTRY}", "stdio"]
    env: { DEMO_TOKEN: "\${X-Demo-Token}" }
  every_http:
    url: ${http.url}
    disallowed_tools: ["get-env"]
    allowed_params: { echo: ["message"] }
  every_sse:
    url: ${sse.url}
    transport: sse
    alias: old_sse
    allowed_tools: ["echo", "get-sum"]
    mcp_info: { logo_url: "https://example.test/logo.png" }
  dead:
    url: http://127.0.0.1:${closedPort}/mcp
`);
}, 60_000);

afterAll(async () => {
  await gatehouse?.close();
  await Promise.all(upstreams.map((upstream) => upstream.close()));
});

describe('GET /mcp/enabled', () => {
  it('answers {"enabled": true} without a key', async () => {
    const answer = await rest('/mcp/enabled', { key: null });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ enabled: true });
  });
});

describe('GET /mcp-rest/tools/list', () => {
  it('lists prefixed tools with mcp_info, and reports the dead server as partial_failure (HTTP 200)', async () => {
    const answer = await rest('/mcp-rest/tools/list');
    expect(answer.status).toBe(200);
    const list = answer.body as unknown as ToolList;
    const names = list.tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['every_stdio-echo', 'every_http-echo', 'old_sse-echo', 'old_sse-get-sum']));
    expect(list.error).toBe('partial_failure');
    expect(list.message).toContain('"dead"');
    expect(list.message).not.toContain('every_http');
    const echo = list.tools.find((tool) => tool.name === 'old_sse-echo');
    expect(echo?.description).toBeTruthy();
    expect(echo?.inputSchema.type).toBe('object');
    expect(echo?.mcp_info).toEqual({ server_name: 'every_sse', logo_url: 'https://example.test/logo.png' });
    expect(list.tools.find((tool) => tool.name === 'every_http-echo')?.mcp_info.server_name).toBe('every_http');
    expect(names.some((name) => name.startsWith('dead-'))).toBe(false);
  });

  it('leaves out tools excluded by disallowed_tools and allowed_tools', async () => {
    const list = (await rest('/mcp-rest/tools/list')).body as unknown as ToolList;
    const names = list.tools.map((tool) => tool.name);
    expect(names).toContain('every_stdio-get-env');
    expect(names).not.toContain('every_http-get-env');
    expect(names.filter((name) => name.startsWith('old_sse-')).sort()).toEqual(['old_sse-echo', 'old_sse-get-sum']);
  });

  it('narrows to one server by server_id (name or alias), still prefixed, with error null', async () => {
    for (const serverId of ['every_sse', 'old_sse']) {
      const answer = await rest(`/mcp-rest/tools/list?server_id=${serverId}`);
      expect(answer.status).toBe(200);
      const list = answer.body as unknown as ToolList;
      expect(list.tools.map((tool) => tool.name).sort()).toEqual(['old_sse-echo', 'old_sse-get-sum']);
      expect(list.error).toBeNull();
      expect(list.message).toBe('Successfully retrieved tools');
    }
  });

  it('narrows by x-mcp-servers as on /mcp when no server_id is given', async () => {
    const answer = await rest('/mcp-rest/tools/list', { headers: { 'x-mcp-servers': 'every_http' } });
    expect(answer.status).toBe(200);
    const list = answer.body as unknown as ToolList;
    expect(list.tools.length).toBeGreaterThan(0);
    expect(list.tools.every((tool) => tool.name.startsWith('every_http-'))).toBe(true);
    expect(list.error).toBeNull();
  });

  it('answers 404 mcp_server_not_found naming an unknown server_id (LiteLLM answers 200)', async () => {
    const answer = await rest('/mcp-rest/tools/list?server_id=nope');
    expect(answer.status).toBe(404);
    expect(errorOf(answer)).toMatchObject({ code: 'mcp_server_not_found', type: 'invalid_request_error', param: 'server_id' });
    expect(errorOf(answer).message).toContain('"nope"');
  });

  it('answers 502 mcp_upstream_error naming the server when every server in scope fails', async () => {
    const answer = await rest('/mcp-rest/tools/list?server_id=dead');
    expect(answer.status).toBe(502);
    expect(errorOf(answer).code).toBe('mcp_upstream_error');
    expect(errorOf(answer).message).toContain('dead');
  });

  it('serves the legacy alias GET /mcp/tools/list with the same tools', async () => {
    const [mirror, legacy] = await Promise.all([rest('/mcp-rest/tools/list'), rest('/mcp/tools/list')]);
    expect(legacy.status).toBe(200);
    const namesOf = (answer: Answer) => (answer.body as unknown as ToolList).tools.map((tool) => tool.name).sort();
    expect(namesOf(legacy)).toEqual(namesOf(mirror));
    expect((legacy.body as unknown as ToolList).error).toBe('partial_failure');
  });
});

describe('POST /mcp-rest/tools/call', () => {
  it('calls a tool by its prefixed name and returns the CallToolResult', async () => {
    const answer = await call({ name: 'every_http-echo', arguments: { message: 'rest' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ content: [{ type: 'text', text: 'Echo: rest' }] });
    expect(answer.body.isError).not.toBe(true);
  });

  it('calls a tool by its own name plus server_id (name or alias), and a prefixed name with server_id', async () => {
    for (const body of [
      { name: 'echo', server_id: 'every_http', arguments: { message: 'by id' } },
      { name: 'echo', server_id: 'old_sse', arguments: { message: 'by id' } },
      { name: 'old_sse-echo', server_id: 'every_sse', arguments: { message: 'by id' } },
    ]) {
      const answer = await call(body);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ content: [{ type: 'text', text: 'Echo: by id' }] });
    }
  });

  it('serves the legacy alias POST /mcp/tools/call', async () => {
    const answer = await call({ name: 'every_stdio-get-sum', arguments: { a: 2, b: 3 } }, { path: '/mcp/tools/call' });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.content)).toContain('5');
  });

  it('passes client headers on as on /mcp: a stdio ${X-Demo-Token} env value comes from the request', async () => {
    const answer = await call({ name: 'every_stdio-get-env', arguments: {} }, { headers: { 'x-demo-token': 'token-from-client' } });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body.content)).toContain('token-from-client');
    expect(JSON.stringify(answer.body.content)).not.toContain(KEY);
  });

  it('answers 400 "Request arguments are required" when arguments are missing or not an object', async () => {
    for (const body of [{ name: 'every_http-echo' }, { name: 'every_http-echo', arguments: ['x'] }, { name: 'every_http-echo', arguments: 'x' }]) {
      const answer = await call(body);
      expect(answer.status).toBe(400);
      expect(errorOf(answer)).toMatchObject({ type: 'invalid_request_error', param: 'arguments', code: 'invalid_request' });
      expect(errorOf(answer).message).toContain('Request arguments are required');
    }
    const nameless = await call({ arguments: {} });
    expect(nameless.status).toBe(400);
    expect(errorOf(nameless).param).toBe('name');
  });

  it('answers invalid JSON with an OpenAI error object, not a JSON-RPC one', async () => {
    const answer = await rest('/mcp-rest/tools/call', { rawBody: '{"name": ' });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).code).toBe('invalid_json');
    expect(answer.body.jsonrpc).toBeUndefined();
  });

  it('answers 404 mcp_not_found for an unknown tool, and 404 for an unknown server prefix or server_id', async () => {
    const unknownTool = await call({ name: 'every_http-no_such_tool', arguments: {} });
    expect(unknownTool.status).toBe(404);
    expect(errorOf(unknownTool)).toMatchObject({ code: 'mcp_not_found', param: 'name' });
    expect(errorOf(unknownTool).message).toContain('no_such_tool');

    const unknownPrefix = await call({ name: 'nope-echo', arguments: {} });
    expect(unknownPrefix.status).toBe(404);
    expect(errorOf(unknownPrefix).code).toBe('mcp_not_found');

    const unknownServer = await call({ name: 'echo', server_id: 'nope', arguments: {} });
    expect(unknownServer.status).toBe(404);
    expect(errorOf(unknownServer)).toMatchObject({ code: 'mcp_server_not_found', param: 'server_id' });
  });

  it('answers 403 for tools excluded by disallowed_tools / allowed_tools and arguments outside allowed_params', async () => {
    for (const name of ['every_http-get-env', 'old_sse-get-env']) {
      const answer = await call({ name, arguments: {} });
      expect(answer.status).toBe(403);
      expect(errorOf(answer)).toMatchObject({ code: 'mcp_tool_not_allowed', type: 'permission_error' });
    }
    const params = await call({ name: 'every_http-echo', arguments: { message: 'x', extra: 1 } });
    expect(params.status).toBe(403);
    expect(errorOf(params)).toMatchObject({ code: 'mcp_params_not_allowed', param: 'arguments' });
    expect(errorOf(params).message).toContain('extra');
  });

  it('answers 502 naming the server when the tool belongs to a dead server', async () => {
    const answer = await call({ name: 'dead-echo', arguments: {} });
    expect(answer.status).toBe(502);
    expect(errorOf(answer).code).toBe('mcp_upstream_error');
    expect(errorOf(answer).message).toContain('dead');
  });
});

describe('REST mirror access', () => {
  it('answers 401 with WWW-Authenticate: Bearer without the proxy key, or with a wrong one', async () => {
    for (const key of [null, 'sk-wrong']) {
      for (const answer of [
        await rest('/mcp-rest/tools/list', { key }),
        await rest('/mcp-rest/tools/call', { key, body: { name: 'every_http-echo', arguments: { message: 'x' } } }),
        await rest('/mcp/tools/list', { key }),
      ]) {
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(errorOf(answer).type).toBe('authentication_error');
      }
    }
  });

  it('refuses a foreign Host with 403 host_not_allowed (DNS-rebinding protection, as on /mcp)', async () => {
    const answer = await new Promise<{ status: number; body: OpenAIError }>((resolve, reject) => {
      const req = httpRequest(
        `${gatehouse.origin}/mcp-rest/tools/list`,
        { headers: { host: 'evil.example', authorization: `Bearer ${KEY}` } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as OpenAIError }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'host_not_allowed', type: 'permission_error' });
    expect(answer.body.error.message).toContain('evil.example');
  });
});
