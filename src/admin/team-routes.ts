/**
 * Team management, LiteLLM's paths and fields: `POST /team/new`, `/team/update`, `/team/delete`;
 * `GET /team/info?team_id=`, `/team/list`. Master key only. Deleting a team deletes its keys.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ENTITY_FIELDS, NULLABLE_STRING, RATE_LIMIT_FIELDS, RATE_LIMIT_NAMES, readMetadata, readPermission, type RateLimitBody } from '../auth/management-fields.js';
import { keyView, teamView } from '../auth/management-views.js';
import { requireAdminHook } from '../auth/proxy-admin.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { AlreadyExistsError, InvalidRequestError, TeamNotFoundError } from '../http/errors.js';
import { budgetResetAt, resetAtForNewDuration } from '../spend/budget-duration.js';
import type { KeyRecord, KeysRepository, ObjectPermission, TeamPatch, TeamRecord, TeamsRepository, TeamWrite } from '../store/index.js';
import { withCurrentBudget } from './budget-view.js';
import { definedFields } from './defined-fields.js';

export interface TeamRoutesOptions {
  callers: CallerResolver;
  teams: TeamsRepository;
  keys: KeysRepository;
  onChange: () => void;
  now?: () => number;
}

interface TeamFields extends RateLimitBody {
  team_alias?: string | null;
  organization_id?: string | null;
  models?: string[];
  max_budget?: number | null;
  metadata?: Record<string, unknown> | null;
  object_permission?: ObjectPermission | null;
  blocked?: boolean;
  budget_duration?: string | null;
}

const TEAM_FIELDS = {
  team_alias: NULLABLE_STRING,
  organization_id: NULLABLE_STRING,
  blocked: { type: 'boolean' },
  ...ENTITY_FIELDS,
  ...RATE_LIMIT_FIELDS,
} as const;
const TEAM_ID = { type: 'string', minLength: 1, maxLength: 256 } as const;
// Other LiteLLM team fields are accepted and ignored (see key-routes.ts).
const NEW_SCHEMA = { body: { type: 'object', properties: { team_id: TEAM_ID, ...TEAM_FIELDS } } };
const UPDATE_SCHEMA = { body: { type: 'object', required: ['team_id'], properties: { team_id: TEAM_ID, ...TEAM_FIELDS } } };
const DELETE_SCHEMA = {
  body: { type: 'object', additionalProperties: false, required: ['team_ids'], properties: { team_ids: { type: 'array', minItems: 1, items: TEAM_ID } } },
};

/** Keys listed by `/team/info`: enough for an admin view, never unbounded. */
const TEAM_INFO_KEYS = 100;

export const teamRoutes: FastifyPluginAsync<TeamRoutesOptions> = async (app, { callers, teams, keys, onChange, now = Date.now }) => {
  app.addHook('onRequest', requireAdminHook(callers));
  const view = (team: TeamRecord) => withCurrentBudget(teamView(team), team, now());
  const viewKey = (key: KeyRecord) => withCurrentBudget(keyView(key), key, now());

  const written = (write: TeamWrite, teamId: string, organizationId: string | null | undefined): TeamRecord => {
    switch (write.kind) {
      case 'ok':
        onChange();
        return write.team;
      case 'id_taken':
        throw new AlreadyExistsError(`A team with team_id "${teamId}" already exists.`, { param: 'team_id' });
      case 'organization_missing':
        throw new InvalidRequestError(`organization_id "${organizationId ?? ''}" does not exist; create it with /organization/new first.`, {
          param: 'organization_id',
        });
      case 'not_found':
        throw new TeamNotFoundError(`Team "${teamId}" not found.`, { param: 'team_id' });
    }
  };

  app.post('/team/new', { schema: NEW_SCHEMA }, async (request: FastifyRequest<{ Body: TeamFields & { team_id?: string } }>) => {
    const body = request.body;
    const at = now();
    const record: TeamRecord = {
      team_id: body.team_id ?? randomUUID(),
      team_alias: body.team_alias ?? null,
      organization_id: body.organization_id ?? null,
      models: body.models ?? [],
      max_budget: body.max_budget ?? null,
      spend: 0,
      metadata: readMetadata(body.metadata),
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
    return view(written(await teams.create(record), record.team_id, record.organization_id));
  });

  app.post('/team/update', { schema: UPDATE_SCHEMA }, async (request: FastifyRequest<{ Body: TeamFields & { team_id: string } }>) => {
    const { team_id: teamId, ...body } = request.body;
    const patch: TeamPatch = definedFields(body, ['team_alias', 'organization_id', 'models', 'max_budget', 'blocked', 'budget_duration', ...RATE_LIMIT_NAMES]);
    if (body.metadata !== undefined) patch.metadata = readMetadata(body.metadata);
    if (body.object_permission !== undefined) patch.object_permission = readPermission(body.object_permission);
    const at = now();
    const stored = body.budget_duration === undefined ? null : await teams.get(teamId);
    const resetAt = stored === null ? undefined : resetAtForNewDuration(stored, body.budget_duration ?? null, at);
    if (resetAt !== undefined) patch.budget_reset_at = resetAt;
    const team = written(await teams.update(teamId, patch, at), teamId, body.organization_id);
    return { team_id: team.team_id, data: view(team) };
  });

  app.post('/team/delete', { schema: DELETE_SCHEMA }, async (request: FastifyRequest<{ Body: { team_ids: string[] } }>) => {
    const ids = [...new Set(request.body.team_ids)];
    // Every named team must exist, or nothing is deleted.
    for (const id of ids) {
      if ((await teams.get(id)) === null) throw new TeamNotFoundError(`Team "${id}" not found.`, { param: 'team_ids' });
    }
    const deleted = await teams.delete(ids);
    onChange();
    return { deleted_teams: deleted.teams, deleted_keys: deleted.keys };
  });

  app.get('/team/info', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const teamId = request.query.team_id;
    if (typeof teamId !== 'string' || teamId === '') throw new InvalidRequestError("Missing required parameter: 'team_id'.", { param: 'team_id' });
    const team = await teams.get(teamId);
    if (team === null) throw new TeamNotFoundError(`Team "${teamId}" not found.`, { param: 'team_id' });
    const teamKeys = await keys.list({ team_id: teamId, page: 1, size: TEAM_INFO_KEYS });
    return { team_id: team.team_id, team_info: view(team), keys: teamKeys.keys.map(viewKey) };
  });

  app.get('/team/list', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const organizationId = request.query.organization_id;
    const list = await teams.list(typeof organizationId === 'string' && organizationId !== '' ? { organization_id: organizationId } : {});
    return list.map(view);
  });
};
