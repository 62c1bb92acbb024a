/**
 * Group commit: while `concurrency` sends are in flight, new items queue up and go together in the
 * next one (at most `maxBatch`), so a burst of appends costs a few statements and commits instead of
 * one each. A batch the database refused as a whole (`refusedWhole`: the statement failed, nothing
 * was written) is retried item by item, so one bad item never fails the others; any other error
 * (a lost connection: the outcome is unknown) fails the whole batch, as it would a single append.
 *
 * Items of one key (a stream) are written in submission order: a key with a send in flight waits
 * for it, because concurrent sends may commit in any order.
 */
interface Pending<I, O> {
  item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

export class AppendQueue<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private readonly keysInFlight = new Set<string>();
  private inFlight = 0;
  private gathering = false;

  constructor(
    private readonly sendOne: (item: I) => Promise<O>,
    private readonly sendMany: (items: I[]) => Promise<O[]>,
    private readonly options: {
      concurrency: number;
      maxBatch: number;
      keyOf(item: I): string;
      refusedWhole(error: unknown): boolean;
      /** Wait for the requests already read from the network to submit theirs before sending. */
      gather?: boolean;
    },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.options.gather) this.drain();
      else if (!this.gathering) {
        this.gathering = true;
        setImmediate(() => {
          this.gathering = false;
          this.drain();
        });
      }
    });
  }

  private drain(): void {
    while (this.inFlight < this.options.concurrency && this.queue.length > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      const keys = new Set(batch.map(({ item }) => this.options.keyOf(item)));
      for (const key of keys) this.keysInFlight.add(key);
      this.inFlight++;
      void this.send(batch).finally(() => {
        for (const key of keys) this.keysInFlight.delete(key);
        this.inFlight--;
        this.drain();
      });
    }
  }

  /** The oldest items, up to `maxBatch`, whose key has no send in flight; the rest keep their order. */
  private takeBatch(): Array<Pending<I, O>> {
    if (this.keysInFlight.size === 0 && this.queue.length <= this.options.maxBatch) {
      const batch = this.queue;
      this.queue = [];
      return batch;
    }
    const batch: Array<Pending<I, O>> = [];
    const waiting: Array<Pending<I, O>> = [];
    for (const pending of this.queue) {
      if (batch.length < this.options.maxBatch && !this.keysInFlight.has(this.options.keyOf(pending.item))) batch.push(pending);
      else waiting.push(pending);
    }
    this.queue = waiting;
    return batch;
  }

  private async send(batch: Array<Pending<I, O>>): Promise<void> {
    if (batch.length > 1) {
      try {
        const outputs = await this.sendMany(batch.map(({ item }) => item));
        batch.forEach(({ resolve }, index) => resolve(outputs[index]));
        return;
      } catch (error) {
        if (!this.options.refusedWhole(error)) {
          for (const { reject } of batch) reject(error);
          return;
        }
      }
    }
    await Promise.all([...this.byKey(batch).values()].map(async (chain) => {
      for (const { item, resolve, reject } of chain) await this.sendOne(item).then(resolve, reject);
    }));
  }

  private byKey(batch: Array<Pending<I, O>>): Map<string, Array<Pending<I, O>>> {
    const chains = new Map<string, Array<Pending<I, O>>>();
    for (const pending of batch) {
      const key = this.options.keyOf(pending.item);
      const chain = chains.get(key);
      if (chain) chain.push(pending);
      else chains.set(key, [pending]);
    }
    return chains;
  }
}
