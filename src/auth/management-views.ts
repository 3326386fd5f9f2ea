/**
 * How keys, teams and organisations are shown by the management endpoints: LiteLLM's field names, ISO 8601
 * timestamps. A key is shown by its `token` (the sha256 hash) and `key_name`; the `sk-…` value only once, by
 * `/key/generate`.
 */
import type { KeyRecord, OrganizationRecord, TeamRecord } from '../store/index.js';
import { isoOrNull } from './management-fields.js';

export function keyView(key: KeyRecord) {
  return {
    token: key.token,
    key_name: key.key_name,
    key_alias: key.key_alias,
    models: key.models,
    max_budget: key.max_budget,
    budget_duration: key.budget_duration ?? null,
    rpm_limit: key.rpm_limit ?? null,
    tpm_limit: key.tpm_limit ?? null,
    max_parallel_requests: key.max_parallel_requests ?? null,
    spend: key.spend,
    expires: isoOrNull(key.expires),
    metadata: key.metadata,
    team_id: key.team_id,
    user_id: key.user_id,
    object_permission: key.object_permission,
    blocked: key.blocked,
    created_at: isoOrNull(key.created_at),
    updated_at: isoOrNull(key.updated_at),
  };
}

export function teamView(team: TeamRecord) {
  return {
    team_id: team.team_id,
    team_alias: team.team_alias,
    organization_id: team.organization_id,
    models: team.models,
    max_budget: team.max_budget,
    budget_duration: team.budget_duration ?? null,
    rpm_limit: team.rpm_limit ?? null,
    tpm_limit: team.tpm_limit ?? null,
    max_parallel_requests: team.max_parallel_requests ?? null,
    spend: team.spend,
    metadata: team.metadata,
    object_permission: team.object_permission,
    blocked: team.blocked,
    created_at: isoOrNull(team.created_at),
    updated_at: isoOrNull(team.updated_at),
  };
}

export function organizationView(organization: OrganizationRecord) {
  return {
    organization_id: organization.organization_id,
    organization_alias: organization.organization_alias,
    models: organization.models,
    max_budget: organization.max_budget,
    budget_duration: organization.budget_duration ?? null,
    spend: organization.spend,
    metadata: organization.metadata,
    object_permission: organization.object_permission,
    created_at: isoOrNull(organization.created_at),
    updated_at: isoOrNull(organization.updated_at),
  };
}
