import { SqlClient } from '../database/sql-client';
import { EventStore, ReadAllBatch, RecordedEvent } from '../event-store/event-store.port';
import { Projection, rebuildTables } from './projection';
import { ProjectionCheckpoints } from './projection-checkpoints';
import { createIndexes, dropTables, recreateTables, swapInRebuiltTables } from './projection-tables';
import { isTransientError } from './transient-error';

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
    for (const projection of projections) await createIndexes(ctx.sql, projection, rebuildTables);
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

/** Reads batch n+1 while batch n is written. */
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
    let next = this.read(this.checkpoint);
    for (;;) {
      if (this.ctx.aborted()) throw new Error('Projection engine stopped during a rebuild');
      const batch = await next;
      if (batch.events.length === 0) return;
      this.checkpoint = batch.checkpoint;
      next = this.read(batch.checkpoint);
      await this.apply(batch.events);
      this.events += batch.events.length;
      this.position = batch.events[batch.events.length - 1].position;
      this.ctx.onProgress?.({ events: this.events, total: this.total });
    }
  }

  private read(checkpoint: string | null): Promise<ReadAllBatch> {
    const batch = this.ctx.store.readAll(checkpoint, this.ctx.batchSize);
    batch.catch(() => undefined); // awaited later, or abandoned when a write fails first
    return batch;
  }

  private async apply(events: RecordedEvent[]): Promise<void> {
    try {
      await this.ctx.sql.transaction(async (tx) => {
        // Scratch tables: a crash mid-rebuild discards them anyway, so no batch waits for the WAL flush.
        await tx.query('SET LOCAL synchronous_commit TO OFF');
        for (const projection of this.projections) await projection.handle(tx, events, rebuildTables);
      });
    } catch (error) {
      if (isTransientError(error)) throw error;
      await this.findFailingEvent(events);
      throw error;
    }
  }

  /** Replays the batch one event and projection at a time to name the culprit. */
  private async findFailingEvent(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      for (const projection of this.projections) {
        try {
          await this.ctx.sql.transaction((tx) => projection.handle(tx, [event], rebuildTables));
        } catch (error) {
          throw new RebuildFailedError(projection.name, event, error);
        }
      }
    }
  }
}

async function swap(ctx: RebuildContext, projections: Projection[], position: string | null): Promise<void> {
  const names = projections.map(({ name }) => name);
  await ctx.sql.transaction(async (tx) => {
    await ctx.checkpoints.claimAll(tx, names);
    await swapInRebuiltTables(tx, projections);
    await ctx.checkpoints.reset(tx, names, position);
  });
}
