/**
 * Organisation management, LiteLLM's paths and fields: `POST /organization/new`, `PATCH` (or `POST`)
 * `/organization/update`, `DELETE` (or `POST`) `/organization/delete`, `GET /organization/info?organization_id=`,
 * `/organization/list`. Master key only. An organisation that still has teams cannot be deleted.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ENTITY_FIELDS, NULLABLE_STRING, readMetadata, readPermission, SPEND_FIELD, spendPatchOf } from '../auth/management-fields.js';
import { organizationView, teamView } from '../auth/management-views.js';
import { requireAdminHook } from '../auth/proxy-admin.js';
import type { CallerResolver } from '../auth/resolve-caller.js';
import { AlreadyExistsError, InvalidRequestError, OrganizationNotFoundError } from '../http/errors.js';
import { budgetResetAt, resetAtForNewDuration } from '../spend/budget-duration.js';
import type { BudgetGate } from '../spend/budget-gate.js';
import type {
  ObjectPermission,
  OrganizationPatch,
  OrganizationRecord,
  OrganizationsRepository,
  OrganizationWrite,
  TeamRecord,
  TeamsRepository,
} from '../store/index.js';
import { withCurrentBudget } from './budget-view.js';
import { definedFields } from './defined-fields.js';

export interface OrganizationRoutesOptions {
  callers: CallerResolver;
  organizations: OrganizationsRepository;
  teams: TeamsRepository;
  onChange: () => void;
  /** Told when `/organization/update` sets `spend`, so the budget counter starts again from it. */
  budgets?: Pick<BudgetGate, 'forgetSpend'> | null;
  /** Writes the spend recorded so far, before `spend` is set: this process's buffered rows cannot land after it. */
  flushSpend?: () => Promise<void>;
  now?: () => number;
}

interface OrganizationFields {
  organization_alias?: string | null;
  models?: string[];
  max_budget?: number | null;
  metadata?: Record<string, unknown> | null;
  object_permission?: ObjectPermission | null;
  budget_duration?: string | null;
}

const ORGANIZATION_ID = { type: 'string', minLength: 1, maxLength: 256 } as const;
const FIELDS = { organization_alias: NULLABLE_STRING, ...ENTITY_FIELDS } as const;
// Other LiteLLM organisation fields are accepted and ignored (see key-routes.ts).
const NEW_SCHEMA = { body: { type: 'object', properties: { organization_id: ORGANIZATION_ID, ...FIELDS } } };
// LiteLLM's LiteLLM_OrganizationTableUpdate takes `spend`, as UpdateKeyRequest does (its UpdateTeamRequest does not).
const UPDATE_SCHEMA = {
  body: { type: 'object', required: ['organization_id'], properties: { organization_id: ORGANIZATION_ID, spend: SPEND_FIELD, ...FIELDS } },
};
const DELETE_SCHEMA = {
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['organization_ids'],
    properties: { organization_ids: { type: 'array', minItems: 1, items: ORGANIZATION_ID } },
  },
};

export const organizationRoutes: FastifyPluginAsync<OrganizationRoutesOptions> = async (app, options) => {
  const { callers, organizations, teams, onChange, budgets, flushSpend, now = Date.now } = options;
  app.addHook('onRequest', requireAdminHook(callers));
  const view = (organization: OrganizationRecord) => withCurrentBudget(organizationView(organization), organization, now());
  const viewTeam = (team: TeamRecord) => withCurrentBudget(teamView(team), team, now());

  const written = (write: OrganizationWrite, organizationId: string): OrganizationRecord => {
    switch (write.kind) {
      case 'ok':
        onChange();
        return write.organization;
      case 'id_taken':
        throw new AlreadyExistsError(`An organization with organization_id "${organizationId}" already exists.`, { param: 'organization_id' });
      case 'not_found':
        throw new OrganizationNotFoundError(`Organization "${organizationId}" not found.`, { param: 'organization_id' });
    }
  };

  app.post('/organization/new', { schema: NEW_SCHEMA }, async (request: FastifyRequest<{ Body: OrganizationFields & { organization_id?: string } }>) => {
    const body = request.body;
    const at = now();
    const record: OrganizationRecord = {
      organization_id: body.organization_id ?? randomUUID(),
      organization_alias: body.organization_alias ?? null,
      models: body.models ?? [],
      max_budget: body.max_budget ?? null,
      spend: 0,
      metadata: readMetadata(body.metadata),
      object_permission: readPermission(body.object_permission),
      created_at: at,
      updated_at: at,
      budget_duration: body.budget_duration ?? null,
      budget_reset_at: budgetResetAt(body.budget_duration, at, at),
    };
    return view(written(await organizations.create(record), record.organization_id));
  });

  const update = async (request: FastifyRequest<{ Body: OrganizationFields & { organization_id: string; spend?: number | null } }>) => {
    const { organization_id: organizationId, spend, ...body } = request.body;
    const patch: OrganizationPatch = definedFields(body, ['organization_alias', 'models', 'max_budget', 'budget_duration']);
    if (body.metadata !== undefined) patch.metadata = readMetadata(body.metadata);
    if (body.object_permission !== undefined) patch.object_permission = readPermission(body.object_permission);
    const at = now();
    const stored = body.budget_duration === undefined && typeof spend !== 'number' ? null : await organizations.get(organizationId);
    const resetAt = stored === null || body.budget_duration === undefined ? undefined : resetAtForNewDuration(stored, body.budget_duration, at);
    if (resetAt !== undefined) patch.budget_reset_at = resetAt;
    if (stored !== null && typeof spend === 'number') {
      await flushSpend?.();
      Object.assign(patch, spendPatchOf(stored, spend, body.budget_duration, at));
    }
    const organization = written(await organizations.update(organizationId, patch, at), organizationId);
    if (typeof spend === 'number') await budgets?.forgetSpend('org', organization.organization_id);
    return view(organization);
  };
  app.patch('/organization/update', { schema: UPDATE_SCHEMA }, update);
  app.post('/organization/update', { schema: UPDATE_SCHEMA }, update);

  const remove = async (request: FastifyRequest<{ Body: { organization_ids: string[] } }>) => {
    const ids = [...new Set(request.body.organization_ids)];
    for (const id of ids) {
      if ((await organizations.get(id)) === null) throw new OrganizationNotFoundError(`Organization "${id}" not found.`, { param: 'organization_ids' });
    }
    const result = await organizations.delete(ids);
    if (result.kind === 'has_teams') {
      throw new InvalidRequestError(
        `Organization "${result.organizationId}" still has ${result.teams} team(s); delete them or move them to another organization first.`,
        { param: 'organization_ids' },
      );
    }
    onChange();
    return { deleted_organizations: result.deleted };
  };
  app.delete('/organization/delete', { schema: DELETE_SCHEMA }, remove);
  app.post('/organization/delete', { schema: DELETE_SCHEMA }, remove);

  app.get('/organization/info', async (request: FastifyRequest<{ Querystring: Record<string, unknown> }>) => {
    const organizationId = request.query.organization_id;
    if (typeof organizationId !== 'string' || organizationId === '') {
      throw new InvalidRequestError("Missing required parameter: 'organization_id'.", { param: 'organization_id' });
    }
    const organization = await organizations.get(organizationId);
    if (organization === null) throw new OrganizationNotFoundError(`Organization "${organizationId}" not found.`, { param: 'organization_id' });
    return { ...view(organization), teams: (await teams.list({ organization_id: organizationId })).map(viewTeam) };
  });

  app.get('/organization/list', async () => (await organizations.list()).map(view));
};
