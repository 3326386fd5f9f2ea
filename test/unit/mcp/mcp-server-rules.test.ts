/** The MCP server rules shared by config.yaml and /v1/mcp/server (mcp/mcp-server-rules.ts), as pure functions. */
import { describe, expect, it } from 'vitest';
import {
  authTypeOf,
  declaredTransportOf,
  draftOAuth2Flow,
  mcpServerViolations,
  servedTransportOf,
  type McpServerDraft,
  type McpServerRulesContext,
} from '../../../src/mcp/mcp-server-rules.js';

const draft = (extra: Partial<McpServerDraft> = {}): McpServerDraft => ({
  name: 'srv',
  transport: 'http',
  url: 'https://example.com/mcp',
  args: [],
  env: {},
  authType: 'none',
  staticHeaders: {},
  extraHeaders: [],
  accessGroups: [],
  ...extra,
});

const context = (extra: Partial<McpServerRulesContext> = {}): McpServerRulesContext => ({ separator: '-', others: [], ...extra });
const fields = (found: ReturnType<typeof mcpServerViolations>) => found.map((violation) => `${violation.field}${violation.at}`);

describe('mcpServerViolations', () => {
  it('passes a plain http server, a stdio server with a stdio:// placeholder url, and an OpenAPI server without url', () => {
    expect(mcpServerViolations(draft(), context())).toEqual([]);
    expect(mcpServerViolations(draft({ transport: 'stdio', url: 'stdio://local', command: 'node', args: ['x.js'], env: { A: 'b' } }), context())).toEqual([]);
    expect(mcpServerViolations(draft({ url: undefined, specPath: './spec.yaml' }), context())).toEqual([]);
  });

  it("refuses LiteLLM's reserved selector names as server_id, name or alias when the separator lets them through", () => {
    const found = mcpServerViolations(draft({ id: 'all-proxy-mcpservers', name: 'all-team-mcpservers', alias: 'ALL-PROXY-MCPSERVERS' }), context({ separator: '__' }));
    expect(fields(found)).toEqual(['server_id', 'server_name', 'alias']);
    expect(found[0].message).toBe('is reserved: "all-proxy-mcpservers" selects every server');
  });

  it('checks server_id against SEP-986 as written (no space rewriting), but names with spaces as their prefix', () => {
    expect(fields(mcpServerViolations(draft({ id: 'has space', name: 'has space' }), context()))).toEqual(['server_id']);
  });

  it('does not count an update against the server it replaces, but does count every other name and alias', () => {
    const others = [
      { id: 'self', name: 'srv', alias: 'old' },
      { id: 'other', name: 'other_name', alias: 'Taken' },
    ];
    expect(mcpServerViolations(draft({ id: 'self', alias: 'old' }), context({ others }))).toEqual([]);
    const found = mcpServerViolations(draft({ id: 'self', alias: 'TAKEN' }), context({ others }));
    expect(found).toEqual([{ field: 'alias', at: '', message: 'is already the name or alias of MCP server "other"', conflict: true }]);
  });

  it('leaves oauth2 credentials whose variable is unset to fail at call time, but still wants the others', () => {
    const oauth = draft({ authType: 'oauth2', oauth2Flow: 'client_credentials', clientSecret: 's' });
    expect(fields(mcpServerViolations(oauth, context()))).toEqual(['credentials.client_id', 'token_url']);
    expect(fields(mcpServerViolations(oauth, context({ deferred: new Set(['credentials.client_id', 'token_url'] as const) })))).toEqual([]);
  });

  it('reads oauth2 without token_url (or with oauth2_flow authorization_code) as the interactive flow: no client credentials needed', () => {
    expect(mcpServerViolations(draft({ authType: 'oauth2' }), context())).toEqual([]);
    expect(mcpServerViolations(draft({ authType: 'oauth2', clientId: 'id', clientSecret: 's' }), context())).toEqual([]);
    expect(mcpServerViolations(draft({ authType: 'oauth2', oauth2Flow: 'authorization_code', tokenUrl: 'https://a/t' }), context())).toEqual([]);
    expect(fields(mcpServerViolations(draft({ authType: 'oauth2', authorizationUrl: 'ftp://a', registrationUrl: 'nope' }), context()))).toEqual([
      'authorization_url',
      'registration_url',
    ]);
    expect(fields(mcpServerViolations(draft({ authType: 'oauth2', transport: 'stdio', url: undefined, command: 'node' }), context()))).toEqual(['auth_type']);
  });

  it('keeps token_url with client_id and client_secret on the client-credentials grant, also when a credential variable is unset', () => {
    const full = { authType: 'oauth2' as const, clientId: 'id', clientSecret: 's', tokenUrl: 'https://a/t' };
    expect(draftOAuth2Flow(draft(full), new Set())).toBe('client_credentials');
    expect(draftOAuth2Flow(draft({ ...full, clientSecret: undefined }), new Set(['credentials.client_secret'] as const))).toBe('client_credentials');
    expect(draftOAuth2Flow(draft({ ...full, clientSecret: undefined }), new Set())).toBe('authorization_code');
  });

  it('never puts a header or env value in a message', () => {
    const secret = 'sk-secret\nvalue';
    const found = mcpServerViolations(draft({ staticHeaders: { 'X-Key': secret }, env: { TOKEN: secret } }), context());
    expect(fields(found)).toEqual(['env', 'static_headers.X-Key']);
    for (const violation of found) expect(violation.message).not.toContain('sk-secret');
  });

  it('checks tool_name_to_display_name values (config only) as tool names', () => {
    expect(fields(mcpServerViolations(draft({ specPath: './s.json', displayNames: { getPet: 'get pet' } }), context()))).toEqual([
      'tool_name_to_display_name.getPet',
    ]);
  });

  it('accepts null prices and free-form mcp_info keys, and refuses a cost block that is not an object', () => {
    expect(mcpServerViolations(draft({ info: { team: 'x', mcp_server_cost_info: { default_cost_per_query: null } } }), context())).toEqual([]);
    expect(fields(mcpServerViolations(draft({ info: { mcp_server_cost_info: [1] } }), context()))).toEqual(['mcp_info.mcp_server_cost_info']);
  });

  it('refuses access groups that a comma list could never select', () => {
    expect(fields(mcpServerViolations(draft({ accessGroups: ['ok', '', ' padded', 'a,b'] }), context()))).toEqual([
      'mcp_access_groups[1]',
      'mcp_access_groups[2]',
      'mcp_access_groups[3]',
    ]);
  });
});

describe('transport and auth_type readings', () => {
  it('reads streamable_http as http, infers stdio from a command only when transport is unset, and spec_path as OpenAPI', () => {
    expect(declaredTransportOf('streamable_http', 'node')).toBe('http');
    expect(declaredTransportOf(undefined, 'node')).toBe('stdio');
    expect(declaredTransportOf(undefined, undefined)).toBe('http');
    expect(servedTransportOf('sse', './spec.json')).toBe('openapi');
    expect(servedTransportOf('stdio', './spec.json')).toBe('stdio');
  });

  it("reads the Terraform resource's bearer as bearer_token and unset as none", () => {
    expect(authTypeOf('bearer')).toBe('bearer_token');
    expect(authTypeOf(null)).toBe('none');
    expect(authTypeOf('api_key')).toBe('api_key');
  });
});
