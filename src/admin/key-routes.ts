/**
 * Virtual-key management, LiteLLM's paths and fields: `POST /key/generate`, `/key/update`, `/key/delete`,
 * `/key/block`, `/key/unblock`; `GET /key/info?key=`, `/key/list`. Master key only (a virtual key gets 403),
 * except that a virtual key may read its own `/key/info` (LiteLLM: without `key=`, the key presented).
 * Keys are stored as their sha256 `token`; the `sk-…` value is in the `/key/generate` answer and nowhere else.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { hashKeyToken, keyNameOf, newKeyToken, tokenOf } from '../auth/key-token.js';
import {
  ENTITY_FIELDS,
  RATE_LIMIT_FIELDS,
  RATE_LIMIT_NAMES,
  expiryOf,
  NULLABLE_STRING,
  parseExpires,
  readMetadata,
  readPermission,
  SPEND_FIELD,
  spendPatchOf,
  type RateLimitBody,
} from '../auth/management-fields.js';
import { keyView } from '../auth/management-views.js';
import { requireProxyAdmin } from '../auth/proxy-admin.js';
import { callerOf, resolveCallerHook } from '../auth/request-caller.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { AlreadyExistsError, InvalidRequestError, KeyNotFoundError } from '../http/errors.js';
import { budgetResetAt, resetAtForNewDuration } from '../spend/budget-duration.js';
import type { BudgetGate } from '../spend/budget-gate.js';
import type { KeyPatch, KeyRecord, KeysRepository, KeyWrite, ObjectPermission } from '../store/index.js';
import { withCurrentBudget } from './budget-view.js';
import { definedFields } from './defined-fields.js';

export interface KeyRoutesOptions {
  callers: CallerResolver;
  keys: KeysRepository;
  /** Called after every write, so cached keys are re-read (auth/key-cache.ts). */
  onChange: () => void;
  /** `general_settings.master_key`: never accepted as a virtual key's value. */
  masterKey?: string;
  /** Told when `/key/update` sets `spend`, so the budget counter starts again from it. */
  budgets?: Pick<BudgetGate, 'forgetSpend'> | null;
  /** Writes the spend recorded so far, before `spend` is set: this process's buffered rows cannot land after it. */
  flushSpend?: () => Promise<void>;
  now?: () => number;
}

interface KeyFields extends RateLimitBody {
  key_alias?: string | null;
  models?: string[];
  max_budget?: number | null;
  duration?: string | null;
  expires?: string | null;
  metadata?: Record<string, unknown> | null;
  team_id?: string | null;
  user_id?: string | null;
  object_permission?: ObjectPermission | null;
  blocked?: boolean;
  budget_duration?: string | null;
}

const KEY_FIELDS = {
  key_alias: NULLABLE_STRING,
  duration: NULLABLE_STRING,
  expires: NULLABLE_STRING,
  team_id: NULLABLE_STRING,
  user_id: NULLABLE_STRING,
  blocked: { type: 'boolean' },
  ...ENTITY_FIELDS,
  ...RATE_LIMIT_FIELDS,
} as const;

// Create and update bodies accept LiteLLM's other fields (aliases, guardrails, soft_budget, …) and
// ignore them, as /v1/mcp/server does: LiteLLM's clients and its Terraform provider send them. docs/keys.md.
const GENERATE_SCHEMA = {
  body: {
    type: 'object',
    // No whitespace: callers are resolved with the presented value trimmed, so `sk-… ` could never be used.
    properties: { key: { type: 'string', pattern: '^sk-\\S{8,}$' }, ...KEY_FIELDS },
  },
};
const UPDATE_SCHEMA = {
  body: { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1 }, spend: SPEND_FIELD, ...KEY_FIELDS } },
};
const ONE_KEY_SCHEMA = { body: { type: 'object', required: ['key'], properties: { key: { type: 'string', minLength: 1 } } } };
const DELETE_SCHEMA = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: { keys: { type: 'array', items: { type: 'string' } }, key_aliases: { type: 'array', items: { type: 'string' } } },
  },
};

export const keyRoutes: FastifyPluginAsync<KeyRoutesOptions> = async (app, options) => {
  const { callers, keys, onChange, masterKey, budgets, flushSpend, now = Date.now } = options;
  app.addHook('onRequest', resolveCallerHook(callers));
  // Every route but /key/info is the proxy admin's alone (refused before the body is read).
  const adminOnly = { onRequest: requireProxyAdmin };
  const view = (key: KeyRecord) => withCurrentBudget(keyView(key), key, now());

  const written = (write: KeyWrite, alias: string | null | undefined, teamId: string | null | undefined): KeyRecord => {
    switch (write.kind) {
      case 'ok':
        onChange();
        return write.key;
      case 'alias_taken':
        throw new AlreadyExistsError(`A key with key_alias "${alias ?? ''}" already exists.`, { param: 'key_alias' });
      case 'team_missing':
        throw new InvalidRequestError(`team_id "${teamId ?? ''}" does not exist; create it with /team/new first.`, { param: 'team_id' });
      case 'not_found':
        throw new KeyNotFoundError('Key not found.', { param: 'key' });
    }
  };
  /** A caller-chosen `key` may be neither the master key (it would never resolve as the virtual key) nor a key in use. */
  const refuseChosenKey = async (key: string): Promise<void> => {
    if (masterKey !== undefined && key === masterKey) {
      throw new InvalidRequestError('key must not be the proxy master key.', { param: 'key' });
    }
    if ((await keys.get(hashKeyToken(key))) !== null) throw new AlreadyExistsError('This key already exists.', { param: 'key' });
  };
  const find = async (keyOrToken: string): Promise<KeyRecord> => {
    const key = await keys.get(tokenOf(keyOrToken));
    if (key === null) throw new KeyNotFoundError('Key not found.', { param: 'key' });
    return key;
  };

  app.post<{ Body: KeyFields & { key?: string } }>('/key/generate', { ...adminOnly, schema: GENERATE_SCHEMA }, async (request) => {
    const body = request.body;
    if (body.key !== undefined) await refuseChosenKey(body.key);
    const plaintext = body.key ?? newKeyToken();
    const at = now();
    const record: KeyRecord = {
      token: hashKeyToken(plaintext),
      key_name: keyNameOf(plaintext),
      key_alias: body.key_alias ?? null,
      models: body.models ?? [],
      max_budget: body.max_budget ?? null,
      spend: 0,
      expires: expiresOf(body, at) ?? null,
      metadata: readMetadata(body.metadata),
      team_id: body.team_id ?? null,
      user_id: body.user_id ?? null,
      object_permission: readPermission(body.object_permission),
      blocked: body.blocked ?? false,
      created_at: at,
      updated_at: at,
      budget_duration: body.budget_duration ?? null,
      budget_reset_at: budgetResetAt(body.budget_duration, at, at),
      rpm_limit: body.rpm_limit ?? null,
      tpm_limit: body.tpm_limit ?? null,
      max_parallel_requests: body.max_parallel_requests ?? null,
    };
    const key = written(await keys.create(record), record.key_alias, record.team_id);
    return { key: plaintext, ...view(key) };
  });

  app.post<{ Body: KeyFields & { key: string; spend?: number | null } }>('/key/update', { ...adminOnly, schema: UPDATE_SCHEMA }, async (request) => {
    const { key: keyOrToken, spend, ...body } = request.body;
    const at = now();
    const patch: KeyPatch = definedFields(body, [
      'key_alias',
      'models',
      'max_budget',
      'team_id',
      'user_id',
      'blocked',
      'budget_duration',
      ...RATE_LIMIT_NAMES,
    ]);
    if (body.metadata !== undefined) patch.metadata = readMetadata(body.metadata);
    if (body.object_permission !== undefined) patch.object_permission = readPermission(body.object_permission);
    const expires = expiresOf(body, at);
    if (expires !== undefined) patch.expires = expires;
    const stored = body.budget_duration !== undefined || typeof spend === 'number' ? await find(keyOrToken) : null;
    if (stored !== null && body.budget_duration !== undefined) {
      const resetAt = resetAtForNewDuration(stored, body.budget_duration, at);
      if (resetAt !== undefined) patch.budget_reset_at = resetAt;
    }
    if (stored !== null && typeof spend === 'number') {
      await flushSpend?.();
      Object.assign(patch, spendPatchOf(stored, spend, body.budget_duration, at));
    }
    const key = written(await keys.update(tokenOf(keyOrToken), patch, at), body.key_alias, body.team_id);
    if (typeof spend === 'number') await budgets?.forgetSpend('key', key.token);
    return view(key);
  });

  const setBlocked = (blocked: boolean) => async (request: FastifyRequest<{ Body: { key: string } }>) =>
    view(written(await keys.update(tokenOf(request.body.key), { blocked }, now()), undefined, undefined));
  app.post<{ Body: { key: string } }>('/key/block', { ...adminOnly, schema: ONE_KEY_SCHEMA }, setBlocked(true));
  app.post<{ Body: { key: string } }>('/key/unblock', { ...adminOnly, schema: ONE_KEY_SCHEMA }, setBlocked(false));

  app.post<{ Body: { keys?: string[]; key_aliases?: string[] } }>('/key/delete', { ...adminOnly, schema: DELETE_SCHEMA }, async (request) => {
    const { keys: named = [], key_aliases: aliases = [] } = request.body;
    if (named.length + aliases.length === 0) {
      throw new InvalidRequestError('Name the keys to delete in "keys" (sk-… values or tokens) or "key_aliases".', { param: 'keys' });
    }
    // Every named key must exist, or nothing is deleted.
    const tokens = (await Promise.all(named.map(find))).map((key) => key.token);
    for (const alias of aliases) {
      const key = await keys.getByAlias(alias);
      if (key === null) throw new KeyNotFoundError(`No key with key_alias "${alias}".`, { param: 'key_aliases' });
      tokens.push(key.token);
    }
    const deleted = await keys.delete([...new Set(tokens)]);
    onChange();
    return { deleted_keys: deleted };
  });

  app.get('/key/info', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const caller = callerOf(request);
    const asked = typeof request.query.key === 'string' && request.query.key !== '' ? request.query.key : undefined;
    let keyOrToken = asked;
    if (caller.kind === 'key') {
      // A virtual key reads its own info (LiteLLM's `key = key or the presented key`); another key's is admin-only.
      if (asked !== undefined && tokenOf(asked) !== caller.key.token) await requireProxyAdmin(request);
      keyOrToken = caller.key.token;
    }
    if (keyOrToken === undefined) {
      throw new InvalidRequestError("Missing required parameter: 'key' (an sk-… value or its token).", { param: 'key' });
    }
    const key = await find(keyOrToken);
    return { key: key.token, info: view(key) };
  });

  app.get<{ Querystring: Record<string, unknown> }>('/key/list', adminOnly, async (request) => {
    const query = request.query;
    const page = positiveInt(query.page, 1, 'page');
    const size = Math.min(positiveInt(query.size, 10, 'size'), 100);
    const text = (name: string) => (typeof query[name] === 'string' && query[name] !== '' ? (query[name] as string) : undefined);
    const result = await keys.list({ page, size, team_id: text('team_id'), key_alias: text('key_alias'), user_id: text('user_id') });
    return {
      keys: query.return_full_object === 'true' ? result.keys.map(view) : result.keys.map((key) => key.token),
      total_count: result.total,
      current_page: page,
      total_pages: Math.ceil(result.total / size),
    };
  });
};

/** `duration` wins over `expires`; an explicit null clears the expiry; absent leaves it (undefined). */
function expiresOf(body: KeyFields, now: number): number | null | undefined {
  if (typeof body.duration === 'string') return expiryOf(body.duration, now);
  if (typeof body.expires === 'string') return parseExpires(body.expires);
  if (body.duration === null || body.expires === null) return null;
  return undefined;
}

function positiveInt(value: unknown, fallback: number, param: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidRequestError(`Invalid value for '${param}': must be a positive integer.`, { param });
  return parsed;
}
