/** Parsing the inbound request's MCP headers once: per-server headers, x-mcp-auth and what may go upstream. */
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseMcpClientHeaders, type ParseMcpClientHeadersOptions } from '../../../src/auth/mcp-client-headers.js';

const SERVERS = [
  { id: 'id-git', name: 'git' },
  { id: 'id-git-hub', name: 'git-hub' },
  { id: 'id-jira', name: 'Atlassian Jira', alias: 'jira' },
  { id: 'id-db', name: 'postgres', alias: 'DB' },
];

const DEFAULTS: ParseMcpClientHeadersOptions = { clientAuthHeaderName: 'x-mcp-auth', proxyKeyPresentedIn: null };

function parse(headers: IncomingHttpHeaders, options: Partial<ParseMcpClientHeadersOptions> = {}) {
  return parseMcpClientHeaders(headers, SERVERS, { ...DEFAULTS, ...options });
}

describe('parseMcpClientHeaders: per-server headers', () => {
  it('routes x-mcp-{server}-{header} to the server and title-cases the header name', () => {
    const result = parse({ 'x-mcp-git-authorization': 'Bearer g', 'x-mcp-git-x-api-key': 'k' });
    expect(result.perServer.get('id-git')).toEqual({ Authorization: 'Bearer g', 'X-Api-Key': 'k' });
    expect(result.perServer.size).toBe(1);
  });

  it('picks the longest matching server name, so git-hub wins over git', () => {
    const result = parse({ 'x-mcp-git-hub-authorization': 'Bearer hub', 'x-mcp-git-private-token': 'p' });
    expect(result.perServer.get('id-git-hub')).toEqual({ Authorization: 'Bearer hub' });
    expect(result.perServer.get('id-git')).toEqual({ 'Private-Token': 'p' });
  });

  it('matches the longest prefix whatever order the servers are listed in', () => {
    const reversed = [...SERVERS].reverse();
    const result = parseMcpClientHeaders({ 'x-mcp-git-hub-authorization': 'Bearer hub' }, reversed, DEFAULTS);
    expect([...result.perServer.keys()]).toEqual(['id-git-hub']);
  });

  it('matches aliases and names case-insensitively, with spaces written as underscores', () => {
    const result = parse({
      'x-mcp-atlassian_jira-authorization': 'Bearer by-name',
      'x-mcp-db-x-password': 'pw',
    });
    expect(result.perServer.get('id-jira')).toEqual({ Authorization: 'Bearer by-name' });
    expect(result.perServer.get('id-db')).toEqual({ 'X-Password': 'pw' });
  });

  it('accepts the alias as well as the name of the same server', () => {
    const result = parse({ 'x-mcp-jira-x-team': 'core' });
    expect(result.perServer.get('id-jira')).toEqual({ 'X-Team': 'core' });
  });

  it('prefers an alias over another server\'s name of the same length', () => {
    const servers = [
      { id: 'id-named', name: 'tools' },
      { id: 'id-aliased', name: 'internal-tools', alias: 'TOOLS' },
    ];
    const result = parseMcpClientHeaders({ 'x-mcp-tools-authorization': 'Bearer t' }, servers, DEFAULTS);
    expect([...result.perServer.keys()]).toEqual(['id-aliased']);
  });

  it('ignores unknown servers and never forwards them', () => {
    const result = parse({ 'x-mcp-unknown-authorization': 'Bearer x', 'x-mcp-gitx-token': 't' });
    expect(result.perServer.size).toBe(0);
    expect(result.forwardable).toEqual({});
  });

  it('ignores a server prefix with no header after it', () => {
    const result = parse({ 'x-mcp-git-': 'x', 'x-mcp-git': 'y' });
    expect(result.perServer.size).toBe(0);
  });

  it('skips x-mcp-servers and x-mcp-access-groups even when a server could match them', () => {
    const servers = [{ id: 'id-servers', name: 'servers' }, { id: 'id-access', name: 'access' }];
    const result = parseMcpClientHeaders(
      { 'x-mcp-servers': 'git,jira', 'x-mcp-access-groups': 'dev' },
      servers,
      DEFAULTS,
    );
    expect(result.perServer.size).toBe(0);
    expect(result.forwardable).toEqual({});
  });

  it('keeps per-server header values verbatim', () => {
    const result = parse({ 'x-mcp-git-authorization': '  token   spaced ' });
    expect(result.perServer.get('id-git')).toEqual({ Authorization: '  token   spaced ' });
  });
});

describe('parseMcpClientHeaders: client auth', () => {
  it('reads x-mcp-auth as the client token and does not forward it', () => {
    const result = parse({ 'x-mcp-auth': ' tok ' });
    expect(result.clientAuth).toBe('tok');
    expect(result.forwardable).toEqual({});
    expect(result.perServer.size).toBe(0);
  });

  it('reads the configured header name instead, and then treats x-mcp-auth as a per-server header', () => {
    const servers = [{ id: 'id-auth', name: 'auth' }];
    const result = parseMcpClientHeaders(
      { 'x-upstream-token': 'tok', 'x-mcp-auth-authorization': 'Bearer s' },
      servers,
      { ...DEFAULTS, clientAuthHeaderName: 'x-upstream-token' },
    );
    expect(result.clientAuth).toBe('tok');
    expect(result.forwardable).toEqual({});
    expect(result.perServer.get('id-auth')).toEqual({ Authorization: 'Bearer s' });
  });

  it('treats an empty client token as absent', () => {
    expect(parse({ 'x-mcp-auth': '   ' })).not.toHaveProperty('clientAuth');
  });
});

describe('parseMcpClientHeaders: forwardable headers', () => {
  const inbound: IncomingHttpHeaders = {
    host: 'gatehouse.local',
    connection: 'keep-alive, x-hop',
    'x-hop': 'drop me',
    'content-length': '10',
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'accept-encoding': 'gzip',
    'transfer-encoding': 'chunked',
    'keep-alive': 'timeout=5',
    upgrade: 'h2c',
    te: 'trailers',
    trailer: 'x-checksum',
    cookie: 'session=abc',
    'mcp-session-id': 'sess-1',
    'mcp-protocol-version': '2025-06-18',
    'last-event-id': '42',
    'x-tenant-id': 'acme',
    'x-request-trace': 'trace-1',
  };

  it('keeps ordinary headers lower-cased and drops hop-by-hop, body, cookie and MCP session headers', () => {
    const result = parse(inbound);
    expect(result.forwardable).toEqual({ 'x-tenant-id': 'acme', 'x-request-trace': 'trace-1' });
  });

  it('never forwards x-litellm-api-key, and drops Authorization when it carried the proxy key', () => {
    const result = parse(
      { 'x-litellm-api-key': 'sk-proxy', authorization: 'Bearer sk-proxy', 'x-tenant-id': 'acme' },
      { proxyKeyPresentedIn: 'authorization' },
    );
    expect(result.forwardable).toEqual({ 'x-tenant-id': 'acme' });
  });

  it('forwards Authorization when the proxy key came in x-litellm-api-key', () => {
    const result = parse(
      { 'x-litellm-api-key': 'Bearer sk-proxy', authorization: 'Bearer upstream-token' },
      { proxyKeyPresentedIn: 'x-litellm-api-key' },
    );
    expect(result.forwardable).toEqual({ authorization: 'Bearer upstream-token' });
  });

  it('drops Authorization when it repeats the proxy key presented in x-litellm-api-key', () => {
    const result = parse(
      { 'x-litellm-api-key': 'sk-proxy', authorization: 'Bearer sk-proxy', 'x-tenant-id': 'acme' },
      { proxyKeyPresentedIn: 'x-litellm-api-key' },
    );
    expect(result.forwardable).toEqual({ 'x-tenant-id': 'acme' });
  });

  it('forwards Authorization when no proxy key was presented (open proxy)', () => {
    const result = parse({ authorization: 'Bearer upstream-token', 'x-litellm-api-key': 'sk' });
    expect(result.forwardable).toEqual({ authorization: 'Bearer upstream-token' });
  });

  it('joins repeated values and lower-cases names given in any case', () => {
    const result = parse({ 'X-Forwarded-For': ['10.0.0.1', '10.0.0.2'] });
    expect(result.forwardable).toEqual({ 'x-forwarded-for': '10.0.0.1, 10.0.0.2' });
  });
});
