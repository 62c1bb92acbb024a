/**
 * Serialises work per stream inside one process, so concurrent commands on one PoP neither race
 * on its cached state nor waste appends on conflicts they would certainly have. Across processes
 * the event store's expected revision still decides.
 */
export class StreamLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.runAll([key], work);
  }

  /** `work` once no earlier work on any of `keys` is running; later work on any of them waits for it. */
  runAll<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const previous = unique.map((key) => this.tails.get(key));
    const result = Promise.all(previous).then(work);
    const tail = result.catch(() => undefined);
    for (const key of unique) this.tails.set(key, tail);
    void tail.then(() => {
      for (const key of unique) if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
