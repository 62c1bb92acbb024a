import { setImmediate } from 'node:timers/promises';
import { runMigrations } from '../database/migrations.runner';
import type { SqlClient, SqlQueryable } from '../database/sql-client.port';
import {
  StreamNotFoundError,
  type AppendObserver,
  WrongExpectedRevisionError,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllBatch,
  type RecordedEvent,
  type Subscription,
  type SubscriptionHandler,
} from './event-store.port';
import { AppendQueue } from './append-queue.util';
import { postgresEventStoreMigrations } from './postgres-event-store.migrations';

interface EventRow {
  transaction_id: string;
  global_position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: NewEvent['metadata'];
  recorded_at: Date;
}

interface PendingAppend {
  stream: string;
  expected: string;
  events: Array<{ id: string; type: string; data: Record<string, unknown>; metadata: NewEvent['metadata'] }>;
}

interface AppendRow {
  ok: boolean;
  revision: string | null;
  transaction_id: string;
  global_position: string;
}

/** `observed`: the append observer applied it in its transaction (see `written`). */
type WrittenAppend = AppendRow & { observed: boolean };

const EVENT_COLUMNS = 'transaction_id, global_position, stream_id, revision, event_id, type, data, metadata, recorded_at';
/** Only transactions older than every running one: their events can no longer be preceded by another. */
const SETTLED = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
/** Committed, but after a transaction still running: a reader must wait for it. */
const HELD_BACK = 'transaction_id >= pg_snapshot_xmin(pg_current_snapshot())';
const AFTER = '(transaction_id, global_position) > ($1::xid8, $2::bigint)';
const POSITION = /^(\d{20}):(\d{20})$/;

export interface PostgresSubscriptionTiming {
  /** Re-read this often when idle, in case a wake-up was missed (ms). */
  idleRecheckMs: number;
  /** First re-check delay while committed events are held back by an older running transaction (ms); doubles. */
  heldBackRecheckMs: number;
  heldBackRecheckMaxMs: number;
}

const DEFAULT_TIMING: PostgresSubscriptionTiming = { idleRecheckMs: 1_000, heldBackRecheckMs: 2, heldBackRecheckMaxMs: 10 };

/**
 * Event store on PostgreSQL or PGlite (the same SQL). Positions are
 * `<transaction id, 20 digits>:<global position, 20 digits>`. Creates its schema on first use
 * (the application also runs these migrations at start-up; running them twice is harmless).
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private schemaReady?: Promise<string>;
  private notifying?: Promise<void>;
  private notifyAgain = false;
  private observer?: AppendObserver;
  /**
   * One append statement in flight; those arriving meanwhile go together in the next, and so do those of
   * the requests already read from the network (`gather`). PGlite runs one statement at a time anyway. On
   * a server a synchronous commit (its WAL flush) costs the server more CPU than the rest of a one-event
   * append, so fewer, larger groups cost less per command than several statements in flight, whose
   * flushes the server serialises anyway.
   */
  private readonly appends = new AppendQueue<PendingAppend, WrittenAppend>(
    async (append) => {
      const { result, observed } = await this.written(async (q) => (await q.query<AppendRow>('SELECT ok, revision, transaction_id, global_position FROM es_append($1, $2, $3)', [append.stream, append.expected, JSON.stringify(append.events)])).rows[0], false);
      return { ...result, observed };
    },
    async (appends) => {
      const { result, observed } = await this.written(async (q) => (await q.query<AppendRow>('SELECT ok, revision, transaction_id, global_position FROM es_append_all($1)', [JSON.stringify(appends)])).rows, false);
      return result.map((row) => ({ ...row, observed }));
    },
    { concurrency: 1, maxBatch: 200, keyOf: (append) => append.stream, refusedWhole: isStatementError, gather: true },
  );

  constructor(
    private readonly sql: SqlClient,
    private readonly timing: PostgresSubscriptionTiming = DEFAULT_TIMING,
  ) {}

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    const pending = toPendingAppend({ streamId, events, expectedRevision });
    await this.ready();
    const result = await this.appends.submit(pending);
    if (!result.ok) {
      throw new WrongExpectedRevisionError(streamId, expectedRevision, result.revision === null ? 'no_stream' : Number(result.revision));
    }
    if (!result.observed) this.announce();
    return { revision: Number(result.revision), position: toPosition(result.transaction_id, result.global_position) };
  }

  /**
   * The appends in one transaction, their events consecutive in the global log (one transaction id,
   * rising global positions) in the order given; the first failed check rolls them all back. When every
   * expected revision is `no_stream` or a number (what a copy of a log sends), the group is written set
   * by set: the streams locked as es_append locks them, their revisions checked in one read, then one
   * upsert of es_streams, one write of every event (COPY on a server when they are many) and one read
   * of their positions, so a thousand small appends cost a few statements. Otherwise it is one
   * es_append_all, which checks each append in turn.
   */
  async appendMany(appends: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (appends.length === 0) return [];
    const pending = appends.map(toPendingAppend);
    await this.ready();
    const plan = planAppends(appends);
    const { result, observed } = await this.written(async (tx) => {
      if (!plan) {
        const { rows } = await tx.query<AppendRow>('SELECT ok, revision, transaction_id, global_position FROM es_append_all($1)', [JSON.stringify(pending)]);
        const failed = rows.findIndex((row) => !row.ok);
        if (failed >= 0) throw wrongRevision(appends[failed], rows[failed].revision);
        return rows.map((row) => ({ revision: Number(row.revision), position: toPosition(row.transaction_id, row.global_position) }));
      }
      const streams = [...plan.before.keys()];
      await tx.query('SELECT es_lock_streams($1::text[])', [streams]);
      const { rows: current } = await tx.query<{ stream_id: string; revision: string }>('SELECT stream_id, revision FROM es_streams WHERE stream_id = ANY($1::text[])', [streams]);
      const actual = new Map(current.map((row) => [row.stream_id, Number(row.revision)]));
      for (const [streamId, { revision, append }] of plan.before) {
        if ((actual.get(streamId) ?? -1) !== revision) throw wrongRevision(append, actual.get(streamId) ?? null);
      }
      await tx.query(
        `INSERT INTO es_streams AS s (stream_id, revision) SELECT * FROM unnest($1::text[], $2::bigint[])
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
        [streams, streams.map((streamId) => plan.after.get(streamId) as number)],
      );
      // COPY on a server for many rows (insertColumns). The rows take their global positions from the
      // sequence in the order given, which only rises: the k-th position of this transaction is the k-th event's.
      await tx.insertColumns('es_events', EVENT_INSERT_COLUMNS, plan.columns);
      const { rows } = await tx.query<{ transaction_id: string; positions: string }>(
        `SELECT pg_current_xact_id() AS transaction_id, string_agg(global_position::text, ',' ORDER BY global_position) AS positions
           FROM es_events WHERE transaction_id = pg_current_xact_id()`,
      );
      const positions = rows[0].positions.split(',');
      const [, revisions] = plan.columns;
      return plan.lastIndexes.map((index) => ({ revision: revisions[index], position: toPosition(rows[0].transaction_id, positions[index]) }));
    }, true);
    if (!observed) this.announce();
    return result;
  }

  /** PGlite only: the observer's reads of the log must see every other transaction ended. */
  observeAppends(observer: AppendObserver): () => void {
    if (this.sql.kind !== 'pglite') throw new Error('Append observers run on PGlite only');
    this.observer = observer;
    return () => {
      if (this.observer === observer) this.observer = undefined;
    };
  }

  /**
   * An append's writes (`transactional`: they need a transaction of their own), with the observer in
   * their transaction where there is one. `observed`: the observer did the subscriptions' work, there is
   * nobody to wake. When the observer throws, everything is rolled back and the writes are made again alone.
   */
  private async written<T>(write: (q: SqlQueryable) => Promise<T>, transactional: boolean): Promise<{ result: T; observed: boolean }> {
    const observer = this.observer;
    if (!observer) return { result: transactional ? await this.sql.transaction(write) : await write(this.sql), observed: false };
    try {
      const [result, committed] = await this.sql.transaction(async (tx) => {
        const result = await write(tx);
        try {
          return [result, await observer.inTransaction(tx, (checkpoint, maxCount) => this.readInTransaction(tx, checkpoint, maxCount))] as const;
        } catch (error) {
          throw new ObserverFailedError(error);
        }
      });
      committed?.();
      return { result, observed: committed !== null };
    } catch (error) {
      if (!(error instanceof ObserverFailedError)) throw error;
      return { result: await this.sql.transaction(write), observed: false };
    }
  }

  /** The log after `checkpoint` as `tx` sees it, its own events last: on PGlite no other transaction runs, so none is held back. */
  private async readInTransaction(tx: SqlQueryable, checkpoint: string | null, maxCount: number): Promise<RecordedEvent[]> {
    const { rows } = await tx.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE ${AFTER} ORDER BY transaction_id, global_position LIMIT $3`,
      [...fromPosition(checkpoint), maxCount],
    );
    return rows.map(toRecordedEvent);
  }

  async readStream(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    await this.ready();
    // One round trip: no row at all when the stream is missing, a NULL text when the range is empty;
    // the events as one JSON text (EVENTS_JSON).
    const { rows } = await this.sql.query<{ events: string | null }>(
      `SELECT (SELECT ${EVENTS_JSON('revision')}
                 FROM (SELECT * FROM es_events WHERE stream_id = s.stream_id AND revision >= $2 ORDER BY revision LIMIT $3) e) AS events
         FROM es_streams s WHERE s.stream_id = $1`,
      [streamId, options.fromRevision ?? 0, options.maxCount ?? null],
    );
    if (rows.length === 0) throw new StreamNotFoundError(streamId);
    return parseEvents(rows[0].events);
  }

  async streamRevision(streamId: string): Promise<number | null> {
    await this.ready();
    const { rows } = await this.sql.query<{ revision: string }>('SELECT revision FROM es_streams WHERE stream_id = $1', [streamId]);
    return rows.length === 0 ? null : Number(rows[0].revision);
  }

  async readAll(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch> {
    const { events, checkpoint: next } = await this.readSettled(checkpoint, maxCount);
    return { events, checkpoint: next };
  }

  /**
   * `readAll`, and in the same statement (one round trip per batch for a live subscription) whether
   * committed events after `checkpoint` are held back by an older running transaction (`heldBack`).
   */
  async readSettled(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch & { heldBack: boolean }> {
    await this.ready();
    // The probe is ordered with LIMIT 1, not EXISTS: the planner would pick a full scan for EXISTS.
    const { rows } = await this.sql.query<Partial<EventRow> & { held_back: boolean }>(
      `SELECT h.held_back, e.* FROM (
         SELECT (SELECT 1 FROM es_events WHERE ${HELD_BACK} AND ${AFTER} ORDER BY transaction_id, global_position LIMIT 1) IS NOT NULL AS held_back
       ) h
       LEFT JOIN LATERAL (
         SELECT ${EVENT_COLUMNS} FROM es_events
         WHERE ${SETTLED} AND ${AFTER}
         ORDER BY transaction_id, global_position LIMIT $3
       ) e ON true`,
      [...fromPosition(checkpoint), maxCount],
    );
    const heldBack = rows[0].held_back;
    const events = rows[0].event_id == null ? [] : (rows as EventRow[]).map(toRecordedEvent);
    return { events, checkpoint: events.length > 0 ? events[events.length - 1].position : checkpoint, heldBack };
  }

  /** The batch as one JSON text built by the server (EVENTS_JSON): most of a rebuild's reading is parsing rows. */
  async readAllForReplay(checkpoint: string | null, maxCount: number): Promise<ReadAllBatch> {
    await this.ready();
    const { rows } = await this.sql.query<{ events: string | null }>(
      `SELECT ${EVENTS_JSON('transaction_id, global_position')} AS events
         FROM (SELECT * FROM es_events WHERE ${SETTLED} AND ${AFTER} ORDER BY transaction_id, global_position LIMIT $3) e`,
      [...fromPosition(checkpoint), maxCount],
    );
    const events = parseEvents(rows[0].events);
    return { events, checkpoint: events.length > 0 ? events[events.length - 1].position : checkpoint };
  }

  async headPosition(): Promise<string | null> {
    await this.ready();
    const { rows } = await this.sql.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id, global_position FROM es_events WHERE ${SETTLED}
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows.length === 0 ? null : toPosition(rows[0].transaction_id, rows[0].global_position);
  }

  /** Exact count of the events a reader may see now after `checkpoint` (not capped). */
  async countAfter(checkpoint: string | null): Promise<number> {
    await this.ready();
    const { rows } = await this.sql.query<{ count: string }>(
      `SELECT count(*) AS count FROM es_events WHERE ${SETTLED} AND ${AFTER}`,
      fromPosition(checkpoint),
    );
    return Number(rows[0].count);
  }

  subscribe(checkpoint: string | null, handler: SubscriptionHandler, options: { batchSize?: number } = {}): Subscription {
    fromPosition(checkpoint); // reject a malformed checkpoint now, not in the background
    const subscription = new PostgresSubscription(this, this.sql, checkpoint, handler, options.batchSize ?? 500, this.timing);
    const local = subscriptionsOf(this.sql);
    local.add(subscription);
    void subscription.done.then(() => local.delete(subscription));
    return subscription;
  }

  /** The SqlClient is not ours: the caller closes it. Subscriptions are stopped by their owners. */
  async close(): Promise<void> {
    await this.notifying;
  }

  /**
   * Wakes the subscriptions of this process at once, and those of other processes through NOTIFY
   * (PGlite has no other process). The NOTIFY is sent after the append committed, without making
   * the append wait, with at most one in flight (appends meanwhile are covered by one more), and
   * without a WAL flush: losing one in a crash is harmless, since readers also re-poll.
   * No NOTIFY while a subscription of this process is live: in this service only the projections'
   * leader subscribes, one process per schema, so no other process waits for this append (one that
   * did would still re-poll). Under load that saves a statement and a commit per few commands.
   */
  private announce(): void {
    const local = subscriptionsOf(this.sql);
    for (const subscription of local) subscription.signal();
    if (this.sql.kind === 'pglite' || local.size > 0) return;
    if (this.notifying) this.notifyAgain = true;
    else this.notifying = this.notifyOtherProcesses();
  }

  private async notifyOtherProcesses(): Promise<void> {
    try {
      const channel = await this.ready();
      do {
        this.notifyAgain = false;
        await this.sql.query(`SET LOCAL synchronous_commit TO off; SELECT pg_notify('${channel}', '')`);
      } while (this.notifyAgain);
    } catch {
      // Readers re-poll on their own; the next append notifies again.
    } finally {
      this.notifying = undefined;
    }
  }

  /** Whether committed events exist after `checkpoint` that readAll does not return yet (held back). */
  async hasUnsettledAfter(checkpoint: string | null): Promise<boolean> {
    await this.ready();
    // Ordered with LIMIT 1, not EXISTS: the planner would pick a full scan for EXISTS, while every row
    // usually precedes the checkpoint.
    const { rows } = await this.sql.query(
      `SELECT 1 FROM es_events WHERE ${AFTER} ORDER BY transaction_id, global_position LIMIT 1`,
      fromPosition(checkpoint),
    );
    return rows.length > 0;
  }

  /** Creates the schema once and resolves to the notification channel of this schema's log. */
  ready(): Promise<string> {
    this.schemaReady ??= (async () => {
      await runMigrations(this.sql, postgresEventStoreMigrations);
      const { rows } = await this.sql.query<{ channel: string }>('SELECT es_channel() AS channel');
      return rows[0].channel;
    })().catch((error: unknown) => {
      this.schemaReady = undefined;
      throw error;
    });
    return this.schemaReady;
  }
}

/**
 * Catch-up in batches, then live: woken by an append (directly in this process, through NOTIFY from
 * others) or by a re-check timer, it reads until a short batch. Committed events held back by an
 * older running transaction are re-checked quickly: that transaction may never notify (it may not
 * be an append, or it may roll back).
 */
class PostgresSubscription implements Subscription {
  private stopped = false;
  private signalled = false;
  private wake?: () => void;
  readonly done: Promise<void>;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly sql: SqlClient,
    private checkpoint: string | null,
    private readonly handler: SubscriptionHandler,
    private readonly batchSize: number,
    private readonly timing: PostgresSubscriptionTiming,
  ) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    let unlisten: (() => Promise<void>) | undefined;
    try {
      const channel = await this.store.ready();
      // PGlite is one process: its appends wake subscriptions directly (see announce()).
      if (this.sql.kind === 'postgres') unlisten = await this.sql.listen(channel, () => this.signal());
      let caughtUp = false;
      let heldBackDelay = this.timing.heldBackRecheckMs;
      while (!this.stopped) {
        // PGlite runs in this thread: let the requests that came in meanwhile append first, so that
        // one read and one projection batch take them all.
        if (this.sql.kind === 'pglite') await setImmediate();
        this.signalled = false;
        const batch = await this.store.readSettled(this.checkpoint, this.batchSize);
        if (batch.events.length > 0) {
          if (this.stopped) break;
          await this.handler.onEvents(batch.events);
          this.skipTo(batch.checkpoint as string);
          heldBackDelay = this.timing.heldBackRecheckMs;
          if (batch.events.length === this.batchSize) continue;
        }
        if (!caughtUp) {
          caughtUp = true;
          this.handler.onCaughtUp?.();
        }
        // Events that committed after the read wake us (an append signals, or NOTIFYs from another process).
        if (batch.heldBack) {
          await this.pause(heldBackDelay);
          heldBackDelay = Math.min(heldBackDelay * 2, this.timing.heldBackRecheckMaxMs);
        } else {
          heldBackDelay = this.timing.heldBackRecheckMs;
          await this.pause(this.timing.idleRecheckMs);
        }
      }
    } catch (error) {
      if (!this.stopped) {
        this.stopped = true;
        this.handler.onError?.(error instanceof Error ? error : new Error(String(error)));
      }
    } finally {
      await unlisten?.().catch(() => undefined);
    }
  }

  skipTo(position: string): void {
    if (this.checkpoint === null || position > this.checkpoint) this.checkpoint = position;
  }

  signal(): void {
    this.signalled = true;
    this.wake?.();
  }

  /** Until a notification, stop() or `ms`; returns at once if a notification came during the last read. */
  private pause(ms: number): Promise<void> {
    if (this.signalled || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }
}

/** Live subscriptions per SqlClient, whichever store instance made them: an append wakes them all. */
const liveSubscriptions = new WeakMap<SqlClient, Set<PostgresSubscription>>();

function subscriptionsOf(sql: SqlClient): Set<PostgresSubscription> {
  let subscriptions = liveSubscriptions.get(sql);
  if (!subscriptions) liveSubscriptions.set(sql, (subscriptions = new Set()));
  return subscriptions;
}

/** An AppendObserver threw: its transaction is rolled back, and the append is written without it. */
class ObserverFailedError extends Error {
  constructor(cause: unknown) {
    super('The append observer failed', { cause });
    this.name = 'ObserverFailedError';
  }
}

/** An error the server answered for the statement (a SQLSTATE; the statement wrote nothing), not a lost connection. */
function isStatementError(error: unknown): boolean {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && typeof severity === 'string';
}

interface AppendPlan {
  /** Per stream, in order of first appearance: the revision it must have before the group (-1: none) and its first append. */
  before: Map<string, { revision: number; append: AppendRequest }>;
  /** Per stream: its revision after the group. */
  after: Map<string, number>;
  /** Every event with its stream and revision, in order, column by column as EVENT_INSERT_COLUMNS. */
  columns: [string[], number[], string[], string[], string[], string[]];
  /** Per append: its last event's index in `columns`. */
  lastIndexes: number[];
}

const EVENT_INSERT_COLUMNS = { stream_id: 'text', revision: 'int8', event_id: 'uuid', type: 'text', data: 'json', metadata: 'json' } as const;

/**
 * Where every expected revision is `no_stream` or a number: each event's revision, and what each stream
 * must be at before the group. A later append of a stream that does not continue where the group left
 * it fails here, as es_append_all would fail it. Null when an append expects `any` or `exists`.
 */
function planAppends(appends: readonly AppendRequest[]): AppendPlan | null {
  if (appends.some(({ expectedRevision }) => typeof expectedRevision !== 'number' && expectedRevision !== 'no_stream')) return null;
  const plan: AppendPlan = { before: new Map(), after: new Map(), columns: [[], [], [], [], [], []], lastIndexes: [] };
  const [streamIds, revisions, eventIds, types, data, metadata] = plan.columns;
  for (const append of appends) {
    const expected = append.expectedRevision === 'no_stream' ? -1 : (append.expectedRevision as number);
    const at = plan.after.get(append.streamId);
    if (at === undefined) plan.before.set(append.streamId, { revision: expected, append });
    else if (at !== expected) throw wrongRevision(append, at < 0 ? null : at);
    let revision = expected;
    for (const event of append.events) {
      revision += 1;
      streamIds.push(append.streamId);
      revisions.push(revision);
      eventIds.push(event.eventId);
      types.push(event.type);
      data.push(JSON.stringify(event.data));
      metadata.push(JSON.stringify(event.metadata));
    }
    plan.after.set(append.streamId, revision);
    plan.lastIndexes.push(streamIds.length - 1);
  }
  return plan;
}

function wrongRevision({ streamId, expectedRevision }: AppendRequest, actual: number | string | null): WrongExpectedRevisionError {
  return new WrongExpectedRevisionError(streamId, expectedRevision, actual === null ? 'no_stream' : Number(actual));
}

/** The append as es_append and es_append_all take it; refuses an empty append and an invalid expected revision. */
function toPendingAppend({ streamId, events, expectedRevision }: AppendRequest): PendingAppend {
  if (events.length === 0) throw new Error('append needs at least one event');
  if (typeof expectedRevision === 'number' && !(Number.isSafeInteger(expectedRevision) && expectedRevision >= 0)) {
    throw new Error(`Invalid expected revision: ${expectedRevision}`);
  }
  return {
    stream: streamId,
    expected: String(expectedRevision),
    events: events.map(({ eventId, type, data, metadata }) => ({ id: eventId, type, data, metadata })),
  };
}

/**
 * The events of `e` in `order`, as the elements of one JSON array text built by the server (NULL for
 * none; parseEvents adds the brackets, which `'[' || … || ']'` would make the server copy the whole
 * text twice for): one JSON.parse instead of parsing every column of every row (json, timestamptz,
 * positions). One concat per event (a chain of || copies the text once per operator); recordedAt comes
 * as epoch ms (truncated, as Date does), formatted by parseEvents: to_char costs the server more than
 * the rest of the row. recordedAt and the position come out exactly as toRecordedEvent spells them.
 */
const EVENTS_JSON = (order: string) => `string_agg(concat(
    '{"eventId":"', event_id, '","type":', to_json(type), ',"data":', data, ',"metadata":', metadata,
    ',"streamId":', to_json(stream_id), ',"revision":', revision,
    ',"position":"', lpad(transaction_id::text, 20, '0'), ':', lpad(global_position::text, 20, '0'),
    '","recordedAt":', floor(extract(epoch FROM recorded_at) * 1000)::int8, '}'),
    ',' ORDER BY ${order})`;

/**
 * The events of an EVENTS_JSON text. The events of one append share their recordedAt (one transaction's
 * now()): they share one string too, formatted once (a rebuild holds a few batches of events while a
 * young collection copies what is live, so fewer strings is also less to copy).
 */
function parseEvents(text: string | null): RecordedEvent[] {
  const events = JSON.parse(text === null ? '[]' : `[${text}]`) as Array<Omit<RecordedEvent, 'recordedAt'> & { recordedAt: number | string }>;
  let lastMs: number | string | undefined;
  let lastIso = '';
  for (const event of events) {
    if (event.recordedAt !== lastMs) {
      lastMs = event.recordedAt;
      lastIso = new Date(lastMs).toISOString();
    }
    event.recordedAt = lastIso;
  }
  return events as RecordedEvent[];
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: toPosition(row.transaction_id, row.global_position),
    recordedAt: row.recorded_at.toISOString(),
  };
}

function toPosition(transactionId: string, globalPosition: string): string {
  return `${transactionId.padStart(20, '0')}:${globalPosition.padStart(20, '0')}`;
}

/** [transaction id, global position] query parameters of a checkpoint; null: before everything. */
function fromPosition(checkpoint: string | null): [string, string] {
  if (checkpoint === null) return ['0', '0'];
  const match = POSITION.exec(checkpoint);
  if (!match) throw new Error(`Not a PostgresEventStore position: ${checkpoint}`);
  // Without the padding: xid8 input reads a leading zero as an octal prefix.
  return [match[1].replace(/^0+(?=\d)/, ''), match[2]];
}
