import { LRUCache } from 'lru-cache';

/** Where projection `name` has got to, as this instance last heard (ProjectionEngine.projectedPosition). */
export interface ProjectedPositions {
  projectedPosition(name: string): Promise<string | null>;
}

/** An answer read from read models at an instant, and the first later instant at which those rows may answer otherwise (null: never). */
export interface SpanAnswer<V> {
  value: V;
  until: Date | null;
}

interface Entry<V> {
  /** The projections' positions before it was read. */
  positions: string;
  /** The instant the answer was read at (ms). */
  from: number;
  answer: Promise<SpanAnswer<V>>;
}

/**
 * Answers of queries at an effective instant (most often "now", a new instant on every call), one per
 * key, reused while nothing can change them: each is kept with the positions the projections it reads
 * had reached before its rows were read (so it is never older than them, and a newly projected event
 * makes it stale, as for the rack elevations), and an answer read at `from` holds for any instant in
 * [from, until) since no row it was read from starts or ends in between. Concurrent askers of the same
 * key share one read. Effective instants have millisecond precision.
 */
export class AsOfAnswers<V> {
  private readonly cache: LRUCache<string, Entry<V>>;

  constructor(
    private readonly positions: ProjectedPositions,
    private readonly projections: readonly string[],
    max = 32,
  ) {
    this.cache = new LRUCache({ max });
  }

  async get(key: string, asOf: string, read: () => Promise<SpanAnswer<V>>): Promise<V> {
    const positions = JSON.stringify(await Promise.all(this.projections.map((name) => this.positions.projectedPosition(name))));
    const at = Date.parse(asOf);
    const entry = this.cache.get(key);
    if (entry?.positions === positions && entry.from <= at) {
      const { value, until } = await entry.answer;
      if (until === null || at < until.getTime()) return value;
    }
    const answer = read();
    // One entry per key: an answer of older positions is replaced, not left to age out.
    this.cache.set(key, { positions, from: at, answer });
    // A failed read is not kept: the next asker reads again.
    answer.catch(() => this.cache.get(key)?.answer === answer && this.cache.delete(key));
    return (await answer).value;
  }
}
