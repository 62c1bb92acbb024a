import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  StreamNotFoundError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllBatch,
  type RecordedEvent,
  type Subscription,
  type SubscriptionHandler,
} from './event-store.port';

/** countAfter stops counting here: it reads the log to count, and it only serves lag metrics. */
export const ESDB_COUNT_CAP = 100_000;
const PAGE = 1_000;
const POSITION = /^(\d{20}):(\d{20})$/;

/**
 * Event store on EventStoreDB/KurrentDB (22.6 or later: stream reads must carry positions).
 * Positions are `<commit, 20 digits>:<prepare, 20 digits>`; system events ($-prefixed types or
 * streams) never appear in the global log of this port.
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb' as const;
  private readonly client: EventStoreDBClient;

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    let nextExpectedRevision: bigint;
    try {
      ({ nextExpectedRevision } = await this.client.appendToStream(
        streamId,
        events.map(({ eventId, type, data, metadata }) => jsonEvent({ id: eventId, type, data, metadata })),
        { expectedRevision: toEsdbExpectedRevision(expectedRevision) },
      ));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual === NO_STREAM ? 'no_stream' : Number(actual));
      }
      throw error;
    }
    // The append result's position is the write's, not necessarily its last event's: read that event back.
    const [last] = await this.readStreamRaw(streamId, { fromRevision: nextExpectedRevision, maxCount: 1, direction: BACKWARDS });
    return { revision: Number(nextExpectedRevision), position: toRecordedEvent(last).position };
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const events = await this.readStreamRaw(streamId, {
      fromRevision: BigInt(options.fromRevision ?? 0),
      maxCount: options.maxCount,
      direction: FORWARDS,
    });
    return events.map(toRecordedEvent);
  }

  async streamRevision(streamId: string): Promise<number | null> {
    try {
      const [last] = await this.readStreamRaw(streamId, { fromRevision: END, maxCount: 1, direction: BACKWARDS });
      return last?.event ? Number(last.event.revision) : null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  async readAll(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch> {
    const events: RecordedEvent[] = [];
    let from = checkpoint;
    // $all holds system events too: read pages until enough user events or the end.
    while (events.length < maxCount) {
      const page = await this.readAllPage(from, Math.min(PAGE, maxCount - events.length));
      for (const resolved of page.events) {
        if (events.length < maxCount && isUserEvent(resolved)) events.push(toRecordedEvent(resolved));
      }
      if (page.events.length === 0 || page.last === null) break;
      from = page.last;
    }
    return { events, checkpoint: events.length > 0 ? events[events.length - 1].position : checkpoint };
  }

  async headPosition(): Promise<string | null> {
    let from: Position | typeof END = END;
    for (;;) {
      const page: AllStreamResolvedEvent[] = await collect(this.client.readAll({ fromPosition: from, maxCount: PAGE, direction: BACKWARDS }));
      const last = page.find(isUserEvent);
      if (last) return toRecordedEvent(last).position;
      const oldest = page[page.length - 1]?.event;
      if (page.length < PAGE || !oldest) return null;
      from = oldest.position;
    }
  }

  /** Counts by reading the log, up to ESDB_COUNT_CAP. */
  async countAfter(checkpoint: string | null): Promise<number> {
    let count = 0;
    let from = checkpoint;
    while (count < ESDB_COUNT_CAP) {
      const page = await this.readAllPage(from, PAGE);
      count += page.events.filter(isUserEvent).length;
      if (page.events.length === 0 || page.last === null) break;
      from = page.last;
    }
    return Math.min(count, ESDB_COUNT_CAP);
  }

  subscribe(checkpoint: string | null, handler: SubscriptionHandler, options: { batchSize?: number } = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    const subscription = this.client.subscribeToAll(
      { fromPosition: checkpoint === null ? START : toEsdbPosition(checkpoint), filter: excludeSystemEvents() },
      { highWaterMark: batchSize },
    );
    return new EsdbSubscription(subscription, handler, batchSize);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private async readStreamRaw(
    streamId: string,
    options: { fromRevision: bigint | typeof END; maxCount?: number; direction: typeof FORWARDS | typeof BACKWARDS },
  ): Promise<ResolvedEvent[]> {
    try {
      return await collect(this.client.readStream(streamId, options));
    } catch (error) {
      if (error instanceof EsdbStreamNotFoundError) throw new StreamNotFoundError(streamId);
      throw error;
    }
  }

  /** Events after `checkpoint` (exclusive, even if the server reads from a position inclusively). */
  private async readAllPage(checkpoint: string | null, maxCount: number): Promise<{ events: AllStreamResolvedEvent[]; last: string | null }> {
    const from = checkpoint === null ? START : toEsdbPosition(checkpoint);
    const page = await collect(this.client.readAll({ fromPosition: from, maxCount: maxCount + 1, direction: FORWARDS }));
    const events = page.filter((resolved) => resolved.event && toPosition(resolved.event.position) !== checkpoint).slice(0, maxCount);
    const lastEvent = events[events.length - 1]?.event;
    return { events, last: lastEvent ? toPosition(lastEvent.position) : null };
  }
}

/**
 * Delivers the subscription's events in batches: it reads what the stream has buffered (up to
 * batchSize), awaits the handler, and reads on; while the handler runs nothing is read, so the
 * buffer fills and the gRPC stream is paused (backpressure). onCaughtUp waits until every event
 * that came before the server's caught-up signal went through the handler.
 */
class EsdbSubscription implements Subscription {
  private stopped = false;
  private draining?: Promise<void>;
  private caughtUp: 'no' | 'signalled' | 'reported' = 'no';

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly handler: SubscriptionHandler,
    private readonly batchSize: number,
  ) {
    subscription.on('readable', () => this.drain());
    subscription.on('caughtUp', () => {
      if (this.caughtUp === 'no') this.caughtUp = 'signalled';
      this.drain();
    });
    subscription.on('error', (error: Error) => this.fail(error));
    subscription.on('end', () => this.fail(new Error('EventStoreDB subscription ended')));
  }

  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      await this.subscription.unsubscribe();
    }
    await this.draining;
  }

  private drain(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.deliver().finally(() => (this.draining = undefined));
  }

  private async deliver(): Promise<void> {
    try {
      for (;;) {
        const batch: RecordedEvent[] = [];
        let resolved: AllStreamResolvedEvent | null;
        while (batch.length < this.batchSize && (resolved = this.subscription.read() as AllStreamResolvedEvent | null) !== null) {
          if (isUserEvent(resolved)) batch.push(toRecordedEvent(resolved));
        }
        if (batch.length === 0 || this.stopped) break;
        await this.handler.onEvents(batch);
      }
      if (this.caughtUp === 'signalled' && this.subscription.readableLength === 0 && !this.stopped) {
        this.caughtUp = 'reported';
        this.handler.onCaughtUp?.();
      }
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private fail(error: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.subscription.unsubscribe();
    this.handler.onError?.(error);
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return BigInt(expected);
}

function isUserEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  return event !== undefined && !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event?.isJson) throw new Error(`Not a JSON event: ${event?.id ?? 'link without event'}`);
  if (!event.position) throw new Error(`Event ${event.id} has no position: EventStoreDB 22.6 or later is needed`);
  return {
    eventId: event.id,
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as NewEvent['metadata'],
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

function toPosition({ commit, prepare }: Position): string {
  return `${BigInt(commit).toString().padStart(20, '0')}:${BigInt(prepare).toString().padStart(20, '0')}`;
}

function toEsdbPosition(checkpoint: string): Position {
  const match = POSITION.exec(checkpoint);
  if (!match) throw new Error(`Not an EsdbEventStore position: ${checkpoint}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
