/**
 * Issue #6 (same store suite on both databases): the keys, teams and organizations repositories, run unchanged
 * against SQLite (keys-store-sqlite.test.ts) and PostgreSQL (keys-store-postgres.test.ts). Every test uses fresh
 * ids, so the tests of one file share one database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChangeVersions } from '../../../src/store/change-feed.js';
import { openStore, type KeyRecord, type OrganizationRecord, type Store, type StoreSettings, type TeamRecord } from '../../../src/store/index.js';

const id = (prefix: string) => `${prefix}-${randomUUID()}`;

export function keyRecord(overrides: Partial<KeyRecord> = {}): KeyRecord {
  const token = randomUUID().replaceAll('-', '') + randomUUID().replaceAll('-', '');
  return {
    token,
    key_name: `sk-...${token.slice(-4)}`,
    key_alias: null,
    models: [],
    max_budget: null,
    spend: 0,
    expires: null,
    metadata: {},
    team_id: null,
    user_id: null,
    object_permission: null,
    blocked: false,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...overrides,
  };
}

export function teamRecord(overrides: Partial<TeamRecord> = {}): TeamRecord {
  return {
    team_id: id('team'),
    team_alias: null,
    organization_id: null,
    models: [],
    max_budget: null,
    spend: 0,
    metadata: {},
    object_permission: null,
    blocked: false,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...overrides,
  };
}

export function organizationRecord(overrides: Partial<OrganizationRecord> = {}): OrganizationRecord {
  return {
    organization_id: id('org'),
    organization_alias: 'Acme',
    models: [],
    max_budget: null,
    spend: 0,
    metadata: {},
    object_permission: null,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_000_000,
    ...overrides,
  };
}

/** A key in a team in an organisation, created through the repositories; returns the three records. */
export async function createKeyInTeamInOrganization(store: Pick<Store, 'keys' | 'teams' | 'organizations'>) {
  const organization = organizationRecord();
  await store.organizations.create(organization);
  const team = teamRecord({ organization_id: organization.organization_id });
  await store.teams.create(team);
  const key = keyRecord({ team_id: team.team_id });
  await store.keys.create(key);
  return { key, team, organization };
}

export function defineKeysStoreTests(settings: () => StoreSettings): void {
  let store: Store;
  beforeAll(async () => {
    store = await openStore(settings());
  });
  afterAll(async () => {
    await store?.close();
  });

  describe('keys', () => {
    it('creates, reads back exactly, updates only the given fields, and deletes', async () => {
      const team = teamRecord();
      expect((await store.teams.create(team)).kind).toBe('ok');
      const key = keyRecord({
        key_alias: id('alias'),
        models: ['gpt-4o', 'openai/*'],
        max_budget: 12.5,
        expires: 1_900_000_000_123,
        metadata: { owner: 'ünïcode 𝄞', nested: { a: [1, 2] } },
        team_id: team.team_id,
        user_id: 'user-1',
        object_permission: { mcp_servers: ['a'], mcp_access_groups: ['g1'], mcp_tool_permissions: { a: ['add'], b: [] } },
      });
      expect(await store.keys.create(key)).toEqual({ kind: 'ok', key });
      expect(await store.keys.get(key.token)).toEqual(key);
      expect(await store.keys.getByAlias(key.key_alias ?? '')).toEqual(key);

      const updated = await store.keys.update(key.token, { models: [], blocked: true, object_permission: null, expires: null }, 1_800_000_000_000);
      const expected = { ...key, models: [], blocked: true, object_permission: null, expires: null, updated_at: 1_800_000_000_000 };
      expect(updated).toEqual({ kind: 'ok', key: expected });
      expect(await store.keys.get(key.token)).toEqual(expected);

      expect(await store.keys.delete([key.token, 'no-such-token'])).toEqual([key.token]);
      expect(await store.keys.get(key.token)).toBeNull();
      expect(await store.keys.delete([key.token])).toEqual([]);
    });

    it('refuses a used key_alias, also when two creates race, and an unknown team', async () => {
      const alias = id('alias');
      expect((await store.keys.create(keyRecord({ key_alias: alias }))).kind).toBe('ok');
      expect(await store.keys.create(keyRecord({ key_alias: alias }))).toEqual({ kind: 'alias_taken' });
      const raced = id('raced');
      const results = await Promise.all(Array.from({ length: 8 }, () => store.keys.create(keyRecord({ key_alias: raced }))));
      expect(results.filter((result) => result.kind === 'ok')).toHaveLength(1);
      expect(results.filter((result) => result.kind === 'alias_taken')).toHaveLength(7);
      expect(await store.keys.create(keyRecord({ team_id: id('missing') }))).toEqual({ kind: 'team_missing' });
      const key = keyRecord();
      await store.keys.create(key);
      expect(await store.keys.update(key.token, { team_id: id('missing') }, 1)).toEqual({ kind: 'team_missing' });
      expect(await store.keys.update(key.token, { key_alias: alias }, 1)).toEqual({ kind: 'alias_taken' });
      expect(await store.keys.update('no-such-token', { blocked: true }, 1)).toEqual({ kind: 'not_found' });
    });

    it('lists by team, alias and user with pages and a total', async () => {
      const team = teamRecord();
      await store.teams.create(team);
      const keys = Array.from({ length: 5 }, (_, index) => keyRecord({ team_id: team.team_id, created_at: 1_700_000_000_000 + index }));
      for (const key of keys) await store.keys.create(key);
      const first = await store.keys.list({ team_id: team.team_id, page: 1, size: 2 });
      const third = await store.keys.list({ team_id: team.team_id, page: 3, size: 2 });
      expect(first.total).toBe(5);
      expect(first.keys.map((key) => key.token)).toEqual(keys.slice(0, 2).map((key) => key.token));
      expect(third.keys.map((key) => key.token)).toEqual([keys[4].token]);
      const aliased = keyRecord({ key_alias: id('alias'), user_id: id('user') });
      await store.keys.create(aliased);
      expect((await store.keys.list({ key_alias: aliased.key_alias ?? '', page: 1, size: 10 })).keys).toEqual([aliased]);
      expect((await store.keys.list({ user_id: aliased.user_id ?? '', page: 1, size: 10 })).total).toBe(1);
    });
  });

  describe('a key with its team and organization, in one joined read', () => {
    /** What the three repositories read one by one: the joined read must decode every record exactly the same. */
    const separately = async (token: string) => {
      const key = await store.keys.get(token);
      const team = key?.team_id ? await store.teams.get(key.team_id) : null;
      const organization = team?.organization_id ? await store.organizations.get(team.organization_id) : null;
      return { key, team, organization };
    };

    it('reads a key alone, with no team', async () => {
      const key = keyRecord({ models: ['gpt-4o'], metadata: { a: 1 }, rpm_limit: 5, budget_duration: '1h', max_parallel_requests: 3 });
      await store.keys.create(key);
      const joined = await store.keys.getWithTeamAndOrganization(key.token);
      expect(joined).toStrictEqual({ key, team: null, organization: null });
      expect(joined).toStrictEqual(await separately(key.token));
      expect(await store.keys.getWithTeamAndOrganization('no-such-token')).toBeNull();
    });

    it('reads a key with its team, which has no organization', async () => {
      const team = teamRecord({ models: ['a'], max_budget: 3.5, blocked: true, object_permission: { mcp_servers: ['s'] }, rpm_limit: 7, tpm_limit: 700, max_parallel_requests: 2 });
      await store.teams.create(team);
      const key = keyRecord({ team_id: team.team_id });
      await store.keys.create(key);
      const joined = await store.keys.getWithTeamAndOrganization(key.token);
      expect(joined).toStrictEqual({ key, team, organization: null });
      expect(joined).toStrictEqual(await separately(key.token));
    });

    it("reads a key with its team and the team's organization, each decoded as its own repository does", async () => {
      const organization = organizationRecord({
        models: ['gpt-4o'],
        max_budget: 100,
        metadata: { region: 'eu' },
        object_permission: { mcp_access_groups: ['dev'], mcp_tool_permissions: { s: ['add'] } },
        budget_duration: '30d',
      });
      await store.organizations.create(organization);
      const team = teamRecord({ organization_id: organization.organization_id, team_alias: 'eng', metadata: { cost_center: 7 }, budget_duration: '7d' });
      await store.teams.create(team);
      const key = keyRecord({
        key_alias: id('alias'),
        team_id: team.team_id,
        expires: 1_900_000_000_123,
        object_permission: { mcp_servers: ['a'] },
        tpm_limit: 1000,
        created_at: 1_700_000_000_001,
      });
      await store.keys.create(key);
      const joined = await store.keys.getWithTeamAndOrganization(key.token);
      expect(joined).toStrictEqual({ key, team, organization });
      expect(joined).toStrictEqual(await separately(key.token));
    });

    // The repositories never leave these dangling; the rows are deleted behind their back to see what the read reports.
    it('reads a key whose team row is gone with team and organization null', async () => {
      const { key, team } = await createKeyInTeamInOrganization(store);
      await store.db.deleteFrom('teams').where('team_id', '=', team.team_id).execute();
      expect(await store.keys.getWithTeamAndOrganization(key.token)).toStrictEqual({ key, team: null, organization: null });
    });

    it("reads a key whose team's organization row is gone with organization null", async () => {
      const { key, team, organization } = await createKeyInTeamInOrganization(store);
      await store.db.deleteFrom('organizations').where('organization_id', '=', organization.organization_id).execute();
      expect(await store.keys.getWithTeamAndOrganization(key.token)).toStrictEqual({ key, team, organization: null });
    });
  });

  describe('teams and organizations', () => {
    it('round-trips a team in an organization; refuses a used team_id and an unknown organization', async () => {
      const organization = organizationRecord({ models: ['gpt-4o'], max_budget: 100, object_permission: { mcp_access_groups: ['dev'] } });
      expect(await store.organizations.create(organization)).toEqual({ kind: 'ok', organization });
      expect(await store.organizations.get(organization.organization_id)).toEqual(organization);
      expect(await store.organizations.create(organization)).toEqual({ kind: 'id_taken' });

      const team = teamRecord({ organization_id: organization.organization_id, team_alias: 'eng', metadata: { cost_center: 7 } });
      expect(await store.teams.create(team)).toEqual({ kind: 'ok', team });
      expect(await store.teams.get(team.team_id)).toEqual(team);
      expect(await store.teams.create(team)).toEqual({ kind: 'id_taken' });
      expect(await store.teams.create(teamRecord({ organization_id: id('missing') }))).toEqual({ kind: 'organization_missing' });
      expect((await store.teams.list({ organization_id: organization.organization_id })).map((t) => t.team_id)).toEqual([team.team_id]);

      const updated = await store.teams.update(team.team_id, { blocked: true, models: ['a'] }, 1_800_000_000_000);
      expect(updated).toEqual({ kind: 'ok', team: { ...team, blocked: true, models: ['a'], updated_at: 1_800_000_000_000 } });
      const org = await store.organizations.update(organization.organization_id, { organization_alias: 'Acme 2' }, 1_800_000_000_000);
      expect(org).toEqual({ kind: 'ok', organization: { ...organization, organization_alias: 'Acme 2', updated_at: 1_800_000_000_000 } });
      expect(await store.teams.update(id('missing'), { blocked: true }, 1)).toEqual({ kind: 'not_found' });
      expect(await store.organizations.update(id('missing'), { models: [] }, 1)).toEqual({ kind: 'not_found' });
    });

    it('deleting a team deletes its keys and no others', async () => {
      const [team, other] = [teamRecord(), teamRecord()];
      await store.teams.create(team);
      await store.teams.create(other);
      const own = [keyRecord({ team_id: team.team_id }), keyRecord({ team_id: team.team_id })];
      const kept = keyRecord({ team_id: other.team_id });
      for (const key of [...own, kept]) await store.keys.create(key);
      expect(await store.teams.delete([team.team_id, id('missing')])).toEqual({ teams: [team.team_id], keys: 2 });
      expect(await store.teams.get(team.team_id)).toBeNull();
      for (const key of own) expect(await store.keys.get(key.token)).toBeNull();
      expect(await store.keys.get(kept.token)).toEqual(kept);
    });

    it('refuses to delete an organization that still has teams, then deletes it once they are gone', async () => {
      const organization = organizationRecord();
      await store.organizations.create(organization);
      const team = teamRecord({ organization_id: organization.organization_id });
      await store.teams.create(team);
      expect(await store.organizations.delete([organization.organization_id])).toEqual({
        kind: 'has_teams',
        organizationId: organization.organization_id,
        teams: 1,
      });
      expect(await store.organizations.get(organization.organization_id)).toEqual(organization);
      await store.teams.delete([team.team_id]);
      expect(await store.organizations.delete([organization.organization_id])).toEqual({ kind: 'ok', deleted: [organization.organization_id] });
      expect(await store.organizations.get(organization.organization_id)).toBeNull();
    });

    it('every write bumps its change topic, so other replicas can tell', async () => {
      const before = await readChangeVersions(store.db);
      const version = (versions: Map<string, number>, topic: string) => versions.get(topic) ?? 0;
      const organization = organizationRecord();
      await store.organizations.create(organization);
      const team = teamRecord({ organization_id: organization.organization_id });
      await store.teams.create(team);
      await store.keys.create(keyRecord({ team_id: team.team_id }));
      const after = await readChangeVersions(store.db);
      for (const topic of ['keys', 'teams', 'organizations']) expect(version(after, topic)).toBeGreaterThan(version(before, topic));
    });
  });
}
