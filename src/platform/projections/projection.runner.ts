import { SpanKind } from '@opentelemetry/api';
import { SqlClient, SqlQueryable } from '../database/sql-client.port';
import { AppendObserver, assertDecodable, EventStore, RecordedEvent, Subscription } from '../event-store/event-store.port';
import { eventsFor, liveTables, Projection, upcastAll } from './projection.port';
import { CheckpointMovedError, ProjectionCheckpoints } from './projection-checkpoints.sql';
import { inSpan, linksTo, SPAN_ATTRIBUTES, tracingStarted } from '../observability/tracing.util';
import { errorMessage, isTransientError } from './transient-error.util';

/** Span links of one batch span, at most (the SDK's default link limit). */
const MAX_BATCH_LINKS = 128;

/** The subset of pino's logger the engine uses. */
export interface ProjectionLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface RunnerContext {
  sql: SqlClient;
  store: EventStore;
  checkpoints: ProjectionCheckpoints;
  batchSize: number;
  retryDelayMs: number;
  logger: ProjectionLogger;
  /** Called after each committed batch. */
  onBatch?: (batch: BatchInfo) => void;
  /**
   * Apply this process's appends in their own transactions (EventStore.observeAppends): the embedded
   * default, where the subscription's separate transaction, log read and wake-up would cost the
   * service's own CPU once more per batch.
   */
  inAppendTransactions?: boolean;
}

export interface BatchInfo {
  /** The projections whose checkpoints moved to `position`. */
  projections: string[];
  events: number;
  position: string;
  durationMs: number;
}

/**
 * Runs the projections live in the leader, together: one subscription from the oldest checkpoint,
 * and each batch applied to every running projection in one transaction with their checkpoint
 * moves, so a batch costs one read of the log, one commit and one notification, however many
 * projections there are. Each projection only sees the events after its own checkpoint (they differ
 * after a rebuild of some). When a batch throws, each projection is applied on its own, and one
 * that throws is replayed event by event to commit its good prefix and stop on the exact event that
 * fails; the others go on.
 *
 * With `inAppendTransactions` (PGlite), a caught-up runner applies each append's events in the append's
 * own transaction instead; when that fails (a projection throws), the store writes the append alone and
 * the subscription hands its events over as above, so a failing projection stops on its event the same
 * way, and neither loses nor half-applies one.
 */
export class ProjectionRunner {
  private running = false;
  /** Bumped whenever the current subscription's later batches must be ignored. */
  private generation = 0;
  private subscription?: Subscription;
  /** Checkpoint of each RUNNING projection, as this runner last read or wrote it. */
  private positions = new Map<string, string | null>();
  private busy: Promise<void> = Promise.resolve();
  /** Subscribe/stop steps run one after the other. */
  private control: Promise<void> = Promise.resolve();
  private retryTimer?: NodeJS.Timeout;
  private unobserve?: () => void;
  /** The subscription of this generation has read the log to its end once. */
  private caughtUp = false;
  private readonly observer: AppendObserver = { inTransaction: (tx, readAfter) => this.applyInAppend(tx, readAfter) };

  constructor(
    private readonly ctx: RunnerContext,
    private readonly projections: readonly Projection[],
  ) {}

  start(): Promise<void> {
    this.running = true;
    if (this.ctx.inAppendTransactions) this.unobserve ??= this.ctx.store.observeAppends?.(this.observer);
    return this.resubscribe();
  }

  /** Resubscribes from the stored checkpoints: after a rebuild swap, or when another writer moved one. */
  restart(): Promise<void> {
    return this.running ? this.resubscribe() : Promise.resolve();
  }

  stop(): Promise<void> {
    this.running = false;
    this.unobserve?.();
    this.unobserve = undefined;
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
    this.ctx.logger.warn({ err: error }, 'projections paused, resubscribing');
    void this.enqueue(() => this.unsubscribe());
    this.retryTimer = setTimeout(() => void this.resubscribe(), this.ctx.retryDelayMs);
  }

  private async subscribe(): Promise<void> {
    await this.unsubscribe();
    if (!this.running) return;
    const generation = ++this.generation;
    const stored = new Map((await this.ctx.checkpoints.all(this.ctx.sql)).map((checkpoint) => [checkpoint.name, checkpoint]));
    if (generation !== this.generation) return;
    this.positions = new Map();
    for (const { name } of this.projections) {
      const checkpoint = stored.get(name);
      if (checkpoint?.status === 'RUNNING') this.positions.set(name, checkpoint.position);
    }
    this.caughtUp = false;
    if (this.positions.size === 0) return;
    this.subscription = this.ctx.store.subscribe(
      oldest(this.positions.values()),
      {
        onEvents: (events) => this.track(generation, events),
        onCaughtUp: () => {
          if (generation === this.generation) this.caughtUp = true;
        },
        onError: (error) => this.retryLater(generation, error),
      },
      { batchSize: this.ctx.batchSize },
    );
  }

  private async unsubscribe(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop().catch((error) => this.ctx.logger.warn({ err: error }, 'unsubscribing failed'));
    await this.busy;
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.control.then(step);
    this.control = next.catch(() => undefined);
    return next;
  }

  private track(generation: number, events: RecordedEvent[]): Promise<void> {
    const work = this.process(generation, upcastAll(events));
    this.busy = work;
    return work;
  }

  /** Never throws: the subscription only ever sees batches it may go past. */
  private async process(generation: number, events: RecordedEvent[]): Promise<void> {
    if (generation !== this.generation || events.length === 0) return;
    try {
      try {
        await this.apply(this.runningProjections(), events);
      } catch (error) {
        if (error instanceof CheckpointMovedError || isTransientError(error)) throw error;
        // Find the projection that throws: each on its own, the good ones commit.
        for (const projection of this.runningProjections()) {
          if (generation !== this.generation) return;
          await this.applyOrIsolate(generation, projection, events);
        }
      }
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof CheckpointMovedError) void this.resubscribe();
      else this.retryLater(generation, error);
    }
  }

  private runningProjections(): Projection[] {
    return this.projections.filter(({ name }) => this.positions.has(name));
  }

  private async applyOrIsolate(generation: number, projection: Projection, events: RecordedEvent[]): Promise<void> {
    try {
      await this.apply([projection], events);
    } catch (error) {
      if (error instanceof CheckpointMovedError || isTransientError(error)) throw error;
      const pending = this.pendingFor(projection, events);
      if (pending.length === 1) return this.fail(generation, projection.name, pending[0], error);
      for (const event of pending) {
        if (generation !== this.generation || !this.positions.has(projection.name)) return;
        await this.applyOrIsolate(generation, projection, [event]);
      }
    }
  }

  /** Applies `events` to `projections` and moves their checkpoints to the last one, in one transaction. */
  private async apply(projections: Projection[], events: RecordedEvent[]): Promise<void> {
    const started = performance.now();
    const batch = await this.ctx.sql.transaction((tx) => this.applyIn(tx, projections, events, false));
    if (batch) this.committed(batch, started);
  }

  /**
   * An append's transaction (AppendObserver): the log after the oldest running checkpoint, which ends with
   * the append's events, applied like a batch of the subscription. Left to the subscription while it
   * catches up, or when the log holds a batch or more after the checkpoint.
   */
  private async applyInAppend(
    tx: SqlQueryable,
    readAfter: (checkpoint: string | null, maxCount: number) => Promise<RecordedEvent[]>,
  ): Promise<(() => void) | null> {
    const { generation, subscription } = this;
    if (!this.running || !this.caughtUp || !subscription || this.positions.size === 0) return null;
    const started = performance.now();
    const events = upcastAll(await readAfter(oldest(this.positions.values()), this.ctx.batchSize));
    if (events.length === 0 || events.length === this.ctx.batchSize) return null;
    const batch = await this.applyIn(tx, this.runningProjections(), events, true);
    if (!batch) return null;
    // Once committed (positions move only then: a transaction that fails changed nothing here).
    return () => {
      if (generation !== this.generation) return; // resubscribed meanwhile: the stored checkpoints are read again
      subscription.skipTo?.(batch.position);
      this.committed(batch, started);
    };
  }

  /**
   * Applies `events` to those of `projections` not past them and moves their checkpoints to the last one,
   * in `tx`; null when none was behind. Traced as a `projection batch` span of its own trace, linked to
   * the spans of the commands whose events it applies (their `traceparent` metadata): one batch serves
   * many commands. Positions are read here, in the transaction, and set by `committed` after it.
   * `durable`: the transaction holds an append, whose commit must stay synchronous.
   */
  private async applyIn(tx: SqlQueryable, projections: Projection[], events: RecordedEvent[], durable: boolean): Promise<Omit<BatchInfo, 'durationMs'> | null> {
    const position = events[events.length - 1].position;
    // A projection already past the batch (rebuilt on its own, or applied in an append's transaction) is left where it is.
    const before = (name: string) => {
      const at = this.positions.get(name) ?? null;
      return at === null || at < position;
    };
    const names = projections.map(({ name }) => name).filter(before);
    if (names.length === 0) return null;
    const { links, total } = tracingStarted() ? linksTo(events.map(({ metadata }) => metadata.traceparent), MAX_BATCH_LINKS) : { links: [], total: 0 };
    const attributes = {
      [SPAN_ATTRIBUTES.eventCount]: events.length,
      [SPAN_ATTRIBUTES.projections]: names,
      [SPAN_ATTRIBUTES.position]: position,
      [SPAN_ATTRIBUTES.linkedCommands]: total,
    };
    await inSpan('projection batch', { root: true, kind: SpanKind.CONSUMER, links, attributes }, async () => {
      await this.ctx.checkpoints.claimAndAdvance(tx, new Map(names.map((name) => [name, this.positions.get(name) ?? null])), position, { durable });
      for (const projection of projections.filter(({ name }) => names.includes(name))) {
        const pending = this.pendingFor(projection, events);
        if (pending.length === 0) continue;
        // An undecodable event fails the projections that handle its type, whether or not they read it.
        assertDecodable(pending);
        await projection.handle(tx, pending, liveTables);
      }
    });
    return { projections: names, events: events.length, position };
  }

  private committed(batch: Omit<BatchInfo, 'durationMs'>, started: number): void {
    for (const name of batch.projections) this.positions.set(name, batch.position);
    this.ctx.onBatch?.({ ...batch, durationMs: performance.now() - started });
  }

  /** The events of the batch after the projection's checkpoint, of the types it handles. */
  private pendingFor(projection: Projection, events: RecordedEvent[]): RecordedEvent[] {
    const position = this.positions.get(projection.name) ?? null;
    return eventsFor(projection, position === null ? events : events.filter((event) => event.position > position));
  }

  /** Records the failure and stops the projection; only a rebuild sets it going again. */
  private async fail(generation: number, name: string, event: RecordedEvent, error: unknown): Promise<void> {
    const position = this.positions.get(name) ?? null;
    await this.ctx.sql.transaction(async (tx) => {
      await this.ctx.checkpoints.claim(tx, new Map([[name, position]]));
      await this.ctx.checkpoints.fail(tx, name, position, errorMessage(error), event);
    });
    this.ctx.logger.error(
      { projection: name, err: error, eventId: event.eventId, type: event.type, streamId: event.streamId, position: event.position },
      'projection failed on an event and stopped',
    );
    this.positions.delete(name);
    if (this.positions.size === 0 && generation === this.generation) {
      this.generation++;
      void this.enqueue(() => this.unsubscribe());
    }
  }
}

/** The earliest of checkpoints (null: before the first event); positions of one store compare as strings. */
function oldest(positions: Iterable<string | null>): string | null {
  let first: string | undefined;
  for (const position of positions) {
    if (position === null) return null;
    if (first === undefined || position < first) first = position;
  }
  return first ?? null;
}
