import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, ReadAllBatch, RecordedEvent } from '../../platform/event-store/event-store.port';

/** How long a reader of the whole log waits for events held back behind an older transaction (ms). */
export const HELD_BACK_TIMEOUT_MS = 120_000;
const FIRST_WAIT_MS = 10;
const MAX_WAIT_MS = 500;

/** The end of the log stays held back behind a transaction that does not end: the log cannot be read whole. */
export class HeldBackError extends Error {
  constructor(checkpoint: string | null, waitedMs: number) {
    super(
      `Events after position ${checkpoint ?? '(start)'} stayed held back for ${Math.round(waitedMs / 1000)} s behind an older transaction ` +
        'still running on the PostgreSQL server (pg_stat_activity shows it): end it, then run again (with --resume if the copy had begun)',
    );
    this.name = 'HeldBackError';
  }
}

/**
 * Reads a whole log in batches (readAllForReplay where the store has it), the next batch already on its
 * way while the caller works on the current one. The end of the log is where a read finds nothing and
 * the store holds nothing back: on PostgreSQL a reader sees a transaction's events only once every older
 * transaction of the server has ended, so an empty read is followed up while `hasUnsettledAfter` says
 * events are held back (up to HELD_BACK_TIMEOUT_MS). `shift` takes one event at a time, `rest` what is
 * left of the current batch.
 */
export class LogCursor {
  private pending?: Promise<ReadAllBatch>;
  private buffer: RecordedEvent[] = [];
  private index = 0;

  constructor(
    private readonly store: EventStore,
    private readonly batchSize: number,
    /** Position of the last event handed out (null: none yet). */
    public checkpoint: string | null = null,
    private readonly heldBackTimeoutMs = HELD_BACK_TIMEOUT_MS,
  ) {}

  /** The next batch (empty at the end of the log). */
  async next(): Promise<RecordedEvent[]> {
    let batch = await (this.pending ?? this.read(this.checkpoint));
    this.pending = undefined;
    if (batch.events.length === 0) batch = await this.settle(batch);
    this.checkpoint = batch.checkpoint;
    this.buffer = batch.events;
    this.index = batch.events.length;
    if (batch.events.length > 0) this.pending = this.read(batch.checkpoint);
    return batch.events;
  }

  /** What is left of the current batch, or the next one. */
  async rest(): Promise<RecordedEvent[]> {
    if (this.index < this.buffer.length) {
      const rest = this.buffer.slice(this.index);
      this.index = this.buffer.length;
      return rest;
    }
    return this.next();
  }

  /** The next event, or null at the end of the log. */
  async shift(): Promise<RecordedEvent | null> {
    if (this.index >= this.buffer.length) {
      const batch = await this.next();
      this.index = 0;
      if (batch.length === 0) return null;
    }
    return this.buffer[this.index++];
  }

  /** After an empty read: read again while the store holds events back, until they come or the time is up. */
  private async settle(empty: ReadAllBatch): Promise<ReadAllBatch> {
    if (!this.store.hasUnsettledAfter) return empty;
    const started = performance.now();
    let wait = FIRST_WAIT_MS;
    while (await this.store.hasUnsettledAfter(this.checkpoint)) {
      const waited = performance.now() - started;
      if (waited >= this.heldBackTimeoutMs) throw new HeldBackError(this.checkpoint, waited);
      await sleep(wait);
      wait = Math.min(wait * 2, MAX_WAIT_MS);
      const batch = await this.read(this.checkpoint);
      if (batch.events.length > 0) return batch;
    }
    return empty;
  }

  private read(checkpoint: string | null): Promise<ReadAllBatch> {
    const read = this.store.readAllForReplay ? this.store.readAllForReplay(checkpoint, this.batchSize) : this.store.readAll(checkpoint, this.batchSize);
    // Read ahead: a failure is reported when the batch is taken, never as an unhandled rejection meanwhile.
    read.catch(() => undefined);
    return read;
  }
}

/** Every event of a store's log, in order, read to its settled end (tests, small logs). */
export async function readWholeLog(store: EventStore, batchSize = 5_000): Promise<RecordedEvent[]> {
  const cursor = new LogCursor(store, batchSize);
  const events: RecordedEvent[] = [];
  for (let batch = await cursor.next(); batch.length > 0; batch = await cursor.next()) events.push(...batch);
  return events;
}
