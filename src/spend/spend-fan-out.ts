/** One SpendSink that hands every record to several: the spend-log writer and the budget counters (issue #7). */
import type { SpendSink } from './spend-types.js';

export function fanOut(...sinks: readonly (SpendSink | undefined)[]): SpendSink {
  const targets = sinks.filter((sink): sink is SpendSink => sink !== undefined);
  if (targets.length === 1) return targets[0];
  return {
    record(record) {
      // A sink must not throw; if one does anyway, the others still get the record.
      for (const sink of targets) {
        try {
          sink.record(record);
        } catch {
          // Swallowed by contract: spend recording never fails a request.
        }
      }
    },
  };
}

/** The sink when nothing consumes spend. */
export const NO_SPEND_SINK: SpendSink = { record: () => undefined };
