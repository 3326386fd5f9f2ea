/**
 * A virtual key as the store keeps it (LiteLLM's field names) and the keys repository's contract. `token` is
 * the sha256 hex of the `sk-…` key: the plaintext is never stored. Timestamps are epoch milliseconds.
 */
import type { ObjectPermission } from './keys-permission-fields.js';
import type { OrganizationRecord } from './organizations-record.js';
import type { RateLimitFields } from './rate-limit-fields.js';
import type { TeamRecord } from './teams-record.js';

export interface KeyRecord extends RateLimitFields {
  token: string;
  key_name: string;
  key_alias: string | null;
  /** Empty: no restriction of its own (the team's, else every model). */
  models: string[];
  max_budget: number | null;
  spend: number;
  expires: number | null;
  metadata: Record<string, unknown>;
  team_id: string | null;
  user_id: string | null;
  object_permission: ObjectPermission | null;
  blocked: boolean;
  created_at: number;
  updated_at: number;
  /** When `max_budget` resets (`"30d"`); null or absent: never (issue #7). */
  budget_duration?: string | null;
  /** LiteLLM's: the end of the budget period `spend` was counted in (spend/budget-duration.ts); absent: not per period. */
  budget_reset_at?: number | null;
}

/** The fields `/key/update` may change; an absent field is left as it is. */
export type KeyPatch = Partial<
  Pick<
    KeyRecord,
    | 'key_alias'
    | 'spend'
    | 'models'
    | 'max_budget'
    | 'expires'
    | 'metadata'
    | 'team_id'
    | 'user_id'
    | 'object_permission'
    | 'blocked'
    | 'budget_duration'
    | 'budget_reset_at'
    | keyof RateLimitFields
  >
>;

export interface KeyListQuery {
  team_id?: string;
  key_alias?: string;
  user_id?: string;
  /** 1-based. */
  page: number;
  size: number;
}

export interface KeyPage {
  keys: KeyRecord[];
  total: number;
}

/**
 * A key with its team and that team's organisation, as stored. `team` is null when the key has no `team_id` or
 * that team's row is gone; `organization` likewise for the team's `organization_id`: tell the two apart by the id.
 */
export interface KeyWithTeamAndOrganization {
  key: KeyRecord;
  team: TeamRecord | null;
  organization: OrganizationRecord | null;
}

export type KeyWrite = { kind: 'ok'; key: KeyRecord } | { kind: 'alias_taken' } | { kind: 'team_missing' } | { kind: 'not_found' };

export interface KeysRepository {
  /** Fails with `alias_taken` for a used `key_alias`, `team_missing` for an unknown `team_id`. */
  create(record: KeyRecord): Promise<KeyWrite>;
  get(token: string): Promise<KeyRecord | null>;
  /** The key, its team and the team's organisation in one round trip; null when there is no such key. */
  getWithTeamAndOrganization(token: string): Promise<KeyWithTeamAndOrganization | null>;
  getByAlias(alias: string): Promise<KeyRecord | null>;
  update(token: string, patch: KeyPatch, now: number): Promise<KeyWrite>;
  /** Deletes the keys that exist; returns their tokens. */
  delete(tokens: readonly string[]): Promise<string[]>;
  list(query: KeyListQuery): Promise<KeyPage>;
}
