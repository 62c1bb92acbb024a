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
  /** The instant the answer was read at (ms). */
  from: number;
  answer: Promise<SpanAnswer<V>>;
}

/**
 * Answers of whole-network queries at an effective instant (most often "now", a new instant on every
 * call), reused while nothing can change them: the key holds the positions the projections read had
 * reached before the rows were read (so an answer is never older than its key, and a newly projected
 * event moves the key on, as for the rack elevations), and an answer read at `from` holds for any
 * instant in [from, until) since no row of those read models starts or ends in between. Concurrent
 * askers of the same key share one read. Effective instants have millisecond precision.
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
    const positions = await Promise.all(this.projections.map((name) => this.positions.projectedPosition(name)));
    const id = JSON.stringify([key, positions]);
    const at = Date.parse(asOf);
    const entry = this.cache.get(id);
    if (entry && entry.from <= at) {
      const { value, until } = await entry.answer;
      if (until === null || at < until.getTime()) return value;
    }
    const answer = read();
    this.cache.set(id, { from: at, answer });
    // A failed read is not kept: the next asker reads again.
    answer.catch(() => this.cache.get(id)?.answer === answer && this.cache.delete(id));
    return (await answer).value;
  }
}
