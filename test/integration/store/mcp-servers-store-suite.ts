/**
 * The MCP servers repository tests (issue #6), run unchanged on SQLite (mcp-servers-sqlite.test.ts) and PostgreSQL
 * (mcp-servers-postgres.test.ts): round trip, sealed secrets, uniqueness under concurrent writers, 50 parallel
 * creates and updates that lose nothing (acceptance point 4), a reopened store that keeps everything, and the
 * change counter other replicas poll.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { nameKeyOf } from '../../../src/admin/mcp-server-definition.js';
import { McpServerExistsError, SecretKeyMissingError } from '../../../src/http/errors.js';
import { readChangeVersions } from '../../../src/store/change-feed.js';
import { openStore, type Store, type StoreSettings } from '../../../src/store/index.js';
import type { McpServersRepository, StoredMcpServer } from '../../../src/store/mcp-servers-record.js';
import { createMcpServersRepository } from '../../../src/store/mcp-servers-repository.js';
import { SecretBox } from '../../../src/store/secret-box.js';

export interface McpServersSuiteDatabase {
  settings(): StoreSettings;
  freshSettings(): Promise<StoreSettings>;
}

const BOX = SecretBox.fromKeys('salt-for-tests', undefined);

export function mcpServer(overrides: Partial<StoredMcpServer> = {}): StoredMcpServer {
  const id = randomUUID();
  return {
    server_id: id,
    server_name: `srv_${id.slice(0, 8)}`,
    alias: null,
    description: null,
    url: 'http://127.0.0.1:9/mcp',
    transport: 'http',
    spec_version: '2024-11-05',
    auth_type: 'none',
    credentials: null,
    mcp_access_groups: [],
    command: null,
    args: [],
    env: {},
    mcp_info: null,
    static_headers: {},
    extra_headers: [],
    allowed_tools: null,
    disallowed_tools: null,
    spec_path: null,
    allow_all_keys: false,
    available_on_public_internet: true,
    authorization_url: null,
    token_url: null,
    registration_url: null,
    oauth2_flow: null,
    created_at: Date.now(),
    created_by: 'proxy_admin',
    updated_at: Date.now(),
    updated_by: 'proxy_admin',
    status: 'unknown',
    last_health_check: null,
    health_check_error: null,
    ...overrides,
  };
}

export function defineMcpServersStoreTests(database: McpServersSuiteDatabase): void {
  const opened: Store[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const open = async (settings?: StoreSettings): Promise<Store> => {
    const store = await openStore(settings ?? database.settings());
    opened.push(store);
    return store;
  };
  const repositoryOf = (store: Store, box: SecretBox | null = BOX): McpServersRepository =>
    createMcpServersRepository(store.db, store.dialect, { secrets: box, nameKey: nameKeyOf });

  it('creates, reads, updates and deletes a server with every field', async () => {
    const repository = repositoryOf(await open());
    const server = mcpServer({
      alias: 'alias_one',
      mcp_info: { server_name: 'x', mcp_server_cost_info: { default_cost_per_query: 0.5, tool_name_to_cost_per_query: { a: 1 } } },
      mcp_access_groups: ['g1'],
      allowed_tools: ['a'],
      disallowed_tools: [],
      extra_headers: ['x-a'],
      spec_path: '/spec.json',
      allow_all_keys: true,
      available_on_public_internet: false,
      auth_type: 'oauth2',
      authorization_url: 'https://auth.example/authorize',
      token_url: 'https://auth.example/token',
      registration_url: 'https://auth.example/register',
      oauth2_flow: 'authorization_code',
    });
    await repository.create(server);
    expect(await repository.get(server.server_id)).toEqual(server);
    const updated = await repository.update(server.server_id, (current) => ({ ...current, description: 'changed' }));
    expect(updated).toEqual({ ...server, description: 'changed' });
    expect(await repository.get(server.server_id)).toEqual({ ...server, description: 'changed' });
    expect(await repository.update('missing', (current) => current)).toBeNull();
    expect(await repository.delete(server.server_id)).toBe(true);
    expect(await repository.delete(server.server_id)).toBe(false);
    expect(await repository.get(server.server_id)).toBeNull();
  });

  it('seals credentials, env and static headers: the row holds none of them in clear, another key cannot open them', async () => {
    const store = await open();
    const repository = repositoryOf(store);
    const server = mcpServer({
      credentials: { auth_value: 'secret-auth-value', client_secret: 'secret-client' },
      env: { TOKEN: 'secret-env' },
      static_headers: { 'x-api-key': 'secret-header' },
    });
    await repository.create(server);
    const row = await store.db.selectFrom('mcp_servers').selectAll().where('server_id', '=', server.server_id).executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    for (const secret of ['secret-auth-value', 'secret-client', 'secret-env', 'secret-header']) expect(raw).not.toContain(secret);
    expect(row.secrets).toMatch(/^gh1:/);
    expect(await repository.get(server.server_id)).toEqual(server);
    const other = await repositoryOf(store, SecretBox.fromKeys(undefined, 'another-master-key')).get(server.server_id);
    expect(other).toMatchObject({ credentials: null, env: {}, static_headers: {} });
    expect(other?.secrets_error).toMatch(/cannot be decrypted/);
  });

  it('refuses secrets without a key (SecretKeyMissingError) but stores a server without secrets', async () => {
    const repository = repositoryOf(await open(), null);
    await expect(repository.create(mcpServer({ credentials: { auth_value: 'x' } }))).rejects.toBeInstanceOf(SecretKeyMissingError);
    await expect(repository.create(mcpServer({ env: { A: 'b' } }))).rejects.toBeInstanceOf(SecretKeyMissingError);
    const plain = mcpServer();
    await repository.create(plain);
    expect(await repository.get(plain.server_id)).toEqual(plain);
  });

  it('keeps the oauth2 URLs in clear columns: a server with only those needs no key', async () => {
    const store = await open();
    const repository = repositoryOf(store, null);
    const server = mcpServer({ auth_type: 'oauth2', token_url: 'https://auth.example/token', registration_url: 'https://auth.example/register', oauth2_flow: 'client_credentials' });
    await repository.create(server);
    const row = await store.db.selectFrom('mcp_servers').selectAll().where('server_id', '=', server.server_id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ secrets: null, token_url: 'https://auth.example/token', registration_url: 'https://auth.example/register', oauth2_flow: 'client_credentials' });
    expect(await repository.get(server.server_id)).toEqual(server);
  });

  it('reads the sealed credentials.token_url of a row written before migration 0011 as token_url, and moves it to its column on the next write', async () => {
    if (BOX === null) throw new Error('the test keys must make a SecretBox');
    const store = await open();
    const repository = repositoryOf(store);
    const server = mcpServer({ auth_type: 'oauth2', credentials: { client_id: 'id', client_secret: 'legacy-secret' } });
    await repository.create(server);
    const legacy = { credentials: { client_id: 'id', client_secret: 'legacy-secret', token_url: 'https://auth.example/legacy-token' }, env: {}, static_headers: {} };
    await store.db.updateTable('mcp_servers').set({ secrets: BOX.seal(JSON.stringify(legacy)), token_url: null }).where('server_id', '=', server.server_id).execute();
    const read = await repository.get(server.server_id);
    expect(read).toEqual({ ...server, token_url: 'https://auth.example/legacy-token' });
    await repository.update(server.server_id, (current) => ({ ...current, description: 'touched' }));
    const row = await store.db.selectFrom('mcp_servers').selectAll().where('server_id', '=', server.server_id).executeTakeFirstOrThrow();
    expect(row.token_url).toBe('https://auth.example/legacy-token');
    expect(BOX.open(row.secrets ?? '', 'test')).not.toContain('token_url');
  });

  it('lets exactly one of ten concurrent creates with one name win; the others get McpServerExistsError', async () => {
    const repository = repositoryOf(await open());
    const name = `same_${randomUUID().slice(0, 8)}`;
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => repository.create(mcpServer({ server_name: name }))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((item) => item.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(McpServerExistsError);
    }
    const first = mcpServer();
    await repository.create(first);
    await expect(repository.create(mcpServer({ server_id: first.server_id }))).rejects.toMatchObject({ code: 'mcp_server_exists', param: 'server_id' });
  });

  it('50 parallel creates, then 50 parallel read-modify-write updates of one server, lose nothing; a reopened store has it all (acceptance 4)', async () => {
    const settings = await database.freshSettings();
    const repository = repositoryOf(await open(settings));
    const servers = Array.from({ length: 50 }, (_, index) => mcpServer({ server_name: `bulk_${index}`, credentials: { auth_value: `token-${index}` } }));
    await Promise.all(servers.map((server) => repository.create(server)));
    const target = servers[0].server_id;
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        repository.update(target, (current) => ({ ...current, mcp_access_groups: [...current.mcp_access_groups, `g${index}`] })),
      ),
    );
    const reopened = repositoryOf(await open(settings));
    const listed = await reopened.list();
    expect(listed).toHaveLength(50);
    expect(new Set(listed.map((server) => server.server_name))).toEqual(new Set(servers.map((server) => server.server_name)));
    for (const server of listed) expect(server.credentials?.auth_value).toBe(`token-${server.server_name.slice('bulk_'.length)}`);
    const groups = listed.find((server) => server.server_id === target)?.mcp_access_groups ?? [];
    expect(groups).toHaveLength(50);
    expect(new Set(groups).size).toBe(50);
  });

  it('bumps the mcp_servers change counter on every configuration write, not on health records', async () => {
    const store = await open(await database.freshSettings());
    const repository = repositoryOf(store);
    const version = async () => (await readChangeVersions(store.db)).get('mcp_servers') ?? 0;
    const server = mcpServer();
    await repository.create(server);
    expect(await version()).toBe(1);
    await repository.update(server.server_id, (current) => ({ ...current, description: 'd' }));
    expect(await version()).toBe(2);
    await repository.recordHealth(server.server_id, { status: 'healthy', checkedAt: 1_700_000_000_000, error: null });
    expect(await version()).toBe(2);
    expect(await repository.get(server.server_id)).toMatchObject({ status: 'healthy', last_health_check: 1_700_000_000_000 });
    await repository.delete(server.server_id);
    expect(await version()).toBe(3);
  });
}
