import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
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
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  AppendTooLargeError,
  DEFAULT_MAX_APPEND_BYTES,
  InvalidExpectedRevisionError,
  StreamNotFoundError,
  UndecodableEventError,
  WrongExpectedRevisionError,
  appendSize,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllBatch,
  type RecordedEvent,
  type Subscription,
  type SubscriptionHandler,
} from './event-store.port';

/**
 * countAfter reads at most this many events of $all: it serves lag metrics (every scrape, every
 * projection) and a rebuild's progress, so it stays one bounded read. A lag beyond it reads as this.
 */
export const ESDB_COUNT_CAP = 1_000;
/** Default deadline (ms) of every read and append: a stalled server fails the call instead of holding the stream's lock. */
export const ESDB_DEADLINE_MS = 10_000;
const PAGE = 1_000;
/** headPosition reads backwards in pages growing by this factor, from one event up to PAGE. */
const HEAD_GROWTH = 8;
/** Past the deadline passed to the client, an append gets this long before the adapter gives up on it. */
const APPEND_GRACE_MS = 2_000;
const POSITION = /^(\d{20}):(\d{20})$/;

/** The subset of pino's logger the adapter uses. */
export interface EsdbLogger {
  warn(details: object, message: string): void;
}

export interface EsdbEventStoreOptions {
  /** The server's MaxAppendSize (bytes, measured by `appendSize`): larger appends are refused before they are sent. */
  maxAppendBytes?: number;
  /**
   * Deadline (ms) of every read and append; subscriptions have none. Default: the connection string's
   * `defaultDeadline` (the client's own option, which the client applies to appends only), else 10 s.
   */
  deadlineMs?: number;
  logger?: EsdbLogger;
}

/** The server did not answer within the deadline. For an append, the events may or may not have been written. */
export class EventStoreDeadlineError extends Error {
  constructor(what: string, deadlineMs: number) {
    super(`EventStoreDB did not answer ${what} within ${deadlineMs} ms`);
    this.name = 'EventStoreDeadlineError';
  }
}

/**
 * The schemes of KurrentDB connection strings and the esdb scheme of the same topology. Client 6.2.1
 * parses only `esdb://` and `esdb+discover://`; KurrentDB's own client (KurrentDB-Client-NodeJS,
 * parseConnectionString.ts) takes these as synonyms with the very same syntax after the scheme (hosts,
 * credentials, query options), so the adapter hands the client the esdb spelling of the same string.
 */
const ESDB_SCHEME_OF: Record<string, string> = {
  esdb: 'esdb',
  'esdb+discover': 'esdb+discover',
  kurrentdb: 'esdb',
  'kurrentdb+discover': 'esdb+discover',
  kurrent: 'esdb',
  'kurrent+discover': 'esdb+discover',
  kdb: 'esdb',
  'kdb+discover': 'esdb+discover',
};

/** `kurrentdb://…` → `esdb://…`, `kurrentdb+discover://…` → `esdb+discover://…` (and kurrent, kdb); others unchanged. */
export function toEsdbConnectionString(connectionString: string): string {
  const trimmed = connectionString.trim();
  const scheme = /^([a-z+]+):\/\//.exec(trimmed)?.[1];
  const esdb = scheme === undefined ? undefined : ESDB_SCHEME_OF[scheme];
  return esdb === undefined || scheme === undefined ? trimmed : `${esdb}${trimmed.slice(scheme.length)}`;
}

/** The `defaultDeadline` query option of a connection string (the client matches option names ignoring case, `-` and `_`). */
function defaultDeadlineOf(connectionString: string): number | undefined {
  const value = /[?&]default[-_]?deadline=(\d+)(?:&|$)/i.exec(connectionString.trim())?.[1];
  return value === undefined || Number(value) <= 0 ? undefined : Number(value);
}

const consoleLogger: EsdbLogger = { warn: (details, message) => console.warn(message, details) };

/**
 * Event store on EventStoreDB/KurrentDB 23.10 or later (EventStoreDB 23.10 and 24.x, KurrentDB 25 and
 * later): stream reads carry positions since 22.6, and the caught-up signal of subscriptions
 * (onCaughtUp, which read-your-writes tests and tools await) came with 23.10 (KurrentDB pull request
 * #3899). An event read without a position fails loudly instead of passing for position 0.
 * Positions are `<commit, 20 digits>:<prepare, 20 digits>`; system events ($-prefixed types or
 * streams) never appear in the global log of this port. Every read and append has a deadline.
 */
export class EsdbEventStore implements EventStore {
  readonly kind = 'esdb' as const;
  readonly maxAppendBytes: number;
  private readonly client: EventStoreDBClient;
  private readonly deadlineMs: number;
  private readonly logger: EsdbLogger;

  constructor(connectionString: string, options: EsdbEventStoreOptions = {}) {
    this.client = EventStoreDBClient.connectionString(toEsdbConnectionString(connectionString));
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
    this.deadlineMs = options.deadlineMs ?? defaultDeadlineOf(connectionString) ?? ESDB_DEADLINE_MS;
    this.logger = options.logger ?? consoleLogger;
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    const expected = toEsdbExpectedRevision(expectedRevision);
    const size = appendSize(events);
    if (size > this.maxAppendBytes) throw new AppendTooLargeError(streamId, size, this.maxAppendBytes);
    let nextExpectedRevision: bigint;
    let position: Position | undefined;
    try {
      ({ nextExpectedRevision, position } = await withDeadline(
        this.client.appendToStream(
          streamId,
          events.map(({ eventId, type, data, metadata }) => jsonEvent({ id: eventId, type, data, metadata })),
          // The client passes the deadline on: to the call (append) or to the server (batch append, which
          // answers Timeout); the adapter's own timer, a little later, covers a server that never answers.
          { expectedRevision: expected, deadline: this.deadlineMs },
        ),
        this.deadlineMs + APPEND_GRACE_MS,
        () => new EventStoreDeadlineError(`the append to ${streamId} (its events may or may not be written)`, this.deadlineMs + APPEND_GRACE_MS),
      ));
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(streamId, expectedRevision, actual === NO_STREAM ? 'no_stream' : Number(actual));
      }
      // The server checks MaxAppendSize too (Streams.Append: the summed Event.SizeOnDisk > MaxAppendSize):
      // it may be configured lower than maxAppendBytes.
      if (error instanceof MaxAppendSizeExceededError) throw new AppendTooLargeError(streamId, size, error.maxAppendSize);
      throw error;
    }
    // The server answers a write with the position of its last event: the WriteEvents request manager
    // replies WriteEventsCompleted(…, CommitPosition, CommitPosition), CommitPosition being the log
    // position of the write's last prepare (StorageChaser's CommitAck), which is that event's $all
    // position (KurrentDB, src/EventStore.Core/Services/RequestManager). Reading it back is needed only
    // when a server sends no position (or zeros); then that read, too, has the deadline.
    const revision = Number(nextExpectedRevision);
    if (position && !isZeroPosition(position)) return { revision, position: toPosition(position) };
    return { revision, position: await this.positionOfRevision(streamId, nextExpectedRevision) };
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

  /**
   * Reads $all backwards from its end until a user event: one event when the log ends with one (the
   * usual case), then pages growing eightfold up to PAGE past system events (projection links, say).
   */
  async headPosition(): Promise<string | null> {
    let from: Position | typeof END = END;
    let count = 1;
    for (;;) {
      const before: Position | typeof END = from;
      const page: AllStreamResolvedEvent[] = await this.readAllRaw({ fromPosition: before, maxCount: count, direction: BACKWARDS }, 'the head of $all');
      // Backwards reads end before `from` (the server reads from a post-position); never trust that to loop.
      const older: AllStreamResolvedEvent[] = before === END ? page : page.filter(({ event }) => event && comparePositions(event.position, before) < 0);
      const user = older.find(isUserEvent);
      if (user?.event) return toPosition(requirePosition(user.event));
      if (page.length < count) return null; // the start of the log
      const oldest: AllStreamResolvedEvent['event'] = older[older.length - 1]?.event;
      if (!oldest && count === PAGE) throw new Error('EventStoreDB read $all backwards without moving back');
      if (oldest) from = oldest.position;
      count = Math.min(count * HEAD_GROWTH, PAGE);
    }
  }

  /**
   * The user events among the next ESDB_COUNT_CAP events of $all after `checkpoint`: one read, so a
   * metrics scrape costs at most that per projection (a caught-up one reads one event). Exact while the
   * lag is below the cap (and system events between are few); beyond it, a lower bound of at most the cap.
   */
  async countAfter(checkpoint: string | null): Promise<number> {
    const page = await this.readAllPage(checkpoint, ESDB_COUNT_CAP);
    return page.events.filter(isUserEvent).length;
  }

  subscribe(checkpoint: string | null, handler: SubscriptionHandler, options: { batchSize?: number } = {}): Subscription {
    const batchSize = options.batchSize ?? 500;
    const subscription = this.client.subscribeToAll(
      { fromPosition: checkpoint === null ? START : toEsdbPosition(checkpoint), filter: excludeSystemEvents() },
      { highWaterMark: batchSize },
    );
    return new EsdbSubscription(subscription, handler, batchSize, this.logger);
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** Position of the event at `revision` of a stream just appended to, for a server that sent none with the append. */
  private async positionOfRevision(streamId: string, revision: bigint): Promise<string> {
    const [event] = await this.readStreamRaw(streamId, { fromRevision: revision, maxCount: 1, direction: FORWARDS });
    if (!event?.event || event.event.revision !== revision) {
      throw new Error(`Appended to ${streamId} up to revision ${revision}, but the server sent no position and the event is not readable`);
    }
    return toPosition(requirePosition(event.event));
  }

  private async readStreamRaw(
    streamId: string,
    options: { fromRevision: bigint | typeof END; maxCount?: number; direction: typeof FORWARDS | typeof BACKWARDS },
  ): Promise<ResolvedEvent[]> {
    try {
      return await collect(this.client.readStream(streamId, options), this.deadlineMs, `a read of stream ${streamId}`);
    } catch (error) {
      if (error instanceof EsdbStreamNotFoundError) throw new StreamNotFoundError(streamId);
      throw error;
    }
  }

  private readAllRaw(
    options: { fromPosition: ReadPosition; maxCount: number; direction: typeof FORWARDS | typeof BACKWARDS },
    what: string,
  ): Promise<AllStreamResolvedEvent[]> {
    return collect(this.client.readAll(options), this.deadlineMs, `a read of ${what}`);
  }

  /** Events after `checkpoint` (exclusive, even if the server reads from a position inclusively). */
  private async readAllPage(checkpoint: string | null, maxCount: number): Promise<{ events: AllStreamResolvedEvent[]; last: string | null }> {
    const from = checkpoint === null ? START : toEsdbPosition(checkpoint);
    const page = await this.readAllRaw({ fromPosition: from, maxCount: maxCount + 1, direction: FORWARDS }, '$all');
    const events = page.filter((resolved) => resolved.event && toPosition(requirePosition(resolved.event)) !== checkpoint).slice(0, maxCount);
    const lastEvent = events[events.length - 1]?.event;
    return { events, last: lastEvent ? toPosition(requirePosition(lastEvent)) : null };
  }
}

/**
 * Delivers the subscription's events in batches: it reads what the stream has buffered (up to
 * batchSize), awaits the handler, and reads on; while the handler runs nothing is read, so the
 * buffer fills and the gRPC stream is paused (backpressure). onCaughtUp waits until every event
 * that came before the server's caught-up signal went through the handler. Exported for tests.
 */
export class EsdbSubscription implements Subscription {
  private stopped = false;
  private draining?: Promise<void>;
  private caughtUp: 'no' | 'signalled' | 'reported' = 'no';

  constructor(
    private readonly subscription: AllStreamSubscription,
    private readonly handler: SubscriptionHandler,
    private readonly batchSize: number,
    private readonly logger: EsdbLogger = consoleLogger,
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
    // With esdb+discover, unsubscribing awaits the gRPC stream, whose creation rejects when discovery
    // gives up: unhandled, that rejection would end the process (Node 20). The failure itself goes to onError.
    this.subscription.unsubscribe().catch((unsubscribeError: unknown) =>
      this.logger.warn({ err: unsubscribeError, cause: error.message }, 'EventStoreDB subscription failed; unsubscribing failed too'),
    );
    this.handler.onError?.(error);
  }
}

/** The port's expected revision in the client's terms; a number must be a safe integer >= 0. */
export function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return BigInt(expected);
  throw new InvalidExpectedRevisionError(expected);
}

function isUserEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): boolean {
  const event = resolved.event;
  return event !== undefined && !event.type.startsWith('$') && !event.streamId.startsWith('$');
}

type ClientRecordedEvent = NonNullable<ResolvedEvent['event'] | AllStreamResolvedEvent['event']>;

/**
 * The port's event. An event without a position fails loudly (a server older than the adapter
 * supports: protobuf fills absent positions with zeros, and no event of a log sits at 0:0, where the
 * first epoch record is). An undecodable event is still returned, its data and metadata throwing
 * UndecodableEventError when read, so a reader stops on it by name (a projection fails on it).
 */
export function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event;
  if (!event) throw new Error('A link without its event: links are not resolved by this adapter');
  const recorded = {
    eventId: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: toPosition(requirePosition(event)),
    recordedAt: event.created.toISOString(),
  };
  const problem = undecodable(event);
  if (problem === null) {
    return { ...recorded, data: event.data as Record<string, unknown>, metadata: event.metadata as unknown as EventMetadata };
  }
  const error = new UndecodableEventError(recorded, problem);
  // Not enumerable: logging or serialising the event does not throw, reading it does.
  const unreadable: PropertyDescriptor = {
    get() {
      throw error;
    },
    enumerable: false,
  };
  return Object.defineProperties(recorded, { data: unreadable, metadata: unreadable }) as RecordedEvent;
}

/** Why an event cannot be read as the port's JSON event, or null. */
function undecodable(event: ClientRecordedEvent): string | null {
  if (!event.isJson) return 'its content type is not application/json';
  // The client hands malformed JSON over as the string it got.
  if (!isJsonObject(event.data)) return typeof event.data === 'string' ? 'its data is not valid JSON' : 'its data is not a JSON object';
  if (!isJsonObject(event.metadata)) return event.metadata === undefined ? 'it has no metadata' : 'its metadata is not a JSON object';
  return null;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function requirePosition(event: ClientRecordedEvent): Position {
  if (!event.position || isZeroPosition(event.position)) {
    throw new Error(`Event ${event.id} of ${event.streamId} has no position: EventStoreDB 23.10 or later, or KurrentDB, is needed`);
  }
  return event.position;
}

function isZeroPosition({ commit, prepare }: Position): boolean {
  return BigInt(commit) === 0n && BigInt(prepare) === 0n;
}

function comparePositions(a: Position, b: Position): number {
  const commit = BigInt(a.commit) - BigInt(b.commit);
  const difference = commit !== 0n ? commit : BigInt(a.prepare) - BigInt(b.prepare);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

function toPosition({ commit, prepare }: Position): string {
  return `${BigInt(commit).toString().padStart(20, '0')}:${BigInt(prepare).toString().padStart(20, '0')}`;
}

function toEsdbPosition(checkpoint: string): Position {
  const match = POSITION.exec(checkpoint);
  if (!match) throw new Error(`Not an EsdbEventStore position: ${checkpoint}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** What the client's reads return: an async iterable stream that can be cancelled. */
interface ClientRead<T> extends AsyncIterable<T> {
  cancel(): Promise<void>;
  destroy(error?: Error): unknown;
}

/**
 * Reads everything, within `deadlineMs`. The client runs reads without a deadline (it passes
 * `deadline: Infinity` to gRPC whatever the options say), so the adapter cancels a late read itself.
 */
async function collect<T>(read: ClientRead<T>, deadlineMs: number, what: string): Promise<T[]> {
  const items: T[] = [];
  const all = (async () => {
    for await (const item of read) items.push(item);
    return items;
  })();
  return withDeadline(all, deadlineMs, () => {
    void read.cancel().catch(() => undefined);
    read.destroy();
    return new EventStoreDeadlineError(what, deadlineMs);
  });
}

/** `work`, or the error of `late()` once `ms` have passed (`work` may still settle later: that is ignored). */
async function withDeadline<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
