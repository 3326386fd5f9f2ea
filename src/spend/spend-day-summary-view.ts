/**
 * How `GET /spend/logs` shows a date range when asked to summarise (LiteLLM's default with `start_date` and
 * `end_date`): one object per UTC day, oldest first, `{startTime: "YYYY-MM-DD", spend, models: {model: spend},
 * users: {}, <api_key>: spend, …}`, each key's spend under its hash. As LiteLLM's, only days with rows appear, then
 * one zero day for every day after the last of them through the range's end day; no rows at all is `[]`. `users` is
 * always empty: Gatehouse's rows carry no user.
 */
import type { SpendDayGroup } from '../store/index.js';

const DAY_MS = 86_400_000;

export type SpendDaySummary = Record<string, string | number | Record<string, number>>;

/** `groups` ordered by day (as the repository returns them); `endDay`: the range's last UTC day (days since the epoch). */
export function spendDaySummaries(groups: readonly SpendDayGroup[], endDay: number): SpendDaySummary[] {
  const summaries: SpendDaySummary[] = [];
  let current: { day: number; spend: number; models: Record<string, number>; keys: Map<string, number> } | undefined;
  const close = () => {
    if (current === undefined) return;
    const summary: SpendDaySummary = { startTime: dayOf(current.day), spend: current.spend, models: current.models, users: {} };
    for (const [apiKey, spend] of current.keys) summary[apiKey] = spend;
    summaries.push(summary);
  };
  for (const group of groups) {
    if (current?.day !== group.day) {
      close();
      current = { day: group.day, spend: 0, models: {}, keys: new Map() };
    }
    current.spend += group.spend;
    current.models[group.model] = (current.models[group.model] ?? 0) + group.spend;
    current.keys.set(group.api_key, (current.keys.get(group.api_key) ?? 0) + group.spend);
  }
  close();
  if (current === undefined) return summaries;
  for (let day = current.day + 1; day <= endDay; day++) summaries.push({ startTime: dayOf(day), spend: 0, models: {}, users: {} });
  return summaries;
}

function dayOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
