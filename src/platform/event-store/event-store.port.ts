/**
 * The event-store port. Both adapters (PostgreSQL/PGlite and EventStoreDB) implement it and pass
 * the same conformance suite (test/platform/event-store/conformance.ts).
 *
 * Revisions are per stream and start at 0 (EventStoreDB's convention). Positions are opaque
 * strings of fixed width, so that comparing two positions of one store as strings orders them
 * like the global log does: read-your-writes relies on that.
 */

/** Where a command came from; `scenario`: a step of a committed scenario (docs/planning-scenarios.md). */
export type EventSource = 'graphql' | 'procurement' | 'import' | 'cli' | 'scenario';

export interface EventMetadata {
  /** Business time: when the fact is true in the world (ISO 8601). */
  effectiveAt: string;
  actor: string;
  source: EventSource;
  commandId: string;
  correlationId: string;
  schemaVersion: number;
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
  /** Throws WrongExpectedRevisionError; appends all events atomically or none. */
  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
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
  /** How many events of the global log come after `checkpoint` (projection lag; may be capped, see adapter). */
  countAfter(checkpoint: string | null): Promise<number>;
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

export const EVENT_STORE = Symbol('EVENT_STORE');
