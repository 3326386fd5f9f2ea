/** An organisation as the store keeps it (LiteLLM's field names) and its repository's contract. Epoch-ms timestamps. */
import type { ObjectPermission } from './keys-permission-fields.js';

export interface OrganizationRecord {
  organization_id: string;
  organization_alias: string | null;
  /** Empty: no restriction of its own. */
  models: string[];
  max_budget: number | null;
  spend: number;
  metadata: Record<string, unknown>;
  object_permission: ObjectPermission | null;
  created_at: number;
  updated_at: number;
  /** When `max_budget` resets (`"30d"`); null or absent: never (issue #7). */
  budget_duration?: string | null;
  /** As on keys (keys-record.ts). */
  budget_reset_at?: number | null;
}

export type OrganizationPatch = Partial<
  Pick<OrganizationRecord, 'organization_alias' | 'models' | 'max_budget' | 'spend' | 'metadata' | 'object_permission' | 'budget_duration' | 'budget_reset_at'>
>;

export type OrganizationWrite = { kind: 'ok'; organization: OrganizationRecord } | { kind: 'id_taken' } | { kind: 'not_found' };

export type OrganizationDelete = { kind: 'ok'; deleted: string[] } | { kind: 'has_teams'; organizationId: string; teams: number };

export interface OrganizationsRepository {
  create(record: OrganizationRecord): Promise<OrganizationWrite>;
  get(organizationId: string): Promise<OrganizationRecord | null>;
  update(organizationId: string, patch: OrganizationPatch, now: number): Promise<OrganizationWrite>;
  /** Refuses (deleting nothing) while a team still belongs to one of them. */
  delete(organizationIds: readonly string[]): Promise<OrganizationDelete>;
  list(): Promise<OrganizationRecord[]>;
}
