/**
 * The fields keys, teams and organisations share (LiteLLM's names): `object_permission`, `models`, `metadata`,
 * and how each is written to and read back from a JSON column. Reads check the outline, so a hand-edited row
 * fails loudly instead of granting something by accident.
 */
import { InternalError } from '../http/errors.js';
import { decodeJson, encodeJson, type StoreDialect } from './dialect.js';

/** What an entity may use on the MCP side; servers are named by id, name or alias. */
export interface ObjectPermission {
  mcp_servers?: string[];
  mcp_access_groups?: string[];
  /** Server (id, name or alias) → the upstream tool names allowed on it; `[]` allows none. */
  mcp_tool_permissions?: Record<string, string[]>;
}

export function encodePermission(value: ObjectPermission | null): string | null {
  return value === null ? null : encodeJson(value);
}

export function decodePermission(dialect: StoreDialect, value: unknown, column: string): ObjectPermission | null {
  const parsed = decodeJson(dialect, value, column);
  if (parsed === null) return null;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new InternalError(`store: ${column} is not an object`);
  const { mcp_servers: servers, mcp_access_groups: groups, mcp_tool_permissions: tools } = parsed as Record<string, unknown>;
  const permission: ObjectPermission = {};
  if (servers !== undefined) permission.mcp_servers = stringList(servers, `${column}.mcp_servers`);
  if (groups !== undefined) permission.mcp_access_groups = stringList(groups, `${column}.mcp_access_groups`);
  if (tools !== undefined) {
    if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
      throw new InternalError(`store: ${column}.mcp_tool_permissions is not an object`);
    }
    permission.mcp_tool_permissions = Object.fromEntries(
      Object.entries(tools).map(([server, list]) => [server, stringList(list, `${column}.mcp_tool_permissions.${server}`)]),
    );
  }
  return permission;
}

export function decodeModels(dialect: StoreDialect, value: unknown, column: string): string[] {
  return stringList(decodeJson(dialect, value, column), column);
}

export function decodeMetadata(dialect: StoreDialect, value: unknown, column: string): Record<string, unknown> {
  const parsed = decodeJson(dialect, value, column);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InternalError(`store: ${column} is not an object`);
  return parsed as Record<string, unknown>;
}

function stringList(value: unknown, column: string): string[] {
  if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string')) {
    throw new InternalError(`store: ${column} is not a list of strings`);
  }
  return value as string[];
}

/** The columns keys, teams and organisations share, as records hold them. */
export interface EntityFields {
  models: string[];
  max_budget: number | null;
  spend: number;
  metadata: Record<string, unknown>;
  object_permission: ObjectPermission | null;
  /** When `max_budget` resets (`"30s"`, `"1h"`, `"30d"`, `"1mo"`; spend/budget-duration.ts); null or absent: never. */
  budget_duration?: string | null;
  /** Epoch ms: the end of the budget period `spend` was counted in; null or absent: `spend` is not per period. */
  budget_reset_at?: number | null;
}

interface EntityColumns {
  models: unknown;
  max_budget: number | null;
  spend: number;
  metadata: unknown;
  object_permission: unknown;
  budget_duration: string | null;
  budget_reset_at: number | string | null;
}

export function encodeEntityFields(record: EntityFields) {
  return {
    models: encodeJson(record.models),
    max_budget: record.max_budget,
    spend: record.spend,
    metadata: encodeJson(record.metadata),
    object_permission: encodePermission(record.object_permission),
    budget_duration: record.budget_duration ?? null,
    budget_reset_at: record.budget_reset_at ?? null,
  };
}

/** The shared fields a patch changes (absent: unchanged); `spend` is never patched. */
export function encodeEntityPatch(patch: Partial<Omit<EntityFields, 'spend'>>) {
  return {
    ...(patch.models !== undefined ? { models: encodeJson(patch.models) } : {}),
    ...(patch.max_budget !== undefined ? { max_budget: patch.max_budget } : {}),
    ...(patch.metadata !== undefined ? { metadata: encodeJson(patch.metadata) } : {}),
    ...(patch.object_permission !== undefined ? { object_permission: encodePermission(patch.object_permission) } : {}),
    ...(patch.budget_duration !== undefined ? { budget_duration: patch.budget_duration } : {}),
    ...(patch.budget_reset_at !== undefined ? { budget_reset_at: patch.budget_reset_at } : {}),
  };
}

/** `where` names the row in errors, e.g. `teams[eng]`. */
export function decodeEntityFields(dialect: StoreDialect, row: EntityColumns, where: string): EntityFields {
  return {
    models: decodeModels(dialect, row.models, `${where}.models`),
    max_budget: row.max_budget === null ? null : Number(row.max_budget),
    spend: Number(row.spend),
    metadata: decodeMetadata(dialect, row.metadata, `${where}.metadata`),
    object_permission: decodePermission(dialect, row.object_permission, `${where}.object_permission`),
    // Optional on records: absent when unset, so a record round-trips as it was written.
    ...(row.budget_duration !== null && row.budget_duration !== undefined ? { budget_duration: row.budget_duration } : {}),
    ...(row.budget_reset_at !== null && row.budget_reset_at !== undefined ? { budget_reset_at: Number(row.budget_reset_at) } : {}),
  };
}
