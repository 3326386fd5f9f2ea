/**
 * LiteLLM's duration strings — a key's `duration` and an entity's `budget_duration`: `<n><unit>`, unit `s`, `m`,
 * `h` or `d` (`30s`, `15m`, `12h`, `30d`), surrounding spaces allowed; a `budget_duration` may also be `<n>w` or
 * `1mo` (LiteLLM's budget units; spend/budget-duration.ts turns them into budget periods).
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `budget_duration` as JSON Schema takes it (the admin bodies): n ≥ 1; months only as `1mo`, as in LiteLLM. */
export const BUDGET_DURATION_PATTERN = '^\\s*(?:[1-9]\\d*\\s*[smhdw]|1\\s*mo)\\s*$';

/** Milliseconds, or null for a value that is not `<n><s|m|h|d>` with n ≥ 0. */
export function parseDurationMs(value: string): number | null {
  const match = /^\s*(\d+)\s*([smhd])\s*$/.exec(value);
  return match === null ? null : Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}
