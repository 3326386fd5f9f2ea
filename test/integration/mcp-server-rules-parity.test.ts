/**
 * One set of MCP server rules for both ways of defining a server: every bad definition below is fed to the config
 * loader (`mcp_servers:` through parseConfig → ConfigError naming the YAML path) and to the admin API
 * (`POST /v1/mcp/server` over real HTTP → 400 in the OpenAI error shape naming the param), and both must refuse
 * it, with the same words where the rule (mcp/mcp-server-rules.ts) is what refuses it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-error.js';
import { parseConfig } from '../../src/config/load-config.js';
import { buildServerRegistry } from '../../src/mcp/server-registry.js';
import { adminRequest } from './admin-harness.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const MASTER = 'sk-master-rules-parity';
const URL_OK = 'http://127.0.0.1:9/mcp';
/** Defined on both sides before each case: the server whose name and alias the collision cases take. */
const EXISTING = { existing: { url: URL_OK, transport: 'http', alias: 'exist_alias' } };
const SETTINGS = { master_key: MASTER, mcp_health_check_interval: 0 };

/** An admin API body (LiteLLM's field names), as the same server under `mcp_servers:` in config.yaml. */
function configEntryOf(body: Record<string, unknown>): { name: string; entry: Record<string, unknown> } {
  const { server_name, credentials, mcp_access_groups, ...rest } = body;
  return {
    name: String(server_name),
    entry: {
      ...rest,
      ...(credentials as Record<string, unknown> | undefined),
      ...(mcp_access_groups === undefined ? {} : { access_groups: mcp_access_groups }),
    },
  };
}

function configYaml(body: Record<string, unknown>): string {
  const { name, entry } = configEntryOf(body);
  return stringify({ model_list: [], general_settings: SETTINGS, mcp_servers: { ...EXISTING, [name]: entry } });
}

function configProblems(body: Record<string, unknown>): readonly string[] {
  try {
    parseConfig(configYaml(body), 'parity.yaml', {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

interface Case {
  what: string;
  body: Record<string, unknown>;
  /** The admin API's `param`. */
  param: string;
  /** After `mcp_servers.<name>` in the YAML path. */
  yaml: string;
  /** The rule's words, the same on both paths; unset where only the field's type is wrong (ajv vs the body reader). */
  words?: string;
  exists?: true;
}

const http = (name: string, extra: Record<string, unknown> = {}) => ({ server_name: name, transport: 'http', url: URL_OK, ...extra });
const stdio = (name: string, extra: Record<string, unknown> = {}) => ({ server_name: name, transport: 'stdio', command: 'node', ...extra });
const oauth = { client_id: 'id', client_secret: 'secret', token_url: 'http://127.0.0.1:9/token' };

const CASES: Case[] = [
  { what: 'a name that breaks SEP-986', body: http('bad name!'), param: 'server_name', yaml: '', words: 'must match ^[A-Za-z0-9._-]{1,128}$ (SEP-986)' },
  { what: 'a name over 128 characters', body: http('n'.repeat(129)), param: 'server_name', yaml: '', words: '(SEP-986)' },
  {
    what: "a name that nests with another server's name around the separator",
    body: http('existing-more'),
    param: 'server_name',
    yaml: '',
    words: 'nests with the name or alias of MCP server "existing" around the tool name separator "-"',
  },
  {
    what: "an alias that nests with another server's alias",
    body: http('aliased', { alias: 'exist_alias-x' }),
    param: 'alias',
    yaml: '.alias',
    words: 'nests with the name or alias of MCP server "existing"',
  },
  {
    what: "another server's name in other case",
    body: http('EXISTING'),
    param: 'server_name',
    yaml: '',
    words: 'is already the name or alias of MCP server "existing"',
    exists: true,
  },
  {
    what: "another server's alias, spaces written as _",
    body: http('newcomer', { alias: 'Exist Alias' }),
    param: 'alias',
    yaml: '.alias',
    words: 'is already the name or alias of MCP server "existing"',
    exists: true,
  },
  { what: 'stdio without command', body: { server_name: 'nocmd', transport: 'stdio' }, param: 'command', yaml: '.command', words: 'is required for transport stdio' },
  { what: 'stdio with an http url', body: stdio('stdio_http', { url: 'https://example.com/mcp' }), param: 'url', yaml: '.url', words: 'must be unset or a stdio:// URL' },
  { what: 'http with a command', body: http('withcmd', { command: 'node' }), param: 'command', yaml: '.command', words: 'only transport stdio takes command' },
  { what: 'sse with args', body: http('withargs', { transport: 'sse', args: ['-y'] }), param: 'args', yaml: '.args', words: 'only transport stdio takes args' },
  { what: 'http with env', body: http('withenv', { env: { A: 'b' } }), param: 'env', yaml: '.env', words: 'only transport stdio takes env' },
  { what: 'http without url', body: { server_name: 'nourl', transport: 'http' }, param: 'url', yaml: '.url', words: 'is required for transport http unless spec_path is set' },
  { what: 'an ftp url', body: http('ftpurl', { url: 'ftp://example.com/mcp' }), param: 'url', yaml: '.url', words: 'must be an http(s) URL with a host for transport http' },
  { what: 'an http url without a host', body: http('nohost', { url: 'http://' }), param: 'url', yaml: '.url', words: 'must be an http(s) URL with a host' },
  { what: 'a stdio:// url on http', body: http('stdiourl', { url: 'stdio://local' }), param: 'url', yaml: '.url', words: 'must be an http(s) URL with a host' },
  { what: 'spec_path on stdio', body: stdio('stdiospec', { spec_path: './spec.json' }), param: 'spec_path', yaml: '.spec_path', words: 'cannot be used with transport stdio' },
  { what: 'an empty spec_path', body: http('emptyspec', { spec_path: '' }), param: 'spec_path', yaml: '.spec_path', words: 'must not be empty' },
  { what: 'an ftp spec_path', body: http('ftpspec', { spec_path: 'ftp://example.com/spec.json' }), param: 'spec_path', yaml: '.spec_path', words: 'must be a file path or an http(s) URL' },
  {
    what: 'interactive oauth2 (no token_url) on stdio',
    body: stdio('oauthstdio', { auth_type: 'oauth2', credentials: { client_id: 'id' } }),
    param: 'auth_type',
    yaml: '.auth_type',
    words: 'oauth2 with the authorization_code flow needs an http or sse server',
  },
  {
    what: 'a token_url that is not http(s)',
    body: http('badtoken', { auth_type: 'oauth2', token_url: 'ftp://auth/token', credentials: { client_id: 'id', client_secret: 'secret' } }),
    param: 'token_url',
    yaml: '.token_url',
    words: 'must be an http(s) URL',
  },
  {
    what: 'a credentials.token_url (the older spelling of token_url) that is not http(s)',
    body: http('badnestedtoken', { auth_type: 'oauth2', credentials: { ...oauth, token_url: 'ftp://auth/token' } }),
    param: 'token_url',
    yaml: '.token_url',
    words: 'must be an http(s) URL',
  },
  {
    what: 'an authorization_url that is not http(s)',
    body: http('badauthorize', { auth_type: 'oauth2', authorization_url: 'javascript:alert(1)' }),
    param: 'authorization_url',
    yaml: '.authorization_url',
    words: 'must be an http(s) URL',
  },
  {
    what: 'a registration_url without a host',
    body: http('badregister', { auth_type: 'oauth2', registration_url: 'https://' }),
    param: 'registration_url',
    yaml: '.registration_url',
    words: 'must be an http(s) URL',
  },
  {
    what: 'oauth2_flow client_credentials without token_url',
    body: http('m2mnotoken', { auth_type: 'oauth2', oauth2_flow: 'client_credentials', credentials: { client_id: 'id', client_secret: 'secret' } }),
    param: 'token_url',
    yaml: '.token_url',
    words: 'is required for auth_type oauth2 with the client_credentials flow',
  },
  {
    what: 'oauth2_flow authorization_code on stdio, even with every client credential',
    body: stdio('oauthflowstdio', { auth_type: 'oauth2', oauth2_flow: 'authorization_code', credentials: oauth }),
    param: 'auth_type',
    yaml: '.auth_type',
    words: 'oauth2 with the authorization_code flow needs an http or sse server',
  },
  { what: 'an unknown oauth2_flow', body: http('badflow', { auth_type: 'oauth2', oauth2_flow: 'implicit' }), param: 'oauth2_flow', yaml: '.oauth2_flow' },
  {
    what: 'a static header name that is not an HTTP token',
    body: http('badheader', { static_headers: { 'bad header': 'v' } }),
    param: 'static_headers.bad header',
    yaml: '.static_headers.bad header',
    words: 'is not a valid HTTP header name',
  },
  {
    what: 'a static header value with a line break',
    body: http('splitheader', { static_headers: { 'X-Ok': 'a\r\nX-Injected: 1' } }),
    param: 'static_headers.X-Ok',
    yaml: '.static_headers.X-Ok',
    words: 'must not contain CR, LF or NUL',
  },
  {
    what: 'an extra_headers entry that is not an HTTP token',
    body: http('badextra', { extra_headers: ['x tenant'] }),
    param: 'extra_headers[0]',
    yaml: '.extra_headers[0]',
    words: 'is not a valid HTTP header name',
  },
  {
    what: 'an access group with a comma',
    body: http('badgroup', { mcp_access_groups: ['dev,prod'] }),
    param: 'mcp_access_groups[0]',
    yaml: '.access_groups[0]',
    words: 'must be a group name: not empty, without commas or surrounding spaces',
  },
  {
    what: 'a negative default cost',
    body: http('negcost', { mcp_info: { mcp_server_cost_info: { default_cost_per_query: -1 } } }),
    param: 'mcp_info.mcp_server_cost_info.default_cost_per_query',
    yaml: '.mcp_info.mcp_server_cost_info.default_cost_per_query',
    words: 'must be a non-negative number',
  },
  {
    what: 'a per-tool cost that is not a number',
    body: http('strcost', { mcp_info: { mcp_server_cost_info: { tool_name_to_cost_per_query: { add: 'cheap' } } } }),
    param: 'mcp_info.mcp_server_cost_info.tool_name_to_cost_per_query.add',
    yaml: '.mcp_info.mcp_server_cost_info.tool_name_to_cost_per_query.add',
    words: 'must be a non-negative number',
  },
  { what: 'a logo_url that is not a string', body: http('badlogo', { mcp_info: { logo_url: 5 } }), param: 'mcp_info.logo_url', yaml: '.mcp_info.logo_url', words: 'must be a string' },
  { what: 'an unknown auth_type', body: http('badauth', { auth_type: 'magic' }), param: 'auth_type', yaml: '.auth_type', words: 'must be one of "none", "bearer", ' },
  { what: 'an unknown transport', body: http('badtransport', { transport: 'carrier-pigeon' }), param: 'transport', yaml: '.transport', words: 'must be one of "http", ' },
  { what: 'allowed_tools that is not a list', body: http('badallowed', { allowed_tools: 'add' }), param: 'allowed_tools', yaml: '.allowed_tools' },
  { what: 'a disallowed_tools entry that is not a string', body: http('baddisallowed', { disallowed_tools: [1] }), param: 'disallowed_tools[0]', yaml: '.disallowed_tools[0]' },
];

let gatehouse: RunningGatehouse;

beforeAll(async () => {
  gatehouse = await startGatehouse(stringify({ model_list: [], general_settings: SETTINGS, mcp_servers: EXISTING }));
});

afterAll(async () => {
  await gatehouse.close();
});

describe('the same bad MCP server is refused by config.yaml and by /v1/mcp/server', () => {
  it.each(CASES)('refuses $what on both paths, naming the field', async ({ body, param, yaml, words, exists }) => {
    const path = `mcp_servers.${String(body.server_name)}${yaml}`;
    const problems = configProblems(body);
    const problem = problems.find((line) => line.startsWith(`${path}: `));
    expect(problem, `config problems: ${JSON.stringify(problems)}`).toBeDefined();

    const response = await adminRequest(gatehouse.origin, 'POST', '/v1/mcp/server', { key: MASTER, body });
    expect(response.status).toBe(400);
    const error = (response.body as { error: { message: string; type: string; param: string | null; code: string } }).error;
    expect(error).toMatchObject({ type: 'invalid_request_error', param, code: exists ? 'mcp_server_exists' : 'invalid_request' });
    expect(error.message).toContain(`'${param}'`);

    if (words !== undefined) {
      expect(problem).toContain(words);
      expect(error.message).toContain(words);
    }
  });

  it('accepts the same good server on both paths: an empty alias is none, auth_type bearer is bearer_token, null is unset', async () => {
    const body = {
      server_name: 'good_one',
      alias: '',
      transport: 'http',
      url: URL_OK,
      description: null,
      auth_type: 'bearer',
      credentials: { auth_value: 'tok' },
      mcp_access_groups: ['dev'],
      static_headers: { 'X-Ok': 'v' },
      extra_headers: ['x-tenant'],
      mcp_info: { logo_url: null, mcp_server_cost_info: { default_cost_per_query: 0.5, tool_name_to_cost_per_query: { add: 0 } } },
    };
    const loaded = parseConfig(configYaml(body), 'parity.yaml', {});
    const { registry, problems } = buildServerRegistry(loaded, {});
    expect(problems).toEqual([]);
    expect(registry.get('good_one')).toMatchObject({ alias: undefined, prefix: 'good_one', auth: { type: 'bearer_token', value: 'tok' }, accessGroups: ['dev'] });

    const created = await adminRequest(gatehouse.origin, 'POST', '/v1/mcp/server', { key: MASTER, body: { ...body, server_id: 'good_one' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ server_name: 'good_one', alias: null, auth_type: 'bearer' });
    expect((await adminRequest(gatehouse.origin, 'DELETE', '/v1/mcp/server/good_one', { key: MASTER })).status).toBe(202);
  });

  it('refuses on update what it refuses on create, and leaves the stored server as it was', async () => {
    const created = await adminRequest(gatehouse.origin, 'POST', '/v1/mcp/server', { key: MASTER, body: http('updatable', { server_id: 'updatable' }) });
    expect(created.status).toBe(201);
    const refused = await adminRequest(gatehouse.origin, 'PUT', '/v1/mcp/server', { key: MASTER, body: { server_id: 'updatable', alias: 'exist_alias' } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: 'mcp_server_exists', param: 'alias' } });
    const read = await adminRequest(gatehouse.origin, 'GET', '/v1/mcp/server/updatable', { key: MASTER });
    expect(read.body).toMatchObject({ alias: null });
    expect((await adminRequest(gatehouse.origin, 'DELETE', '/v1/mcp/server/updatable', { key: MASTER })).status).toBe(202);
  });
});
