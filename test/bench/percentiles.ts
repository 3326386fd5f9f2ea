/** Exact percentiles over every recorded sample (autocannon's own histogram rounds to whole milliseconds). */

export interface Percentiles {
  p50: number;
  p99: number;
  count: number;
}

/** Nearest-rank percentiles; sorts `samples` in place. */
export function percentiles(samples: Float64Array): Percentiles {
  if (samples.length === 0) return { p50: Number.NaN, p99: Number.NaN, count: 0 };
  samples.sort();
  const rank = (fraction: number) => samples[Math.min(samples.length - 1, Math.ceil(fraction * samples.length) - 1)];
  return { p50: rank(0.5), p99: rank(0.99), count: samples.length };
}

/** A growable list of numbers without boxing, for per-response latencies. */
export class SampleBuffer {
  private buffer = new Float64Array(16_384);
  private length = 0;

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Float64Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  values(): Float64Array {
    return this.buffer.subarray(0, this.length);
  }
}
