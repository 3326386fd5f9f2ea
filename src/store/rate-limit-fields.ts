/**
 * The rate-limit columns keys and teams share (issue #7): `rpm_limit`, `tpm_limit` (0005 on keys, 0010 on teams)
 * and LiteLLM's `max_parallel_requests` (0010). Null or absent on a record: unlimited.
 */

export interface RateLimitFields {
  /** Requests per minute. */
  rpm_limit?: number | null;
  /** Total tokens (prompt + completion) per minute. */
  tpm_limit?: number | null;
  /** Requests in flight at once. */
  max_parallel_requests?: number | null;
}

interface RateLimitColumns {
  rpm_limit: number | string | null;
  tpm_limit: number | string | null;
  max_parallel_requests: number | string | null;
}

export function encodeRateLimits(record: RateLimitFields) {
  return {
    rpm_limit: record.rpm_limit ?? null,
    tpm_limit: record.tpm_limit ?? null,
    max_parallel_requests: record.max_parallel_requests ?? null,
  };
}

/** The limits a patch changes (absent: unchanged). */
export function encodeRateLimitPatch(patch: RateLimitFields) {
  return {
    ...(patch.rpm_limit !== undefined ? { rpm_limit: patch.rpm_limit } : {}),
    ...(patch.tpm_limit !== undefined ? { tpm_limit: patch.tpm_limit } : {}),
    ...(patch.max_parallel_requests !== undefined ? { max_parallel_requests: patch.max_parallel_requests } : {}),
  };
}

/** Optional on records: absent when unset, so a record round-trips as it was written (bigint reads as a string on PostgreSQL). */
export function decodeRateLimits(row: RateLimitColumns): RateLimitFields {
  return {
    ...(row.rpm_limit !== null && row.rpm_limit !== undefined ? { rpm_limit: Number(row.rpm_limit) } : {}),
    ...(row.tpm_limit !== null && row.tpm_limit !== undefined ? { tpm_limit: Number(row.tpm_limit) } : {}),
    ...(row.max_parallel_requests !== null && row.max_parallel_requests !== undefined ? { max_parallel_requests: Number(row.max_parallel_requests) } : {}),
  };
}
