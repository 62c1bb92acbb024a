/** Latency samples in milliseconds and their percentiles (nearest rank). */

export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summary(samples: readonly number[]): { n: number; p50: number; p99: number; max: number } {
  return { n: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: percentile(samples, 1) };
}

/** Measured calls made even when the time budget is spent. */
const MIN_SAMPLES = 20;

/**
 * Runs `call(i)` one at a time, `warmup` times unmeasured, then up to `count` times measured, but
 * not longer than `budgetMs` (a slow query must not stretch a quick run; the sample size is reported).
 */
export async function sequentialLatencies(count: number, warmup: number, call: (i: number) => Promise<void>, budgetMs = Infinity): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await call(i);
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < count && (i < MIN_SAMPLES || performance.now() < deadline); i++) {
    const started = performance.now();
    await call(warmup + i);
    samples.push(performance.now() - started);
  }
  return samples;
}

