/**
 * LiteLLM's `max_parallel_requests` on a key and on its team (every key of the team together): gauges of the LLM
 * requests in flight, counted by budget-counters.ts, and the slot an admitted request holds until its response ends.
 */
import type { KeyRecord, TeamRecord } from '../store/index.js';
import type { SlotGauge, SpendCounters } from './budget-counters.js';

export interface ParallelGauge extends SlotGauge {
  /** Names it in a refusal: `API key sk-...abcd`, `team "eng"`. */
  label: string;
}

export function limitsParallel(key: KeyRecord, team: TeamRecord | null): boolean {
  return (key.max_parallel_requests ?? null) !== null || (team?.max_parallel_requests ?? null) !== null;
}

/** The key's gauge first, then the team's. */
export function parallelGaugesOf(key: KeyRecord, team: TeamRecord | null): ParallelGauge[] {
  const out: ParallelGauge[] = [];
  const keyLimit = key.max_parallel_requests ?? null;
  if (keyLimit !== null) out.push({ id: `parallel:key:${key.token}`, limit: keyLimit, label: `API key ${key.key_name}` });
  const teamLimit = team?.max_parallel_requests ?? null;
  if (team !== null && teamLimit !== null) out.push({ id: `parallel:team:${team.team_id}`, limit: teamLimit, label: `team "${team.team_id}"` });
  return out;
}

/** One admitted request's slots. `release` gives them back the first time it is called and does nothing after. */
export class ParallelSlot {
  private released = false;

  constructor(
    private readonly counters: SpendCounters,
    private readonly gaugeIds: readonly string[],
    private readonly slotId: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  release(): void {
    if (this.released) return;
    this.released = true;
    this.counters.releaseSlots(this.gaugeIds, this.slotId).catch(this.onError);
  }
}
