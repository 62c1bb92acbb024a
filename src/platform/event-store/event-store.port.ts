/**
 * The event-store port. Both adapters (PostgreSQL/PGlite and EventStoreDB) implement it and pass
 * the same conformance suite (test/platform/event-store/conformance.ts).
 *
 * Revisions are per stream and start at 0 (EventStoreDB's convention). Positions are opaque
 * strings of fixed width, so that comparing two positions of one store as strings orders them
 * like the global log does: read-your-writes relies on that. Positions of two stores do not compare
 * (both adapters happen to spell them `<20 digits>:<20 digits>`): read-model checkpoints therefore
 * record the store kind they belong to (projection-checkpoints.sql.ts).
 *
 * Appends are atomic and bounded: an append larger than the store's `maxAppendBytes` (measured by
 * `appendSize`) is refused whole with AppendTooLargeError. Writers of many events (the seed, bulk
 * imports) split their work into appends below it.
 */

import type { SqlQueryable } from '../database/sql-client.port';

/**
 * Where a command came from; `system`: the service itself (e.g. taking over the first-start API key);
 * `scenario`: a step of a committed scenario (docs/planning-scenarios.md).
 */
export type EventSource = 'graphql' | 'procurement' | 'import' | 'cli' | 'system' | 'scenario';

export interface EventMetadata {
  /** Business time: when the fact is true in the world (ISO 8601). */
  effectiveAt: string;
  actor: string;
  source: EventSource;
  commandId: string;
  correlationId: string;
  schemaVersion: number;
  /**
   * W3C trace context of the command that appended the event, present only when tracing recorded that
   * command: the projection batch that applies the event links its span to it (docs/operations.md, "Tracing").
   */
  traceparent?: string;
  [extra: string]: unknown;
}

export interface NewEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  streamId: string;
  revision: number;
  /** Opaque, fixed-width, string-ordered global position. */
  position: string;
  /** Append time (ISO 8601), set by the store. */
  recordedAt: string;
}

/** `no_stream`: the stream must not exist; `exists`: it must; `any`: no check; a number: the last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | 'exists' | number;

export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last appended event. */
  revision: number;
  /** Position of the last appended event. */
  position: string;
}

export interface ReadAllBatch {
  events: RecordedEvent[];
  /** Checkpoint after the last event of the batch (or the input checkpoint when empty). */
  checkpoint: string | null;
}

export interface Subscription {
  stop(): Promise<void>;
  /**
   * Optional: the handler has processed the log through `position` by other means (an AppendObserver):
   * the next read starts after it, unless the subscription is already past it.
   */
  skipTo?(position: string): void;
}

/**
 * Work that shares an append's transaction (EventStore.observeAppends): the embedded default's
 * projections, so that an append and the read-model writes it causes commit together, without a
 * second transaction, a read of the log or a wake-up in between.
 */
export interface AppendObserver {
  /**
   * Runs after the append's writes, in its transaction. `readAfter` reads the log after a checkpoint as
   * this transaction sees it (its own events last). Throwing rolls the transaction back; the store then
   * writes the append again without the observer, so an observer never fails or loses an append.
   * Resolves to what to call once the transaction committed, or null when it did nothing (the store
   * then wakes its subscriptions as after any append).
   */
  inTransaction(tx: SqlQueryable, readAfter: (checkpoint: string | null, maxCount: number) => Promise<RecordedEvent[]>): Promise<(() => void) | null>;
}

export interface SubscriptionHandler {
  /** Called with batches in global order; the subscription waits for the promise before going on. */
  onEvents(events: RecordedEvent[]): Promise<void>;
  /** Called when the subscription has processed everything that existed (it then stays live). */
  onCaughtUp?(): void;
  onError?(error: Error): void;
}

export interface EventStore {
  readonly kind: 'postgres' | 'esdb';
  /**
   * The largest append the store accepts, in `appendSize` bytes (the data, metadata and type of all
   * its events); undefined: no limit of the store's own (PostgreSQL: its 1 GB per value). EventStoreDB
   * and KurrentDB: the server's MaxAppendSize, 1 MiB unless configured otherwise.
   */
  readonly maxAppendBytes?: number;
  /**
   * Appends all events atomically or none. Throws WrongExpectedRevisionError, AppendTooLargeError
   * (larger than maxAppendBytes) and an Error `Invalid expected revision: ...` for a revision that is
   * no safe integer >= 0 (InvalidExpectedRevisionError where the adapter checks it itself).
   */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Optional: several appends (to any streams) as one atomic write, in the order given, so that they
   * follow each other in the global log: all or none. Throws what `append` throws, for the first append
   * that fails. Copying a whole log (migrate-events) uses it where a store has it (PostgreSQL).
   */
  appendMany?(appends: readonly AppendRequest[]): Promise<AppendResult[]>;
  /** Events from `fromRevision` (inclusive, default 0). Throws StreamNotFoundError for a missing stream. */
  readStream(streamId: string, options?: { fromRevision?: number; maxCount?: number }): Promise<RecordedEvent[]>;
  /** Last revision of a stream, or null when it does not exist. */
  streamRevision(streamId: string): Promise<number | null>;
  /** Global log after `checkpoint` (null: from the start), at most `maxCount` events. */
  readAll(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch>;
  /**
   * Optional: `readAll` for a bulk replay (a rebuild), the same events, cheaper to read (in CPU) when
   * the log is read to its end in large batches.
   */
  readAllForReplay?(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch>;
  /** Position of the last event of the global log that a reader may see now (null when empty). */
  headPosition(): Promise<string | null>;
  /**
   * Optional: whether committed events follow `checkpoint` that readAll does not return yet, held back
   * behind an older transaction still running (PostgreSQL: a reader sees a transaction's events only once
   * every older transaction has ended, on any schema of the server). A reader that must see the whole log
   * (a copy of it) waits while this is true.
   */
  hasUnsettledAfter?(checkpoint: string | null): Promise<boolean>;
  /**
   * How many events of the global log come after `checkpoint` (projection lag). Exact on PostgreSQL;
   * EventStoreDB counts within one bounded read, so a large lag is a lower bound (see the adapter).
   */
  countAfter(checkpoint: string | null): Promise<number>;
  /**
   * Optional: `observer` runs in the transaction of every later append and appendMany of this store
   * instance, until the returned function is called (or another observer takes its place). The store's
   * subscriptions are not woken for appends the observer handled: they see them at their next read.
   * PostgreSQL store on PGlite only, where no other transaction runs alongside.
   */
  observeAppends?(observer: AppendObserver): () => void;
  /** Catch-up from `checkpoint` (exclusive), then live. */
  subscribe(checkpoint: string | null, handler: SubscriptionHandler, options?: { batchSize?: number }): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export class StreamNotFoundError extends Error {
  constructor(readonly streamId: string) {
    super(`Stream ${streamId} not found`);
    this.name = 'StreamNotFoundError';
  }
}

/** A numeric expected revision that is no safe integer >= 0: a caller's bug, refused before anything is sent. */
export class InvalidExpectedRevisionError extends Error {
  constructor(readonly expected: unknown) {
    super(`Invalid expected revision: ${String(expected)}`);
    this.name = 'InvalidExpectedRevisionError';
  }
}

/** EventStoreDB's default MaxAppendSize (bytes), also the default of EVENTSTORE_MAX_APPEND_BYTES. */
export const DEFAULT_MAX_APPEND_BYTES = 1_048_576;

/**
 * The size of an append as EventStoreDB/KurrentDB measure it against MaxAppendSize: per event, the
 * bytes of its data and metadata (the JSON the client sends, UTF-8) plus twice the length of its type
 * (.NET's UTF-16 string length; server: `Event.SizeOnDisk(eventType, data, metadata)`, summed over the
 * append in `Streams.Append`/`BatchAppend`). Some server versions count less (the data only, through an
 * operator precedence slip): this measure is never below the server's.
 */
export function appendSize(events: readonly NewEvent[]): number {
  let size = 0;
  for (const { type, data, metadata } of events) {
    size += Buffer.byteLength(JSON.stringify(data), 'utf8') + Buffer.byteLength(JSON.stringify(metadata), 'utf8') + 2 * type.length;
  }
  return size;
}

/** An append larger than the store takes (maxAppendBytes): nothing was written. */
export class AppendTooLargeError extends Error {
  constructor(
    readonly streamId: string,
    /** appendSize of the refused append (what the client measured). */
    readonly size: number,
    readonly maxBytes: number,
  ) {
    super(`Append to stream ${streamId} is too large: ${size} bytes of events, the event store takes at most ${maxBytes} bytes in one append`);
    this.name = 'AppendTooLargeError';
  }
}

/**
 * An event the store holds but cannot decode (not JSON, data or metadata that is no JSON object). It is
 * still delivered in its place in the log, so that readers stop on it by name instead of skipping it
 * or failing without saying which: reading its `data` or `metadata` throws this error.
 */
export class UndecodableEventError extends Error {
  readonly eventId: string;
  readonly type: string;
  readonly streamId: string;
  readonly revision: number;
  readonly position: string;

  constructor(event: Pick<RecordedEvent, 'eventId' | 'type' | 'streamId' | 'revision' | 'position'>, reason: string) {
    super(`Event ${event.eventId} (${event.type}, ${event.streamId}@${event.revision}, position ${event.position}) cannot be decoded: ${reason}`);
    this.name = 'UndecodableEventError';
    this.eventId = event.eventId;
    this.type = event.type;
    this.streamId = event.streamId;
    this.revision = event.revision;
    this.position = event.position;
  }
}

/** Throws the UndecodableEventError of the first event whose data or metadata cannot be read. */
export function assertDecodable(events: readonly RecordedEvent[]): void {
  for (const event of events) {
    void event.data;
    void event.metadata;
  }
}

export const EVENT_STORE = Symbol('EVENT_STORE');
