/**
 * Issue #6 acceptance point 1 — authorisation matrix: 3 servers, 2 access groups; keys with direct grants, group
 * grants, team ∩ key, tool-level permissions, an empty intersection, no grants, an organisation ceiling; the master
 * key; and no key, an unknown, an expired, a blocked key and a blocked team's key. For every caller, server and tool,
 * on every path — /mcp, /mcp/{s}, /{s}/mcp, x-mcp-servers, ?server=, /mcp/{group}, legacy /sse, /mcp-rest/*,
 * /v1/mcp/tools, and `litellm_proxy` tools in /v1/chat/completions and /v1/responses — the caller sees and calls
 * exactly what the grants allow (auth-matrix-grants.ts, written by hand), gets 401/403 otherwise, and no call it
 * may not make reaches an upstream. Mismatches are collected and reported together.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from '../fixtures/mcp/recording-server.js';
import { startOpenAIUpstream, type OpenAIUpstream, type RecordedRequest } from '../fixtures/openai-upstream.js';
import { scriptedReply, type ScriptedTurn } from '../fixtures/scripted-chat.js';
import {
  ARGUMENTS,
  EXPECTED,
  GROUPS,
  mayCall,
  mayUse,
  SERVERS,
  SETUP,
  TOOLS,
  UNAUTHENTICATED,
  visibleNames,
  type Allowed,
  type GroupName,
  type ServerName,
} from './auth-matrix-grants.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';
import { AdminClient } from './keys-admin-client.js';
import { DownstreamClients } from './mcp-downstream.js';

const MASTER_KEY = 'sk-matrix-master-5b1d';
const FORBIDDEN = -32003;
const downstream = new DownstreamClients();
let recording: RecordingServer;
let model: OpenAIUpstream;
let gatehouse: RunningGatehouse;
const keys = new Map<string, string>();
/** Every mismatch, as "caller path: what happened vs what was expected". */
const leaks: string[] = [];

beforeAll(async () => {
  recording = await startRecordingServer();
  model = await startOpenAIUpstream((request) => scriptedReply(request, script(request)));
  gatehouse = await startGatehouse(`
model_list:
  - model_name: scripted
    litellm_params: { model: openai/gpt-fixture, api_base: "${model.url}", api_key: sk-fixture, use_chat_completions_api: true }
general_settings:
  master_key: ${MASTER_KEY}
mcp_servers:
${SERVERS.map((server) => `  ${server}: { url: "${recording.origin}/${server}", access_groups: [${groupsOf(server).join(', ')}] }`).join('\n')}
`);
  const admin = new AdminClient(gatehouse.origin, MASTER_KEY);
  for (const organization of SETUP.organizations) await admin.expectOk('/organization/new', organization);
  for (const team of SETUP.teams) await admin.expectOk('/team/new', team);
  for (const [name, body] of Object.entries(SETUP.keys)) keys.set(name, await admin.generateKey({ ...body }));
  keys.set('master', MASTER_KEY);
  keys.set('unknown', 'sk-never-issued-by-this-proxy');
}, 30_000);

afterAll(async () => {
  await downstream.closeAll();
  await gatehouse?.close();
  await Promise.all([recording?.close(), model?.close()]);
});

function groupsOf(server: ServerName): GroupName[] {
  return (Object.keys(GROUPS) as GroupName[]).filter((group) => (GROUPS[group] as readonly string[]).includes(server));
}

const authHeaders = (caller: string): Record<string, string> => (caller === 'none' ? {} : { authorization: `Bearer ${keys.get(caller) ?? ''}` });
const toolCalls = (server: ServerName) => recording.requests.filter((r) => r.path === `/${server}` && r.rpcMethods.includes('tools/call')).length;
const callsPerServer = () => Object.fromEntries(SERVERS.map((server) => [server, toolCalls(server)]));
const check = (where: string, actual: unknown, expected: unknown) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) leaks.push(`${where}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
};

/** The HTTP status of a refused connect, or the connected client. */
async function connect(caller: string, path: string, headers: Record<string, string> = {}, sse = false): Promise<Client | number> {
  try {
    if (!sse) return await downstream.connect(gatehouse.origin, path, { ...authHeaders(caller), ...headers });
    const client = new Client({ name: 'matrix', version: '1.0.0' });
    await client.connect(new SSEClientTransport(new URL(`${gatehouse.origin}${path}`), { requestInit: { headers: authHeaders(caller) } }));
    return client;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

/** `ok` for a result (an `isError` tool answer included: the call reached the tool), else the JSON-RPC code. */
async function callOutcome(client: Client, name: string, tool: (typeof TOOLS)[number]): Promise<'ok' | number> {
  try {
    await client.callTool({ name, arguments: ARGUMENTS[tool] });
    return 'ok';
  } catch (error) {
    return error instanceof McpError ? error.code : -1;
  }
}

/** One MCP session scope over `servers`: refused with `refusal`, or listing and calling exactly what is allowed. */
async function checkSession(caller: Allowed, label: string, opened: Client | number, servers: readonly ServerName[], prefixed: boolean, refusal?: number) {
  if (refusal !== undefined || typeof opened === 'number') return check(`${caller.name} ${label} connect`, opened, refusal ?? 'session');
  check(`${caller.name} ${label} tools/list`, (await opened.listTools()).tools.map((tool) => tool.name).sort(), visibleNames(caller, servers, prefixed));
  for (const server of servers) {
    for (const tool of TOOLS) {
      const name = prefixed ? `${server}-${tool}` : tool;
      check(`${caller.name} ${label} call ${name}`, await callOutcome(opened, name, tool), mayCall(caller, server, tool) ? 'ok' : FORBIDDEN);
    }
  }
  await opened.close();
}

async function rest(caller: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  return new AdminClient(gatehouse.origin, undefined).call<Record<string, unknown>>(method, path, body, caller === 'none' ? null : keys.get(caller));
}

/** What the scripted model does: list only, or call the named functions once and then answer. */
let nextCalls: { name: string; arguments: string }[] = [];
function script(request: RecordedRequest): ScriptedTurn {
  const messages = (request.body.messages ?? []) as { role: string }[];
  if (messages.some((message) => message.role === 'tool') || nextCalls.length === 0) return { content: 'done' };
  return { calls: nextCalls.map((call, index) => ({ id: `call_${index}`, ...call })) };
}

/** The function names the model was offered on its last request. */
const offered = () =>
  ((model.requests.at(-1)?.body.tools ?? []) as { function: { name: string } }[]).map((tool) => tool.function.name).sort();

async function chatOutcome(caller: string, serverUrl: string, calls: { name: string; arguments: string }[] = []): Promise<{ status: number; offered?: string[] }> {
  nextCalls = calls;
  const before = model.requests.length;
  try {
    await gatehouse.client(keys.get(caller) ?? 'sk-none').chat.completions.create({
      model: 'scripted',
      messages: [{ role: 'user', content: 'go' }],
      tools: [{ type: 'mcp', server_label: 'gw', server_url: serverUrl, require_approval: 'never' }] as never,
    });
    return { status: 200, offered: model.requests.length > before ? offered() : [] };
  } catch (error) {
    return { status: (error as { status?: number }).status ?? -1 };
  } finally {
    nextCalls = [];
  }
}

describe('authorisation matrix (issue #6 acceptance point 1)', () => {
  beforeEach(() => {
    leaks.length = 0;
  });

  it('MCP protocol paths: /mcp, /mcp/{s}, /{s}/mcp, x-mcp-servers, ?server=, /mcp/{group}, /sse', async () => {
    for (const caller of EXPECTED) {
      await checkSession(caller, '/mcp', await connect(caller.name, '/mcp'), SERVERS, true);
      await checkSession(caller, '/sse', await connect(caller.name, '/sse', {}, true), SERVERS, true);
      for (const server of SERVERS) {
        const refusal = mayUse(caller, server) ? undefined : 403;
        for (const path of [`/mcp/${server}`, `/${server}/mcp`, `/mcp?server=${server}`]) {
          await checkSession(caller, path, await connect(caller.name, path), [server], false, refusal);
        }
        const listed = await connect(caller.name, '/mcp', { 'x-mcp-servers': server });
        await checkSession(caller, `x-mcp-servers: ${server}`, listed, [server], true, refusal);
      }
      for (const group of Object.keys(GROUPS) as GroupName[]) {
        const members = GROUPS[group];
        const refusal = members.some((server) => mayUse(caller, server)) ? undefined : 403;
        await checkSession(caller, `/mcp/${group}`, await connect(caller.name, `/mcp/${group}`), members, true, refusal);
      }
    }
    for (const caller of UNAUTHENTICATED) {
      for (const path of ['/mcp', '/mcp/alpha', '/alpha/mcp']) check(`${caller} ${path}`, await connect(caller, path), 401);
      check(`${caller} /sse`, await connect(caller, '/sse', {}, true), 401);
    }
    expect(leaks).toEqual([]);
  });

  it('REST paths: /mcp-rest/tools/list, /mcp-rest/tools/call, /v1/mcp/tools', async () => {
    const names = (body: Record<string, unknown>) => ((body.tools ?? []) as { name: string }[]).map((tool) => tool.name).sort();
    for (const caller of EXPECTED) {
      const all = await rest(caller.name, 'GET', '/mcp-rest/tools/list');
      check(`${caller.name} /mcp-rest/tools/list`, [all.status, names(all.body)], [200, visibleNames(caller, SERVERS, true)]);
      const mine = await rest(caller.name, 'GET', '/v1/mcp/tools');
      check(`${caller.name} /v1/mcp/tools`, [mine.status, names(mine.body)], [200, visibleNames(caller, SERVERS, true)]);
      for (const server of SERVERS) {
        const allowed = mayUse(caller, server);
        const one = await rest(caller.name, 'GET', `/mcp-rest/tools/list?server_id=${server}`);
        check(`${caller.name} /mcp-rest/tools/list?server_id=${server}`, [one.status, names(one.body)], allowed ? [200, visibleNames(caller, [server], true)] : [403, []]);
        const v1 = await rest(caller.name, 'GET', `/v1/mcp/tools?server_id=${server}`);
        check(`${caller.name} /v1/mcp/tools?server_id=${server}`, [v1.status, names(v1.body)], allowed ? [200, visibleNames(caller, [server], false)] : [403, []]);
        for (const tool of TOOLS) {
          const called = await rest(caller.name, 'POST', '/mcp-rest/tools/call', { name: `${server}-${tool}`, arguments: ARGUMENTS[tool] });
          check(`${caller.name} /mcp-rest/tools/call ${server}-${tool}`, called.status, mayCall(caller, server, tool) ? 200 : 403);
        }
      }
    }
    for (const caller of UNAUTHENTICATED) {
      check(`${caller} /mcp-rest/tools/list`, (await rest(caller, 'GET', '/mcp-rest/tools/list')).status, 401);
      check(`${caller} /mcp-rest/tools/call`, (await rest(caller, 'POST', '/mcp-rest/tools/call', { name: 'alpha-add', arguments: ARGUMENTS.add })).status, 401);
      check(`${caller} /v1/mcp/tools`, (await rest(caller, 'GET', '/v1/mcp/tools')).status, 401);
    }
    expect(leaks).toEqual([]);
  });

  it('litellm_proxy tools in /v1/chat/completions and /v1/responses: offered, called and refused exactly per grant', async () => {
    const fn = (server: ServerName, tool: (typeof TOOLS)[number]) => ({ name: `gw__${server}-${tool}`, arguments: JSON.stringify(ARGUMENTS[tool]) });
    for (const caller of EXPECTED) {
      const usable = SERVERS.filter((server) => mayUse(caller, server));
      const all = await chatOutcome(caller.name, 'litellm_proxy');
      const expectedAll = usable.length === 0 ? { status: 403 } : { status: 200, offered: visibleNames(caller, SERVERS, true).map((name) => `gw__${name}`).sort() };
      check(`${caller.name} chat litellm_proxy`, all, expectedAll);
      for (const server of SERVERS) {
        const one = await chatOutcome(caller.name, `litellm_proxy/mcp/${server}`);
        const expected = mayUse(caller, server) ? { status: 200, offered: visibleNames(caller, [server], false).map((tool) => `gw__${tool}`).sort() } : { status: 403 };
        check(`${caller.name} chat litellm_proxy/mcp/${server}`, one, expected);
      }
      if (usable.length === 0) continue;
      // The model calls every tool it may call (they run), then, separately, every tool it may not (none runs).
      const allowedCalls = SERVERS.flatMap((server) => TOOLS.filter((tool) => mayCall(caller, server, tool)).map((tool) => ({ server, tool })));
      const before = callsPerServer();
      await chatOutcome(caller.name, 'litellm_proxy', allowedCalls.map(({ server, tool }) => fn(server, tool)));
      const ran = Object.fromEntries(SERVERS.map((server) => [server, toolCalls(server) - before[server]]));
      check(`${caller.name} chat calls that ran`, ran, Object.fromEntries(SERVERS.map((server) => [server, allowedCalls.filter((c) => c.server === server).length])));
      const refusedCalls = SERVERS.flatMap((server) => TOOLS.filter((tool) => !mayCall(caller, server, tool)).map((tool) => fn(server, tool)));
      if (refusedCalls.length > 0) {
        const beforeRefused = callsPerServer();
        await chatOutcome(caller.name, 'litellm_proxy', refusedCalls);
        check(`${caller.name} chat refused calls reaching upstream`, callsPerServer(), beforeRefused);
      }
    }
    for (const caller of EXPECTED) {
      const listed = await responsesListing(caller.name, 'litellm_proxy');
      const usable = SERVERS.some((server) => mayUse(caller, server));
      check(`${caller.name} responses litellm_proxy`, listed, usable ? { status: 200, tools: visibleNames(caller, SERVERS, true) } : { status: 403 });
      for (const server of SERVERS) {
        const one = await responsesListing(caller.name, `litellm_proxy/mcp/${server}`);
        check(`${caller.name} responses litellm_proxy/mcp/${server}`, one, mayUse(caller, server) ? { status: 200, tools: visibleNames(caller, [server], false) } : { status: 403 });
      }
    }
    for (const caller of UNAUTHENTICATED) {
      check(`${caller} chat`, (await chatOutcome(caller, 'litellm_proxy')).status, 401);
      check(`${caller} responses`, (await responsesListing(caller, 'litellm_proxy')).status, 401);
    }
    expect(leaks).toEqual([]);
  });
});

/** `/v1/responses`: the tool names of its `mcp_list_tools` item, or the refusal's status. */
async function responsesListing(caller: string, serverUrl: string): Promise<{ status: number; tools?: string[] }> {
  try {
    const response = await gatehouse.client(keys.get(caller) ?? 'sk-none').responses.create({
      model: 'scripted',
      input: 'go',
      tools: [{ type: 'mcp', server_label: 'gw', server_url: serverUrl, require_approval: 'never' }] as never,
    });
    const listing = response.output.find((item) => item.type === 'mcp_list_tools');
    return { status: 200, tools: (listing?.type === 'mcp_list_tools' ? listing.tools.map((tool) => tool.name) : []).sort() };
  } catch (error) {
    return { status: (error as { status?: number }).status ?? -1 };
  }
}

