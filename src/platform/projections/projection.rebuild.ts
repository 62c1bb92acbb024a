import { SqlClient } from '../database/sql-client.port';
import { assertDecodable, EventStore, ReadAllBatch, RecordedEvent } from '../event-store/event-store.port';
import { eventsFor, Projection, rebuildTables, upcastAll } from './projection.port';
import { ProjectionCheckpoints } from './projection-checkpoints.sql';
import { analyzeTables, createIndexes, dropTables, recreateTables, swapInRebuiltTables } from './projection-tables.sql';
import { isTransientError } from './transient-error.util';

export interface RebuildProgress {
  events: number;
  /** Events in the log when the rebuild began (the tail that arrives meanwhile comes on top). */
  total: number;
}

export interface RebuildResult {
  projections: string[];
  events: number;
  /** The checkpoint the rebuilt projections go live from. */
  position: string | null;
  durationMs: number;
}

/** A rebuild stopped on an event a projection cannot apply; the live tables were left alone. */
export class RebuildFailedError extends Error {
  constructor(
    readonly projection: string,
    readonly event: RecordedEvent,
    readonly reason: unknown,
  ) {
    super(
      `Rebuild of projection ${projection} failed on event ${event.type} ${event.streamId}@${event.revision} ` +
        `(position ${event.position}): ${reason instanceof Error ? reason.message : String(reason)}`,
    );
    this.name = 'RebuildFailedError';
  }
}

export interface RebuildContext {
  sql: SqlClient;
  store: EventStore;
  checkpoints: ProjectionCheckpoints;
  batchSize: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Checked between batches: the engine is stopping. */
  aborted(): boolean;
}

/**
 * Replays the whole log into fresh `__rebuild` tables while the live tables keep answering, then swaps
 * them in and moves the checkpoints in one transaction. The live runners need no pause: the swap locks
 * their checkpoint rows, so their next batch finds the checkpoint moved and resubscribes from it.
 */
export async function rebuildProjections(ctx: RebuildContext, projections: Projection[]): Promise<RebuildResult> {
  const started = performance.now();
  await recreateTables(ctx.sql, projections, rebuildTables, { indexes: false });
  try {
    const replay = new Replay(ctx, projections, await ctx.store.countAfter(null));
    await replay.toHead();
    // Statistics before the tables go live: else the planner guesses at a million fresh rows until autovacuum comes by.
    // Each projection's indexes on its own connection, then each of its tables sampled on its own: a server
    // builds and samples several tables at once. All settle before a failure drops the tables.
    const indexed = await Promise.allSettled(
      projections.map(async (projection) => {
        await createIndexes(ctx.sql, projection, rebuildTables);
        await analyzeTables(ctx.sql, [projection], rebuildTables);
      }),
    );
    for (const outcome of indexed) if (outcome.status === 'rejected') throw outcome.reason;
    await replay.toHead(); // the tail appended while the indexes were built
    await swap(ctx, projections, replay.position);
    return {
      projections: projections.map(({ name }) => name),
      events: replay.events,
      position: replay.position,
      durationMs: performance.now() - started,
    };
  } catch (error) {
    await dropTables(ctx.sql, projections, rebuildTables).catch(() => undefined);
    throw error;
  }
}

/**
 * Batches read ahead of the slowest projection (memory: a few batches of events). Two keep the log's read
 * overlapped with the projections' writes, and a batch's events then die within the rebuild CLI's young
 * generation (rebuild.cli.ts) instead of being copied out of it (operations.md, "The rebuild, an eleventh look").
 */
const READ_AHEAD = 2;
/**
 * Transaction chains of a projection whose streams are independent, on a server: while one chain's
 * statements run, the others' JavaScript does, so both the service's and the server's cores work.
 * Two keep both sides busy; each more splits every batch into more, smaller statements (three cost more CPU
 * per event on both sides: operations.md, "The rebuild, a ninth look"). (PGlite runs one statement at a
 * time: more chains would only mean more statements.)
 */
const STREAM_PARTITIONS = 2;

/**
 * Each projection applies the batches in log order in its own chain of transactions, concurrently
 * with the others: the scratch tables need no atomicity across projections (a failed rebuild drops
 * them all), and one projection's SQL then runs while the others' JavaScript does. The log is read
 * ahead of the slowest.
 */
class Replay {
  events = 0;
  position: string | null = null;
  private checkpoint: string | null = null;

  constructor(
    private readonly ctx: RebuildContext,
    private readonly projections: Projection[],
    private readonly total: number,
  ) {}

  async toHead(): Promise<void> {
    const partitions = this.ctx.sql.kind === 'postgres' ? STREAM_PARTITIONS : 1;
    const lanes = this.projections.flatMap((projection) =>
      projection.streamsIndependent && partitions > 1
        ? Array.from({ length: partitions }, (_, partition) => new Lane(this.ctx.sql, projection, partition))
        : [new Lane(this.ctx.sql, projection)],
    );
    const failed = () => lanes.some((lane) => lane.failure);
    const applied: Promise<unknown>[] = [];
    try {
      for (let index = 0; !failed(); index++) {
        if (this.ctx.aborted()) throw new Error('Projection engine stopped during a rebuild');
        const { events, checkpoint } = await this.read(this.checkpoint);
        if (events.length === 0) break;
        this.checkpoint = checkpoint;
        const batch = new Batch(index, upcastAll(events), partitions);
        applied.push(
          Promise.all(lanes.map((lane) => lane.apply(batch))).then(() => {
            if (!failed()) this.done(events);
          }),
        );
        if (applied.length >= READ_AHEAD) await applied.shift();
      }
    } catch (error) {
      lanes.forEach((lane) => lane.stop());
      await Promise.allSettled(applied);
      throw error;
    }
    if (failed()) lanes.forEach((lane) => lane.stop());
    await Promise.all(applied);
    throwFirstFailure(lanes);
  }

  private read(checkpoint: string | null): Promise<ReadAllBatch> {
    const { store, batchSize } = this.ctx;
    return store.readAllForReplay ? store.readAllForReplay(checkpoint, batchSize) : store.readAll(checkpoint, batchSize);
  }

  /** Batches complete in log order: every lane applies them in that order. */
  private done(events: RecordedEvent[]): void {
    this.events += events.length;
    this.position = events[events.length - 1].position;
    this.ctx.onProgress?.({ events: this.events, total: this.total });
  }
}

class Batch {
  private split?: RecordedEvent[][];

  constructor(
    readonly index: number,
    readonly events: RecordedEvent[],
    private readonly partitions: number,
  ) {}

  /** The events of one partition of the streams, in log order (split once per batch). */
  partition(partition: number): RecordedEvent[] {
    if (!this.split) {
      this.split = Array.from({ length: this.partitions }, () => []);
      for (const event of this.events) this.split[partitionOf(event.streamId, this.partitions)].push(event);
    }
    return this.split[partition];
  }
}

/** FNV-1a of the stream id: a stable spread of streams over the partitions. */
function partitionOf(streamId: string, of: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < streamId.length; i++) hash = Math.imul(hash ^ streamId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % of;
}

/**
 * A chain of batch transactions of one projection (or of one partition of its streams). After a
 * failure (or stop) it skips the batches still queued.
 */
class Lane {
  failure?: { batch: number; error: unknown };
  private stopped = false;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlClient,
    readonly projection: Projection,
    /** Only the streams of this partition (a projection whose streams are independent). */
    private readonly partition?: number,
  ) {}

  apply(batch: Batch): Promise<void> {
    this.tail = this.tail.then(async () => {
      if (this.stopped || this.failure) return;
      const events = eventsFor(this.projection, this.partition === undefined ? batch.events : batch.partition(this.partition));
      if (events.length === 0) return;
      try {
        await this.write(events);
      } catch (error) {
        this.failure = { batch: batch.index, error: isTransientError(error) ? error : await this.failingEvent(events, error) };
      }
    });
    return this.tail;
  }

  stop(): void {
    this.stopped = true;
  }

  private async write(events: RecordedEvent[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      // Scratch tables: a crash mid-rebuild discards them anyway, so no batch waits for the WAL flush.
      await tx.query('SET LOCAL synchronous_commit TO OFF');
      assertDecodable(events);
      await this.projection.handle(tx, events, rebuildTables);
    });
  }

  /** Replays the batch one event at a time to name the culprit. */
  private async failingEvent(events: RecordedEvent[], batchError: unknown): Promise<unknown> {
    for (const event of events) {
      try {
        await this.sql.transaction((tx) => {
          assertDecodable([event]);
          return this.projection.handle(tx, [event], rebuildTables);
        });
      } catch (error) {
        return new RebuildFailedError(this.projection.name, event, error);
      }
    }
    return batchError;
  }
}

/** The failure of the earliest batch (of the first projection among those that failed on it). */
function throwFirstFailure(lanes: Lane[]): void {
  const failures = lanes.flatMap(({ failure }) => (failure ? [failure] : []));
  if (failures.length === 0) return;
  throw failures.reduce((first, failure) => (failure.batch < first.batch ? failure : first)).error;
}

async function swap(ctx: RebuildContext, projections: Projection[], position: string | null): Promise<void> {
  const names = projections.map(({ name }) => name);
  await ctx.sql.transaction(async (tx) => {
    await ctx.checkpoints.claimAll(tx, names);
    await swapInRebuiltTables(tx, projections);
    await ctx.checkpoints.reset(tx, names, position);
  });
}
