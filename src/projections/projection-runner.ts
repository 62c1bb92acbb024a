import { SqlClient } from '../database/sql-client';
import { EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { liveTables, Projection } from './projection';
import { CheckpointMovedError, ProjectionCheckpoints } from './projection-checkpoints';
import { errorMessage, isTransientError } from './transient-error';

/** The subset of pino's logger the engine uses. */
export interface ProjectionLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface BatchInfo {
  projection: string;
  events: number;
  position: string;
  durationMs: number;
}

export interface RunnerContext {
  sql: SqlClient;
  store: EventStore;
  checkpoints: ProjectionCheckpoints;
  batchSize: number;
  retryDelayMs: number;
  logger: ProjectionLogger;
  onBatch?: (batch: BatchInfo) => void;
}

/**
 * Runs one projection live in the leader: subscribes from its stored checkpoint and applies each
 * batch in one transaction together with the checkpoint move. A batch that throws is replayed one
 * event per transaction to commit the good prefix and stop on the exact event that fails.
 */
export class ProjectionRunner {
  private running = false;
  /** Bumped whenever the current subscription's later batches must be ignored. */
  private generation = 0;
  private subscription?: Subscription;
  private position: string | null = null;
  private busy: Promise<void> = Promise.resolve();
  /** Subscribe/stop steps run one after the other. */
  private control: Promise<void> = Promise.resolve();
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: RunnerContext,
    readonly projection: Projection,
  ) {}

  start(): Promise<void> {
    this.running = true;
    return this.resubscribe();
  }

  /** Resubscribes from the stored checkpoint: after a rebuild swap, or when another writer moved it. */
  restart(): Promise<void> {
    return this.running ? this.resubscribe() : Promise.resolve();
  }

  stop(): Promise<void> {
    this.running = false;
    this.generation++;
    clearTimeout(this.retryTimer);
    return this.enqueue(() => this.unsubscribe());
  }

  private resubscribe(): Promise<void> {
    this.generation++;
    clearTimeout(this.retryTimer);
    return this.enqueue(() => this.subscribe()).catch((error) => this.retryLater(this.generation, error));
  }

  private retryLater(generation: number, error: unknown): void {
    if (generation !== this.generation || !this.running) return;
    this.generation++;
    this.ctx.logger.warn({ projection: this.projection.name, err: error }, 'projection paused, resubscribing');
    void this.enqueue(() => this.unsubscribe());
    this.retryTimer = setTimeout(() => void this.resubscribe(), this.ctx.retryDelayMs);
  }

  private async subscribe(): Promise<void> {
    await this.unsubscribe();
    if (!this.running) return;
    const generation = ++this.generation;
    const checkpoint = await this.ctx.checkpoints.get(this.ctx.sql, this.projection.name);
    if (generation !== this.generation || checkpoint?.status !== 'RUNNING') return;
    this.position = checkpoint.position;
    this.subscription = this.ctx.store.subscribe(
      checkpoint.position,
      {
        onEvents: (events) => this.track(generation, events),
        onError: (error) => this.retryLater(generation, error),
      },
      { batchSize: this.ctx.batchSize },
    );
  }

  private async unsubscribe(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop().catch((error) => this.ctx.logger.warn({ projection: this.projection.name, err: error }, 'unsubscribing failed'));
    await this.busy;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.control.then(step);
    this.control = next.catch(() => undefined);
    return next;
  }

  private track(generation: number, events: RecordedEvent[]): Promise<void> {
    const work = this.process(generation, events);
    this.busy = work;
    return work;
  }

  /** Never throws: the subscription only ever sees batches it may go past. */
  private async process(generation: number, events: RecordedEvent[]): Promise<void> {
    if (generation !== this.generation || events.length === 0) return;
    try {
      await this.applyOrIsolate(generation, events);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof CheckpointMovedError) void this.resubscribe();
      else this.retryLater(generation, error);
    }
  }

  private async applyOrIsolate(generation: number, events: RecordedEvent[]): Promise<void> {
    try {
      await this.apply(events);
    } catch (error) {
      if (error instanceof CheckpointMovedError || isTransientError(error)) throw error;
      if (events.length === 1) return this.fail(generation, events[0], error);
      for (const event of events) {
        if (generation !== this.generation) return;
        await this.applyOrIsolate(generation, [event]);
      }
    }
  }

  private async apply(events: RecordedEvent[]): Promise<void> {
    const started = performance.now();
    const { name } = this.projection;
    const position = events[events.length - 1].position;
    await this.ctx.sql.transaction(async (tx) => {
      // No wait for the WAL flush: the checkpoint commits with the writes, so a crash that loses this
      // transaction loses its checkpoint too and the batch is replayed.
      await tx.query('SET LOCAL synchronous_commit TO OFF');
      await this.ctx.checkpoints.claim(tx, name, this.position);
      await this.projection.handle(tx, events, liveTables);
      await this.ctx.checkpoints.advance(tx, name, position);
    });
    this.position = position;
    this.ctx.onBatch?.({ projection: name, events: events.length, position, durationMs: performance.now() - started });
  }

  /** Records the failure and stops; only a rebuild sets the projection going again. */
  private async fail(generation: number, event: RecordedEvent, error: unknown): Promise<void> {
    const { name } = this.projection;
    await this.ctx.sql.transaction(async (tx) => {
      await this.ctx.checkpoints.claim(tx, name, this.position);
      await this.ctx.checkpoints.fail(tx, name, this.position, errorMessage(error), event);
    });
    this.ctx.logger.error(
      { projection: name, err: error, eventId: event.eventId, type: event.type, streamId: event.streamId, position: event.position },
      'projection failed on an event and stopped',
    );
    if (generation === this.generation) {
      this.generation++;
      void this.enqueue(() => this.unsubscribe());
    }
  }
}
