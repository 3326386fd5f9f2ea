/** A team as the store keeps it (LiteLLM's field names) and the teams repository's contract. Epoch-ms timestamps. */
import type { ObjectPermission } from './keys-permission-fields.js';
import type { RateLimitFields } from './rate-limit-fields.js';

/** `rpm_limit`, `tpm_limit`, `max_parallel_requests` count every key of the team together (issue #7). */
export interface TeamRecord extends RateLimitFields {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  /** Empty: no restriction of its own. */
  models: string[];
  max_budget: number | null;
  spend: number;
  metadata: Record<string, unknown>;
  object_permission: ObjectPermission | null;
  blocked: boolean;
  created_at: number;
  updated_at: number;
  /** When `max_budget` resets (`"30d"`); null or absent: never (issue #7). */
  budget_duration?: string | null;
  /** As on keys (keys-record.ts). */
  budget_reset_at?: number | null;
}

export type TeamPatch = Partial<
  Pick<
    TeamRecord,
    | 'team_alias'
    | 'organization_id'
    | 'models'
    | 'max_budget'
    | 'metadata'
    | 'object_permission'
    | 'blocked'
    | 'budget_duration'
    | 'budget_reset_at'
    | keyof RateLimitFields
  >
>;

export type TeamWrite = { kind: 'ok'; team: TeamRecord } | { kind: 'id_taken' } | { kind: 'organization_missing' } | { kind: 'not_found' };

export interface TeamsRepository {
  create(record: TeamRecord): Promise<TeamWrite>;
  get(teamId: string): Promise<TeamRecord | null>;
  update(teamId: string, patch: TeamPatch, now: number): Promise<TeamWrite>;
  /** Deletes the teams that exist and every key of theirs (a key never outlives the team that bounds it). */
  delete(teamIds: readonly string[]): Promise<{ teams: string[]; keys: number }>;
  list(query: { organization_id?: string }): Promise<TeamRecord[]>;
}
