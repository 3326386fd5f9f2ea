/**
 * Issue #6 part 1 (keys, teams, organizations): LiteLLM's management endpoints over real HTTP, and what a generated
 * key can then do on /v1/* through the official `openai` client — model access per key ∩ team ∩ organization,
 * 401 for unknown, expired and blocked keys, 403 for virtual keys on admin routes — plus restart persistence.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from './keys-admin-client.js';
import { startGatehouse, type RunningGatehouse } from './harness.js';

const MASTER_KEY = 'sk-master-keys-test-1234';
const CONFIG = `
model_list:
  - model_name: demo
    litellm_params: { model: mock/demo }
  - model_name: gpt-4o
    litellm_params: { model: mock/demo }
  - model_name: openai/gpt-4o-mini
    litellm_params: { model: mock/demo }
general_settings:
  master_key: ${MASTER_KEY}
`;

const root = mkdtempSync(join(tmpdir(), 'gatehouse-keys-'));
let gatehouse: RunningGatehouse;
let admin: AdminClient;

beforeAll(async () => {
  gatehouse = await startGatehouse(CONFIG, { databaseUrl: `sqlite:${join(root, 'store.db')}` });
  admin = new AdminClient(gatehouse.origin, MASTER_KEY);
});

afterAll(async () => {
  await gatehouse?.close();
  rmSync(root, { recursive: true, force: true });
});

const chat = (apiKey: string, model = 'demo') =>
  gatehouse.client(apiKey).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
const modelIds = async (apiKey: string) => (await gatehouse.client(apiKey).models.list()).data.map((model) => model.id).sort();
const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const { status, code } = error as { status?: number; code?: string };
    return { status, code };
  }
  throw new Error('expected the request to fail');
};

describe('/key/* (issue #6 part 1)', () => {
  it('generates a key shown once: stored as its sha256 token, never returned again', async () => {
    const answer = await admin.post<Record<string, unknown>>('/key/generate', { key_alias: 'shown-once', models: ['demo'], metadata: { team: 'x' } });
    expect(answer.status).toBe(200);
    const key = String(answer.body.key);
    expect(key).toMatch(/^sk-[A-Za-z0-9_-]{32}$/);
    expect(answer.body).toMatchObject({ token: createHash('sha256').update(key).digest('hex'), key_alias: 'shown-once', models: ['demo'], blocked: false });
    expect(answer.body.key_name).toBe(`sk-...${key.slice(-4)}`);

    const info = await admin.get<{ key: string; info: Record<string, unknown> }>(`/key/info?key=${key}`);
    expect(info.status).toBe(200);
    expect(info.body.key).toBe(answer.body.token);
    expect(info.body.info).toMatchObject({ key_alias: 'shown-once', metadata: { team: 'x' }, expires: null });
    const byToken = await admin.get(`/key/info?key=${String(answer.body.token)}`);
    expect(byToken.body).toEqual(info.body);
    const list = await admin.get('/key/list?return_full_object=true&size=100');
    const listed = JSON.stringify([info.body, list.body]);
    expect(listed).not.toContain(key);
    expect(listed).toContain(String(answer.body.token));
    expect(await modelIds(key)).toEqual(['demo']);
    // `?key=` is how LiteLLM's /key/info takes it; the request log masks it.
    const logs = gatehouse.logs.join('');
    expect(logs).toContain('/key/info?key=***');
    expect(logs).not.toContain(key);
  });

  it("accepts LiteLLM's fields it does not implement (as its Terraform provider sends them) and ignores them", async () => {
    const extras = { max_parallel_requests: null, aliases: {}, guardrails: null, soft_budget: null };
    const team = await admin.post<{ team_id: string }>('/team/new', { team_alias: 'with-extras', ...extras });
    expect(team.status).toBe(200);
    const generated = await admin.post<{ key: string }>('/key/generate', { models: ['demo'], team_id: team.body.team_id, ...extras });
    expect(generated.status).toBe(200);
    const updated = await admin.post<{ key_alias: string }>('/key/update', { key: generated.body.key, key_alias: 'renamed', ...extras });
    expect(updated.status).toBe(200);
    expect(updated.body.key_alias).toBe('renamed');
    expect(await modelIds(generated.body.key)).toEqual(['demo']);
    // A known field of the wrong type is still refused.
    expect((await admin.post('/key/update', { key: generated.body.key, models: 'demo' })).status).toBe(400);
  });

  it('answers 401 without a key or with an unknown one, and 403 admin_required for a virtual key', async () => {
    const key = await admin.generateKey({});
    const none = await admin.call('POST', '/key/generate', {}, null);
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
    expect((await admin.post('/key/generate', {}, 'sk-not-a-key')).body).toMatchObject({ error: { code: 'invalid_api_key' } });
    for (const [method, path] of [['POST', '/key/generate'], ['GET', '/key/list'], ['GET', '/team/list'], ['GET', '/organization/list']] as const) {
      const refused = await admin.call(method, path, method === 'POST' ? {} : undefined, key);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: { code: 'admin_required', type: 'permission_error' } });
    }
    expect(await failure(chat('sk-not-a-key'))).toEqual({ status: 401, code: 'invalid_api_key' });
  });

  it("a virtual key reads its own /key/info, without key= or naming itself, as LiteLLM's clients do; another key's is 403", async () => {
    const own = await admin.post<{ key: string; token: string }>('/key/generate', { key_alias: 'reads-itself', max_budget: 3 });
    const other = await admin.generateKey({});
    for (const path of ['/key/info', `/key/info?key=${own.body.key}`, `/key/info?key=${own.body.token}`]) {
      const info = await admin.get<{ key: string; info: Record<string, unknown> }>(path, own.body.key);
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({ key: own.body.token, info: { key_alias: 'reads-itself', max_budget: 3, spend: 0 } });
    }
    const refused = await admin.get(`/key/info?key=${other}`, own.body.key);
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'admin_required' } });
    expect((await admin.get('/key/info')).status).toBe(400); // the master key still names the key it asks about
  });

  it('update, block and unblock take effect on the very next request', async () => {
    const key = await admin.generateKey({ key_alias: 'changing', models: ['demo'] });
    expect((await chat(key)).choices[0].message.role).toBe('assistant');
    await admin.expectOk('/key/update', { key, models: ['gpt-4o'] });
    expect(await failure(chat(key))).toEqual({ status: 403, code: 'key_model_access_denied' });
    expect(await modelIds(key)).toEqual(['gpt-4o']);

    await admin.expectOk('/key/block', { key });
    expect(await failure(chat(key, 'gpt-4o'))).toEqual({ status: 401, code: 'key_blocked' });
    await admin.expectOk('/key/unblock', { key });
    expect((await chat(key, 'gpt-4o')).object).toBe('chat.completion');
  });

  it('an expired key (duration "0s", or expires in the past) is refused with 401 key_expired', async () => {
    const now = await admin.generateKey({ duration: '0s' });
    expect(await failure(chat(now))).toEqual({ status: 401, code: 'key_expired' });
    const later = await admin.generateKey({ duration: '1h' });
    expect((await chat(later)).object).toBe('chat.completion');
    await admin.expectOk('/key/update', { key: later, expires: '2001-01-01T00:00:00Z' });
    expect(await failure(chat(later))).toEqual({ status: 401, code: 'key_expired' });
  });

  it('refuses a duplicate key_alias (400 already_exists) and an unknown team_id (400)', async () => {
    await admin.generateKey({ key_alias: 'dup' });
    expect((await admin.post('/key/generate', { key_alias: 'dup' })).body).toMatchObject({ error: { code: 'already_exists', param: 'key_alias' } });
    const unknownTeam = await admin.post('/key/generate', { team_id: 'no-such-team' });
    expect(unknownTeam.status).toBe(400);
    expect(unknownTeam.body).toMatchObject({ error: { param: 'team_id' } });
    const badField = await admin.post('/key/generate', { models: 'demo' });
    expect(badField.status).toBe(400);
  });

  it('refuses a chosen key that is the master key or a key already issued (400, nothing written)', async () => {
    const master = await admin.post('/key/generate', { key: MASTER_KEY, key_alias: 'not-master' });
    expect(master.status).toBe(400);
    expect(master.body).toMatchObject({ error: { param: 'key', message: 'key must not be the proxy master key.' } });
    expect(JSON.stringify(master.body)).not.toContain(MASTER_KEY);
    // A key with whitespace could never be presented as itself (callers are trimmed): refused by the schema.
    const spaced = await admin.post('/key/generate', { key: `${MASTER_KEY} ` });
    expect(spaced.status).toBe(400);
    expect(spaced.body).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(JSON.stringify(spaced.body)).not.toContain(MASTER_KEY);
    expect((await admin.post('/key/generate', { key: 'sk-has space-inside' })).status).toBe(400);
    // Nothing was written: the alias is still free.
    await admin.expectOk('/key/generate', { key_alias: 'not-master' });
    const chosen = 'sk-chosen-by-caller-0001';
    await admin.expectOk('/key/generate', { key: chosen });
    const again = await admin.post('/key/generate', { key: chosen, key_alias: 'second' });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'already_exists', param: 'key' } });
    expect((await chat(chosen)).object).toBe('chat.completion');
  });

  it('deletes by key and by alias; a deleted key is 401 at once; an unknown one is 404 and deletes nothing', async () => {
    const [a, b] = [await admin.generateKey({}), await admin.generateKey({ key_alias: 'to-delete' })];
    const missing = await admin.post('/key/delete', { keys: [a, 'sk-never-issued-000000'] });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'key_not_found' } });
    expect((await chat(a)).object).toBe('chat.completion');
    const deleted = await admin.expectOk('/key/delete', { keys: [a], key_aliases: ['to-delete'] });
    expect((deleted.deleted_keys as string[]).length).toBe(2);
    expect(await failure(chat(a))).toEqual({ status: 401, code: 'invalid_api_key' });
    expect(await failure(chat(b))).toEqual({ status: 401, code: 'invalid_api_key' });
    expect((await admin.get(`/key/info?key=${a}`)).status).toBe(404);
  });
});

describe('/team/* and /organization/* (issue #6 part 1)', () => {
  it('models are key ∩ team ∩ organization; an empty list restricts nothing', async () => {
    await admin.expectOk('/organization/new', { organization_id: 'org-models', organization_alias: 'Models', models: ['demo', 'gpt-4o', 'openai/*'] });
    await admin.expectOk('/team/new', { team_id: 'team-models', organization_id: 'org-models', models: ['demo', 'openai/gpt-4o-mini'] });
    const inherits = await admin.generateKey({ team_id: 'team-models' });
    expect(await modelIds(inherits)).toEqual(['demo', 'openai/gpt-4o-mini']);
    expect(await failure(chat(inherits, 'gpt-4o'))).toEqual({ status: 403, code: 'team_model_access_denied' });
    const narrower = await admin.generateKey({ team_id: 'team-models', models: ['openai/gpt-4o-mini', 'gpt-4o'] });
    expect(await modelIds(narrower)).toEqual(['openai/gpt-4o-mini']);
    expect(await failure(chat(narrower, 'demo'))).toEqual({ status: 403, code: 'key_model_access_denied' });
    expect((await chat(narrower, 'openai/gpt-4o-mini')).object).toBe('chat.completion');

    await admin.expectOk('/organization/update', { organization_id: 'org-models', models: ['gpt-4o'] });
    expect(await failure(chat(narrower, 'openai/gpt-4o-mini'))).toEqual({ status: 403, code: 'organization_model_access_denied' });
    expect(await modelIds(narrower)).toEqual([]);
    const denied = await failure(gatehouse.client(narrower).models.retrieve('openai/gpt-4o-mini'));
    expect(denied).toEqual({ status: 403, code: 'organization_model_access_denied' });
  });

  it('team info lists its keys; team update answers {team_id, data}; deleting a team deletes its keys', async () => {
    const created = await admin.expectOk('/team/new', { team_alias: 'generated id' });
    const teamId = String(created.team_id);
    expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
    const key = await admin.generateKey({ team_id: teamId, key_alias: 'team-key' });
    const info = await admin.get<{ team_info: Record<string, unknown>; keys: Record<string, unknown>[] }>(`/team/info?team_id=${teamId}`);
    expect(info.body.team_info).toMatchObject({ team_id: teamId, team_alias: 'generated id', blocked: false });
    expect(info.body.keys.map((entry) => entry.key_alias)).toEqual(['team-key']);
    expect(JSON.stringify(info.body)).not.toContain(key);
    const updated = await admin.expectOk('/team/update', { team_id: teamId, team_alias: 'renamed', blocked: true });
    expect(updated).toMatchObject({ team_id: teamId, data: { team_alias: 'renamed', blocked: true } });
    expect(await failure(chat(key))).toEqual({ status: 401, code: 'key_blocked' });
    await admin.expectOk('/team/update', { team_id: teamId, blocked: false });
    expect((await chat(key)).object).toBe('chat.completion');
    const listed = await admin.get<Record<string, unknown>[]>('/team/list');
    expect(listed.body.map((team) => team.team_id)).toContain(teamId);

    expect((await admin.post('/team/delete', { team_ids: [teamId, 'no-such-team'] })).status).toBe(404);
    expect(await admin.expectOk('/team/delete', { team_ids: [teamId] })).toEqual({ deleted_teams: [teamId], deleted_keys: 1 });
    expect(await failure(chat(key))).toEqual({ status: 401, code: 'invalid_api_key' });
    expect((await admin.get(`/team/info?team_id=${teamId}`)).body).toMatchObject({ error: { code: 'team_not_found' } });
  });

  it('organizations: info lists teams, delete is refused while teams remain, PATCH and DELETE verbs work', async () => {
    await admin.expectOk('/organization/new', { organization_id: 'org-life', organization_alias: 'Life' });
    expect((await admin.post('/organization/new', { organization_id: 'org-life' })).body).toMatchObject({ error: { code: 'already_exists' } });
    await admin.expectOk('/team/new', { team_id: 'team-life', organization_id: 'org-life' });
    expect((await admin.post('/team/new', { organization_id: 'no-such-org' })).status).toBe(400);
    const info = await admin.get<{ teams: { team_id: string }[] }>('/organization/info?organization_id=org-life');
    expect(info.body).toMatchObject({ organization_id: 'org-life', organization_alias: 'Life' });
    expect(info.body.teams.map((team) => team.team_id)).toEqual(['team-life']);
    const patched = await admin.call('PATCH', '/organization/update', { organization_id: 'org-life', max_budget: 50 });
    expect(patched.body).toMatchObject({ max_budget: 50 });
    const refused = await admin.call('DELETE', '/organization/delete', { organization_ids: ['org-life'] });
    expect(refused.status).toBe(400);
    await admin.expectOk('/team/delete', { team_ids: ['team-life'] });
    expect((await admin.call('DELETE', '/organization/delete', { organization_ids: ['org-life'] })).body).toEqual({ deleted_organizations: ['org-life'] });
    expect((await admin.get('/organization/info?organization_id=org-life')).status).toBe(404);
  });
});

describe('restart (issue #6: restart keeps everything)', () => {
  it('keys, teams and organizations survive a restart on the same store', async () => {
    const path = join(root, 'restart.db');
    const first = await startGatehouse(CONFIG, { databaseUrl: `sqlite:${path}` });
    const firstAdmin = new AdminClient(first.origin, MASTER_KEY);
    await firstAdmin.expectOk('/organization/new', { organization_id: 'org-r', models: ['demo'] });
    await firstAdmin.expectOk('/team/new', { team_id: 'team-r', organization_id: 'org-r' });
    const key = await firstAdmin.generateKey({ team_id: 'team-r', key_alias: 'survivor' });
    await first.close();

    const second = await startGatehouse(CONFIG, { databaseUrl: `sqlite:${path}` });
    try {
      expect((await second.client(key).models.list()).data.map((model) => model.id)).toEqual(['demo']);
      const info = await new AdminClient(second.origin, MASTER_KEY).get<{ info: Record<string, unknown> }>(`/key/info?key=${key}`);
      expect(info.body.info).toMatchObject({ key_alias: 'survivor', team_id: 'team-r' });
    } finally {
      await second.close();
    }
  });
});
