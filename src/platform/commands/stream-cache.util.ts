/**
 * The executor's cached streams, least recently used first, bounded by their approximate size rather
 * than their number: a stream weighs its events (its state holds about one timeline point and one record
 * per event) plus a fixed overhead, so a few long streams cannot hold as much memory as thousands of
 * short ones would be allowed to.
 */
export class StreamCache<V extends { revision: number }> {
  private readonly entries = new Map<string, { value: V; weight: number }>();
  private total = 0;

  /** `budget`: the sum of the weights kept. */
  constructor(private readonly budget: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Removes the entry (only if it still holds `value`, when given). */
  delete(key: string, value?: V): void {
    const entry = this.entries.get(key);
    if (!entry || (value !== undefined && entry.value !== value)) return;
    this.entries.delete(key);
    this.total -= entry.weight;
  }

  /** Stores `value` as the most recent entry, weighed now (call again after it grew), and evicts the least recent ones over budget. */
  set(key: string, value: V): void {
    this.delete(key);
    const weight = weightOf(value);
    this.entries.set(key, { value, weight });
    this.total += weight;
    for (const [oldest] of this.entries) {
      if (this.total <= this.budget || oldest === key) break;
      this.delete(oldest);
    }
  }

  /** The sum of the weights kept. */
  get weight(): number {
    return this.total;
  }
}

/** A stream with no events still costs a map entry, a state and its indexes: as much as a few events. */
const STREAM_OVERHEAD = 16;

function weightOf(value: { revision: number }): number {
  return value.revision + 1 + STREAM_OVERHEAD;
}
