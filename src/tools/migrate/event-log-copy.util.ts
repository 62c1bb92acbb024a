import {
  AppendTooLargeError,
  UndecodableEventError,
  WrongExpectedRevisionError,
  appendSize,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type RecordedEvent,
} from '../../platform/event-store/event-store.port';
import { LogChecksum, eventFingerprint } from './log-checksum.util';
import { LogCursor } from './log-cursor.util';

/** Events read from either log per call. */
const READ_BATCH = 5_000;
/** At most this many events per append (besides the target's maxAppendBytes). */
const MAX_EVENTS_PER_APPEND = 2_000;
/**
 * Where the target writes several appends at once (appendMany): at most this many appends, events and
 * streams per write (PostgreSQL takes a lock per stream: a few hundred stay far within its lock table).
 */
const MAX_GROUP_APPENDS = 5_000;
const MAX_GROUP_EVENTS = 5_000;
const MAX_GROUP_STREAMS = 500;

/** A run of one stream's consecutive events (revisions n, n+1, …) and the append that copies it. */
interface Run {
  events: RecordedEvent[];
  request: NewEvent[];
  bytes: number;
}

export interface CopyProgress {
  /** Events of the source log handled so far: found already in the target (resume) or copied. */
  done: number;
  /** Events of the source log, when the source counts them exactly (PostgreSQL); undefined otherwise. */
  total?: number;
  phase: 'checking' | 'copying' | 'verifying';
}

export interface CopyOptions {
  /** Continue an interrupted copy: the target must hold a prefix of the source log. Without it the target must be empty. */
  resume?: boolean;
  onProgress?(progress: CopyProgress): void;
  /** Tests: events per read and per append. */
  readBatch?: number;
  maxEventsPerAppend?: number;
  maxGroupAppends?: number;
  /** How long a read waits for events held back behind an older transaction (default HELD_BACK_TIMEOUT_MS). */
  heldBackTimeoutMs?: number;
}

export interface LogSummary {
  events: number;
  /** LogChecksum's SHA-256 (hex) of the whole log. */
  sha256: string;
}

export interface CopyReport {
  source: LogSummary;
  target: LogSummary;
  /** Events the target already held when the copy started (a resumed copy). */
  alreadyThere: number;
  copied: number;
  /** Appends the copy made (one per run of a stream's consecutive events). */
  appends: number;
  /** Writes to the target: one per append, or per group of appends where the target takes several at once. */
  writes: number;
  /** The copy, with the read-back of the events written before its last write. */
  copyMs: number;
  /** The rest of the read-back, after the last write. */
  verifyMs: number;
  /** Same number of events and the same checksum. */
  matches: boolean;
}

/** The target already holds events and --resume was not given: nothing was written. */
export class TargetNotEmptyError extends Error {
  constructor() {
    super('The target already holds events: migrate-events copies only into an empty store (to continue an interrupted copy from this same source, run it again with --resume)');
    this.name = 'TargetNotEmptyError';
  }
}

/** --resume, but the target's log is not a beginning of the source's: nothing was written. */
export class TargetNotAPrefixError extends Error {
  constructor(detail: string) {
    super(`The target's events are not the beginning of the source log, so this is not an interrupted copy of it: ${detail}; nothing was written`);
    this.name = 'TargetNotAPrefixError';
  }
}

/** The copy stopped on an event it cannot append as it is (too large for the target, undecodable, a revision the target refuses). */
export class CopyFailedError extends Error {
  constructor(message: string, readonly copied: number) {
    super(`${message} (${copied} events copied before it; fix the cause, then run again with --resume)`);
    this.name = 'CopyFailedError';
  }
}

/**
 * Copies the whole global log of `source` into `target` through the EventStore port, in log order:
 * each run of consecutive events of one stream becomes one append, with the expected revision the
 * stream had before the run in the source (`no_stream` at revision 0), so every event keeps its id,
 * type, data, metadata and stream revision, and the target's log has the source's order. Appends stay
 * within the target's maxAppendBytes. Where the target writes several appends as one (appendMany:
 * PostgreSQL), up to MAX_GROUP_APPENDS runs go in one write, so a log of small appends (one command's
 * events each) copies at the speed of large ones. System events of EventStoreDB never reach the port's log.
 *
 * Resumable: every write is atomic, so an interrupted copy leaves the target holding a beginning of
 * the source log. With `resume`, both logs are read side by side to the end of the target's, each
 * event compared (id, stream, revision, type, data, metadata), and the copy continues after the last.
 *
 * Verifies by reading the target back and comparing counts and LogChecksums of both logs: each write's
 * events are read back while the copy goes on, the rest to the end of the target's log after the last write.
 */
export async function copyEventLog(source: EventStore, target: EventStore, options: CopyOptions = {}): Promise<CopyReport> {
  const readBatch = options.readBatch ?? READ_BATCH;
  const maxEvents = options.maxEventsPerAppend ?? MAX_EVENTS_PER_APPEND;
  const maxGroupAppends = options.maxGroupAppends ?? MAX_GROUP_APPENDS;
  const maxGroupEvents = Math.max(MAX_GROUP_EVENTS, maxEvents);
  const maxBytes = target.maxAppendBytes ?? Number.POSITIVE_INFINITY;
  const total = source.kind === 'postgres' ? await source.countAfter(null) : undefined;
  const progress = (done: number, phase: CopyProgress['phase']) => options.onProgress?.({ done, total, phase });

  // Events held back behind an older transaction (PostgreSQL) count: the target is not empty then either.
  const targetHolds = (await target.headPosition()) !== null || ((await target.hasUnsettledAfter?.(null)) ?? false);
  if (targetHolds && !options.resume) throw new TargetNotEmptyError();

  const sourceLog = new LogCursor(source, readBatch, null, options.heldBackTimeoutMs);
  const sourceSum = new LogChecksum();
  const targetSum = new LogChecksum();
  const started = performance.now();

  // Resume: the target must hold exactly the first events of the source; find where it ends.
  let targetCheckpoint: string | null = null;
  if (targetHolds) {
    progress(0, 'checking');
    const targetLog = new LogCursor(target, readBatch, null, options.heldBackTimeoutMs);
    for (let batch = await targetLog.next(); batch.length > 0; batch = await targetLog.next()) {
      for (const held of batch) {
        const expected = await sourceLog.shift();
        if (!expected) throw new TargetNotAPrefixError(`the target holds more events than the source (${targetSum.count + 1} or more, the source ${sourceSum.count})`);
        const [a, b] = [fingerprintOrReason(expected), fingerprintOrReason(held)];
        if (a !== b) {
          throw new TargetNotAPrefixError(`event #${targetSum.count + 1} of the target is ${describe(held)}, of the source ${describe(expected)}`);
        }
        sourceSum.add([expected]);
        targetSum.add([held]);
      }
      progress(targetSum.count, 'checking');
    }
    targetCheckpoint = targetLog.checkpoint;
  }
  const alreadyThere = targetSum.count;

  // The read-back follows the copy: after each write, the events written so far are read from the target
  // and hashed while the next groups are read and written (the process would otherwise wait on the
  // server); what is left is read to the end of the target's log after the last write.
  const targetLog = new LogCursor(target, readBatch, targetCheckpoint, options.heldBackTimeoutMs);
  const readBack = async (upTo: number): Promise<void> => {
    while (targetSum.count < upTo) {
      const batch = await targetLog.next();
      if (batch.length === 0) return;
      targetSum.add(batch);
    }
  };
  let reading: Promise<void> = Promise.resolve();
  const readBackAfterWrite = (upTo: number): void => {
    reading = reading.then(() => readBack(upTo));
    // Reported when the copy takes it after its last write, never as an unhandled rejection meanwhile.
    reading.catch(() => undefined);
  };

  // Copy the rest: one append per run of one stream's consecutive events; where the target takes several
  // appends as one atomic write (appendMany), runs go together, up to the group limits.
  let copied = 0;
  let appends = 0;
  let writes = 0;
  let run: Run = { events: [], request: [], bytes: 0 };
  let group: Run[] = [];
  let groupEvents = 0;
  const groupStreams = new Set<string>();
  const grouping = target.appendMany !== undefined;
  const closeRun = async (): Promise<void> => {
    if (run.events.length === 0) return;
    group.push(run);
    groupEvents += run.events.length;
    groupStreams.add(run.events[0].streamId);
    run = { events: [], request: [], bytes: 0 };
    if (!grouping || group.length >= maxGroupAppends || groupEvents >= maxGroupEvents || groupStreams.size >= MAX_GROUP_STREAMS) await writeGroup();
  };
  // One write in flight at a time, in order: the next group is read, checked and built while the
  // previous one is written; a write starts only once the one before it has succeeded.
  let writing: Promise<void> = Promise.resolve();
  const writeGroup = async (): Promise<void> => {
    if (group.length === 0) return;
    const taken = group;
    const takenEvents = groupEvents;
    group = [];
    groupEvents = 0;
    groupStreams.clear();
    await writing;
    writing = write(taken, takenEvents);
    // Reported by the next `await writing` (the next group, or the end of the copy).
    writing.catch(() => undefined);
  };
  const write = async (taken: Run[], takenEvents: number): Promise<void> => {
    const requests = taken.map(({ events, request }) => ({
      streamId: events[0].streamId,
      events: request,
      expectedRevision: (events[0].revision === 0 ? 'no_stream' : events[0].revision - 1) as ExpectedRevision,
    }));
    let results: AppendResult[];
    try {
      results = target.appendMany && requests.length > 1 ? await target.appendMany(requests) : [await target.append(requests[0].streamId, requests[0].events, requests[0].expectedRevision)];
    } catch (error) {
      throw copyError(error, taken, alreadyThere + copied, copied);
    }
    for (const [i, { events }] of taken.entries()) {
      const last = events[events.length - 1];
      if (results[i]?.revision !== last.revision) throw new CopyFailedError(`The target put ${describe(last)} at revision ${results[i]?.revision}`, copied);
    }
    copied += takenEvents;
    appends += taken.length;
    writes += 1;
    readBackAfterWrite(alreadyThere + copied);
  };
  progress(alreadyThere, 'copying');
  for (let batch = await sourceLog.rest(); batch.length > 0; batch = await sourceLog.next()) {
    for (const event of batch) {
      let next: NewEvent;
      try {
        next = { eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata };
        sourceSum.add([event]);
      } catch (error) {
        await closeRun();
        await writeGroup();
        await writing;
        throw copyError(error, [{ events: [event], request: [], bytes: 0 }], alreadyThere + copied, copied);
      }
      const size = Number.isFinite(maxBytes) ? appendSize([next]) : 0;
      const previous = run.events[run.events.length - 1];
      if (previous && (event.streamId !== previous.streamId || event.revision !== previous.revision + 1 || run.events.length >= maxEvents || run.bytes + size > maxBytes)) {
        await closeRun();
      }
      run.events.push(event);
      run.request.push(next);
      run.bytes += size;
    }
    progress(alreadyThere + copied, 'copying');
  }
  await closeRun();
  await writeGroup();
  await writing;
  progress(alreadyThere + copied, 'copying');
  const copyMs = performance.now() - started;

  // The rest of the read-back: to the end of the target's log (events beyond the copy's would show as a difference).
  const verifyStarted = performance.now();
  progress(alreadyThere + copied, 'verifying');
  // Every read-back started after the write it follows ended: a batch the cursor read ahead is no older than the last write.
  await reading;
  await readBack(Number.POSITIVE_INFINITY);
  const verifyMs = performance.now() - verifyStarted;

  const sourceSummary = { events: sourceSum.count, sha256: sourceSum.digest() };
  const targetSummary = { events: targetSum.count, sha256: targetSum.digest() };
  return {
    source: sourceSummary,
    target: targetSummary,
    alreadyThere,
    copied,
    appends,
    writes,
    copyMs,
    verifyMs,
    matches: sourceSummary.events === targetSummary.events && sourceSummary.sha256 === targetSummary.sha256,
  };
}

function describe(event: RecordedEvent): string {
  return `${event.eventId} (${event.type}, ${event.streamId}@${event.revision})`;
}

function fingerprintOrReason(event: RecordedEvent): string {
  try {
    return eventFingerprint(event);
  } catch (error) {
    return `undecodable: ${(error as Error).message}`;
  }
}

/** The one-line reason the write of `group` (its first event is event #`at` + 1 of the log) failed. */
function copyError(error: unknown, group: readonly Run[], at: number, copied: number): Error {
  if (error instanceof CopyFailedError) return error;
  const events = group.flatMap((run) => run.events);
  const first = events[0];
  if (error instanceof AppendTooLargeError) {
    const what = events.length === 1 ? `Event ${describe(first)} alone is` : `The ${events.length} events from ${describe(first)} on are`;
    return new CopyFailedError(`${what} larger (${error.size} bytes) than the target takes in one append (${error.maxBytes} bytes: the server's MaxAppendSize, EVENTSTORE_MAX_APPEND_BYTES here)`, copied);
  }
  if (error instanceof WrongExpectedRevisionError) {
    const refused = events.find((event) => event.streamId === error.streamId) ?? first;
    return new CopyFailedError(
      `The target refused ${describe(refused)}: its stream there is at revision ${String(error.actual)}, expected ${String(error.expected)} ` +
        '(was the target written to during the copy, or does the source stream not start at revision 0?)',
      copied,
    );
  }
  if (error instanceof UndecodableEventError) return new CopyFailedError(`The source holds an event that cannot be copied as JSON: ${error.message}`, copied);
  const message = error instanceof Error ? error.message : String(error);
  return new CopyFailedError(`Writing the ${events.length} events from event #${at + 1}, ${describe(first)}, on failed: ${message}`, copied);
}
