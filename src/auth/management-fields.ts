/**
 * The request-body pieces `/key/*`, `/team/*` and `/organization/*` share (LiteLLM's field names): JSON Schemas
 * for Fastify to compile at registration, and the readers that turn a validated body into store values.
 */
import { BUDGET_DURATION_PATTERN, parseDurationMs } from '../config/duration.js';
import { InvalidRequestError } from '../http/errors.js';
import { budgetResetAt, type StoredBudget } from '../spend/budget-duration.js';
import type { ObjectPermission } from '../store/index.js';

const STRING_LIST = { type: 'array', items: { type: 'string' } } as const;

export const OBJECT_PERMISSION_SCHEMA = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    mcp_servers: STRING_LIST,
    mcp_access_groups: STRING_LIST,
    mcp_tool_permissions: { type: 'object', additionalProperties: STRING_LIST },
  },
} as const;

/** Fields keys, teams and organisations all take. */
export const ENTITY_FIELDS = {
  models: STRING_LIST,
  max_budget: { type: ['number', 'null'], minimum: 0 },
  metadata: { type: ['object', 'null'] },
  object_permission: OBJECT_PERMISSION_SCHEMA,
  /** When `max_budget` resets: LiteLLM's `"30s"`, `"30m"`, `"1h"`, `"1d"`, `"1w"`, `"1mo"` (spend/budget-duration.ts). */
  budget_duration: { type: ['string', 'null'], pattern: BUDGET_DURATION_PATTERN },
} as const;

/** Rate limits of keys and teams (issue #7): requests and total tokens per minute, requests in flight at once. */
export const RATE_LIMIT_FIELDS = {
  rpm_limit: { type: ['integer', 'null'], minimum: 0 },
  tpm_limit: { type: ['integer', 'null'], minimum: 0 },
  max_parallel_requests: { type: ['integer', 'null'], minimum: 0 },
} as const;

/** The fields of RATE_LIMIT_FIELDS a create or update body may carry. */
export interface RateLimitBody {
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  max_parallel_requests?: number | null;
}

export const RATE_LIMIT_NAMES = ['rpm_limit', 'tpm_limit', 'max_parallel_requests'] as const;

export const NULLABLE_STRING = { type: ['string', 'null'] } as const;

/** LiteLLM's `spend` on `/key/update` and `/organization/update` (USD); null or absent leaves it. */
export const SPEND_FIELD = { type: ['number', 'null'], minimum: 0 } as const;

/**
 * The patch that makes `spend` the entity's spend in the current budget period: `budget_reset_at` moves to that
 * period's end (of `budgetDuration` when the same update sets it), so a spend stored in an ended period is not read
 * as 0. The budget counters must then forget the entity (BudgetGate.forgetSpend).
 */
export function spendPatchOf(entity: StoredBudget, spend: number, budgetDuration: string | null | undefined, now: number) {
  return { spend, budget_reset_at: budgetResetAt(budgetDuration === undefined ? entity.budget_duration : budgetDuration, entity.created_at, now) };
}

/** `object_permission` as sent: null or absent lists are dropped, so a stored grant only has what was granted. */
export function readPermission(value: unknown): ObjectPermission | null {
  if (value === null || value === undefined) return null;
  const { mcp_servers: servers, mcp_access_groups: groups, mcp_tool_permissions: tools } = value as ObjectPermission;
  return {
    ...(servers !== undefined ? { mcp_servers: servers } : {}),
    ...(groups !== undefined ? { mcp_access_groups: groups } : {}),
    ...(tools !== undefined ? { mcp_tool_permissions: tools } : {}),
  };
}

export function readMetadata(value: unknown): Record<string, unknown> {
  return value === null || value === undefined ? {} : (value as Record<string, unknown>);
}

/** LiteLLM's `duration`: `30s`, `30m`, `30h`, `30d` (also `0s`: already expired). Returns epoch ms. */
export function expiryOf(duration: string, now: number): number {
  const ms = parseDurationMs(duration);
  if (ms === null) throw new InvalidRequestError(`Invalid value for 'duration': "${duration}" (expected e.g. "30s", "15m", "12h", "30d").`, { param: 'duration' });
  return now + ms;
}

/** `expires` as an ISO 8601 date-time (an extension; LiteLLM sets it from `duration` only). */
export function parseExpires(value: string): number {
  const at = Date.parse(value);
  if (Number.isNaN(at)) throw new InvalidRequestError(`Invalid value for 'expires': "${value}" is not an ISO 8601 date-time.`, { param: 'expires' });
  return at;
}

export function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
