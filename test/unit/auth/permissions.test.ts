/** Issue #6 part 1: the permission resolver's rules for models, MCP servers and tools, on plain records. */
import { describe, expect, it } from 'vitest';
import { mayUseServer, mayUseTool, mcpAccess, modelRefusal, type GrantableServer } from '../../../src/auth/permissions.js';
import type { Caller } from '../../../src/auth/resolve-caller.js';
import type { KeyRecord, ObjectPermission, OrganizationRecord, TeamRecord } from '../../../src/store/index.js';

const SERVERS: GrantableServer[] = [
  { id: 'srv-1', name: 'github', alias: 'gh', prefix: 'gh', accessGroups: ['Dev'] },
  { id: 'srv-2', name: 'jira', prefix: 'jira', accessGroups: ['dev', 'ops'] },
  { id: 'srv-3', name: 'pager', prefix: 'pager', accessGroups: ['ops'] },
];

const base = { models: [] as string[], max_budget: null, spend: 0, metadata: {}, created_at: 1, updated_at: 1 };
const key = (object_permission: ObjectPermission | null, models: string[] = []): KeyRecord => ({
  ...base,
  models,
  token: 't',
  key_name: 'sk-...abcd',
  key_alias: null,
  expires: null,
  team_id: null,
  user_id: null,
  object_permission,
  blocked: false,
});
const team = (object_permission: ObjectPermission | null, models: string[] = []): TeamRecord => ({
  ...base,
  models,
  team_id: 'team-1',
  team_alias: null,
  organization_id: null,
  object_permission,
  blocked: false,
});
const org = (object_permission: ObjectPermission | null, models: string[] = []): OrganizationRecord => ({
  ...base,
  models,
  organization_id: 'org-1',
  organization_alias: null,
  object_permission,
});
const caller = (k: KeyRecord, t: TeamRecord | null = null, o: OrganizationRecord | null = null): Caller => ({ kind: 'key', key: k, team: t, organization: o });
const servers = (c: Caller) => SERVERS.filter((server) => mayUseServer(mcpAccess(c, SERVERS), server)).map((server) => server.id);

describe('MCP server permissions', () => {
  it('master and open callers may use every server and tool', () => {
    for (const kind of ['master', 'open'] as const) {
      const access = mcpAccess({ kind }, SERVERS);
      expect(SERVERS.every((server) => mayUseTool(access, server, 'anything'))).toBe(true);
    }
  });

  it('names servers by id, name or alias (any case) and access groups case-insensitively', () => {
    expect(servers(caller(key({ mcp_servers: ['srv-1'] })))).toEqual(['srv-1']);
    expect(servers(caller(key({ mcp_servers: ['GitHub'] })))).toEqual(['srv-1']);
    expect(servers(caller(key({ mcp_servers: ['gh', 'pager'] })))).toEqual(['srv-1', 'srv-3']);
    expect(servers(caller(key({ mcp_access_groups: ['DEV'] })))).toEqual(['srv-1', 'srv-2']);
    expect(servers(caller(key({ mcp_servers: ['pager'], mcp_access_groups: ['dev'] })))).toEqual(['srv-1', 'srv-2', 'srv-3']);
    expect(servers(caller(key({ mcp_servers: ['all-proxy-mcpservers'] })))).toEqual(['srv-1', 'srv-2', 'srv-3']);
  });

  it('with no grant anywhere a key may use no server; an empty key grant inherits the team', () => {
    expect(servers(caller(key(null)))).toEqual([]);
    expect(servers(caller(key({ mcp_servers: [] })))).toEqual([]);
    expect(servers(caller(key({ mcp_servers: [] }), team({ mcp_access_groups: ['ops'] })))).toEqual(['srv-2', 'srv-3']);
  });

  it('intersects key, team and organization; an empty intersection means nothing, not everything', () => {
    expect(servers(caller(key({ mcp_access_groups: ['dev'] }), team({ mcp_access_groups: ['ops'] })))).toEqual(['srv-2']);
    expect(servers(caller(key({ mcp_servers: ['github'] }), team({ mcp_servers: ['pager'] })))).toEqual([]);
    const ceiling = caller(key({ mcp_servers: ['all-proxy-mcpservers'] }), team(null), org({ mcp_servers: ['jira'] }));
    expect(servers(ceiling)).toEqual(['srv-2']);
    expect(mcpAccess(ceiling, SERVERS).deniedPrefixes).toEqual(new Set(['gh', 'pager']));
  });

  it('tool permissions: a server listed there is granted; [] allows no tool; key ∩ team per server', () => {
    const access = mcpAccess(caller(key({ mcp_tool_permissions: { gh: ['search', 'read'], jira: [] } })), SERVERS);
    expect(servers(caller(key({ mcp_tool_permissions: { gh: ['search', 'read'], jira: [] } })))).toEqual(['srv-1', 'srv-2']);
    expect(mayUseTool(access, SERVERS[0], 'search')).toBe(true);
    expect(mayUseTool(access, SERVERS[0], 'delete')).toBe(false);
    expect(mayUseTool(access, SERVERS[1], 'search')).toBe(false);
    expect(mayUseTool(access, SERVERS[2], 'search')).toBe(false);
    const both = mcpAccess(
      caller(key({ mcp_servers: ['github'], mcp_tool_permissions: { 'srv-1': ['search', 'read'] } }), team({ mcp_servers: ['github'], mcp_tool_permissions: { github: ['read', 'write'] } })),
      SERVERS,
    );
    expect(['search', 'read', 'write'].filter((tool) => mayUseTool(both, SERVERS[0], tool))).toEqual(['read']);
  });

  it('the principal changes when the key, its team or its organization changes', () => {
    const k = key({ mcp_servers: ['gh'] });
    const before = mcpAccess(caller(k, team(null)), SERVERS).principal;
    expect(mcpAccess(caller({ ...k, updated_at: 2 }, team(null)), SERVERS).principal).not.toBe(before);
    expect(mcpAccess(caller(k, { ...team(null), updated_at: 2 }), SERVERS).principal).not.toBe(before);
    expect(mcpAccess(caller(k, team(null)), SERVERS).principal).toBe(before);
  });
});

describe('model permissions', () => {
  it('an empty list restricts nothing; every non-empty list must allow the model, refused with the entity code', () => {
    expect(modelRefusal(caller(key(null)), 'gpt-4o')).toBeNull();
    expect(modelRefusal(caller(key(null, ['gpt-4o'])), 'gpt-4o-mini')?.code).toBe('key_model_access_denied');
    expect(modelRefusal(caller(key(null), team(null, ['a'])), 'b')?.code).toBe('team_model_access_denied');
    expect(modelRefusal(caller(key(null), team(null), org(null, ['a'])), 'b')?.code).toBe('organization_model_access_denied');
    expect(modelRefusal(caller(key(null, ['a', 'b']), team(null, ['b'])), 'b')).toBeNull();
    expect(modelRefusal({ kind: 'master' }, 'anything')).toBeNull();
  });

  it('understands all-proxy-models, *, all-team-models and wildcards', () => {
    expect(modelRefusal(caller(key(null, ['all-proxy-models'])), 'x')).toBeNull();
    expect(modelRefusal(caller(key(null, ['*'])), 'x')).toBeNull();
    expect(modelRefusal(caller(key(null, ['all-team-models']), team(null, ['t'])), 't')).toBeNull();
    expect(modelRefusal(caller(key(null, ['all-team-models']), team(null, ['t'])), 'u')?.code).toBe('team_model_access_denied');
    expect(modelRefusal(caller(key(null, ['openai/*'])), 'openai/gpt-4o')).toBeNull();
    expect(modelRefusal(caller(key(null, ['openai/*'])), 'anthropic/claude')?.status).toBe(403);
    expect(modelRefusal(caller(key(null, ['gpt-4o.1'])), 'gpt-4oX1')).not.toBeNull();
  });
});
