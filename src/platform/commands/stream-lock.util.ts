/**
 * Serialises work per stream inside one process, so concurrent commands on one PoP neither race
 * on its cached state nor waste appends on conflicts they would certainly have. Across processes
 * the event store's expected revision still decides.
 */
export class StreamLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
