/**
 * The double's storage: one in-memory transaction log, as a single KurrentDB node writes it.
 * Server sources cited below are paths in kurrent-io/KurrentDB at tag v24.10.14.
 */

/** src/EventStore.Core/Data/ExpectedVersion.cs */
export const ExpectedVersion = { Any: -2, NoStream: -1, StreamExists: -4 } as const;

/** A position in the log; commit == prepare for every event (implicitly committed prepares). */
export interface TfPos {
  readonly commit: number;
  readonly prepare: number;
}

/** TFPos.HeadOfTf: "the end", resolved to the writer checkpoint (StorageReaderWorker.ReadAllEventsForward). */
export const HEAD_OF_TF: TfPos = { commit: -1, prepare: -1 };

export function comparePos(a: TfPos, b: TfPos): number {
  return a.commit !== b.commit ? a.commit - b.commit : a.prepare - b.prepare;
}

export interface ProposedEvent {
  eventId: string;
  type: string;
  isJson: boolean;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface EventRecord {
  /** Pre-position of the prepare record: the event's commit and prepare position. */
  readonly logPosition: number;
  /** Position right after the record (backward reads compare post-positions). */
  readonly postPosition: number;
  readonly streamId: string;
  readonly eventNumber: number;
  readonly eventId: string;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  readonly created: number;
}

export type WriteResult =
  | { kind: 'success'; lastEventNumber: number; logPosition: number }
  | { kind: 'wrong-expected-version'; currentVersion: number };

export class InvalidPositionError extends Error {
  constructor() {
    super('Trying to read from an invalid position.');
  }
}

/**
 * ESConsts.CommitedEventsMemCacheLimit (src/EventStore.Core/Settings/ESConsts.cs): the idempotency
 * check for `any`/`stream_exists` only knows the event ids this bounded cache still holds.
 */
const COMMITTED_EVENTS_CACHE_BYTES = 8 * 1024 * 1024;

export class TransactionLog {
  private readonly records: EventRecord[] = [];
  private readonly streams = new Map<string, EventRecord[]>();
  private readonly committedEvents = new CommittedEventsCache(COMMITTED_EVENTS_CACHE_BYTES);
  private readonly listeners = new Set<(records: readonly EventRecord[]) => void>();
  private writerPosition = 0;

  /** The writer checkpoint: everything written is indexed at once, so also the last indexed position. */
  get position(): number {
    return this.writerPosition;
  }

  get size(): number {
    return this.records.length;
  }

  at(index: number): EventRecord | undefined {
    return this.records[index];
  }

  stream(streamId: string): readonly EventRecord[] | undefined {
    return this.streams.get(streamId);
  }

  /**
   * Appends atomically, or answers why not. Follows StorageWriterService.Handle(WritePrepares) and
   * IndexWriter.CheckCommit (src/EventStore.Core/Services/Storage/): an idempotent retry answers with
   * the original write's last event (RequestManagerBase.Handle(AlreadyCommitted)).
   */
  write(streamId: string, expectedVersion: number, events: readonly ProposedEvent[]): WriteResult {
    const check = this.checkCommit(streamId, expectedVersion, events.map((event) => event.eventId));
    if (check.kind !== 'ok') return check;
    const stream = this.streams.get(streamId) ?? [];
    const created = Date.now();
    const written: EventRecord[] = [];
    for (const event of events) {
      const logPosition = this.writerPosition;
      const record: EventRecord = {
        ...event,
        logPosition,
        postPosition: logPosition + prepareSizeOnDisk(streamId, event),
        streamId,
        eventNumber: stream.length,
        created,
      };
      stream.push(record);
      this.records.push(record);
      this.committedEvents.put(record);
      this.writerPosition = record.postPosition;
      written.push(record);
    }
    if (written.length === 0) return { kind: 'success', lastEventNumber: check.currentVersion, logPosition: this.writerPosition };
    this.streams.set(streamId, stream);
    for (const listener of this.listeners) listener(written);
    // WriteEvents.ClientSuccessMsg: the position of the TransactionEnd prepare, i.e. of the last event (StorageChaser.ProcessPrepareRecord).
    const last = written[written.length - 1];
    return { kind: 'success', lastEventNumber: last.eventNumber, logPosition: last.logPosition };
  }

  /** Index of the first record at or after `pos` (forward reads are inclusive: AllReader.ReadAllEventsForwardInternal). */
  firstIndexFrom(pos: TfPos): number {
    const from = this.resolve(pos);
    let index = this.lowerBound(from.commit);
    const record = this.records[index];
    if (record && comparePos({ commit: record.logPosition, prepare: record.logPosition }, from) < 0) index++;
    return index;
  }

  /** Index of the last record whose post-position is at or before `pos` (AllReader.ReadAllEventsBackwardInternal), -1 if none. */
  lastIndexBefore(pos: TfPos): number {
    const from = this.resolve(pos);
    let index = this.lowerBound(from.commit) - 1;
    // A record ending exactly at `commit` is included only if its post-position also passes the prepare part.
    const record = this.records[index];
    if (record && comparePos({ commit: record.postPosition, prepare: record.postPosition }, from) > 0) index--;
    return index;
  }

  /** Live notification of every committed record, in log order (SubscriptionsService.Handle(CommitIndexed)). */
  onCommitted(listener: (records: readonly EventRecord[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * HeadOfTf means the writer checkpoint; other positions must be record boundaries, as the chunk
   * reader repositions there (StorageReaderWorker answers InvalidPosition otherwise).
   */
  private resolve(pos: TfPos): TfPos {
    if (pos.commit === HEAD_OF_TF.commit && pos.prepare === HEAD_OF_TF.prepare) {
      return { commit: this.writerPosition, prepare: this.writerPosition };
    }
    if (pos.commit < 0 || pos.prepare < 0) throw new InvalidPositionError();
    if (pos.commit < this.writerPosition && this.records[this.lowerBound(pos.commit)]?.logPosition !== pos.commit) {
      throw new InvalidPositionError();
    }
    return pos;
  }

  /** First index whose logPosition >= position. */
  private lowerBound(position: number): number {
    let low = 0;
    let high = this.records.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.records[middle].logPosition < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** IndexWriter.CheckCommit, for a log without soft deletes or transactions. */
  private checkCommit(
    streamId: string,
    expectedVersion: number,
    eventIds: readonly string[],
  ): { kind: 'ok'; currentVersion: number } | WriteResult {
    const stream = this.streams.get(streamId);
    const currentVersion = stream ? stream.length - 1 : ExpectedVersion.NoStream;
    const ok = { kind: 'ok' as const, currentVersion };
    const wrong = { kind: 'wrong-expected-version' as const, currentVersion };
    if (expectedVersion === ExpectedVersion.StreamExists && currentVersion < 0) return wrong;

    if (expectedVersion === ExpectedVersion.Any || expectedVersion === ExpectedVersion.StreamExists) {
      // Idempotent when every id is a committed event of this stream; corrupted when only some are.
      let last: EventRecord | undefined;
      for (const [i, eventId] of eventIds.entries()) {
        const known = this.committedEvents.get(eventId);
        if (!known || known.streamId !== streamId) return i === 0 ? ok : wrong;
        last = known;
      }
      return last ? { kind: 'success', lastEventNumber: last.eventNumber, logPosition: last.logPosition } : ok;
    }

    if (expectedVersion < currentVersion) {
      // A retry of the write that followed `expectedVersion`: the same ids at the same event numbers.
      let eventNumber = expectedVersion;
      for (const eventId of eventIds) {
        eventNumber++;
        if (stream?.[eventNumber]?.eventId !== eventId) return wrong;
      }
      if (eventNumber === expectedVersion || !stream) return wrong;
      const last = stream[eventNumber];
      return { kind: 'success', lastEventNumber: last.eventNumber, logPosition: last.logPosition };
    }
    return expectedVersion > currentVersion ? wrong : ok;
  }
}

/**
 * PrepareLogRecord.SizeOnDisk (src/EventStore.Core/TransactionLog/LogRecords/PrepareLogRecord.cs):
 * positions advance by the size of the record the server would write.
 */
function prepareSizeOnDisk(streamId: string, event: ProposedEvent): number {
  return (
    2 * 4 /* length prefix and suffix */ +
    1 /* record type */ +
    1 /* version */ +
    8 /* log position */ +
    2 /* flags */ +
    8 /* transaction position */ +
    4 /* transaction offset */ +
    8 /* expected version */ +
    stringSizeWithLengthPrefix(streamId) +
    16 /* event id */ +
    16 /* correlation id */ +
    8 /* timestamp */ +
    stringSizeWithLengthPrefix(event.type) +
    4 +
    event.data.length +
    4 +
    event.metadata.length
  );
}

/** BinaryWriter.Write(string): a 7-bit encoded byte count, then UTF-8. */
function stringSizeWithLengthPrefix(value: string): number {
  const bytes = Buffer.byteLength(value, 'utf8');
  let prefix = 1;
  for (let rest = bytes >>> 7; rest > 0; rest >>>= 7) prefix++;
  return prefix + bytes;
}

/** The server's BoundedCache<Guid, EventInfo> of committed event ids, sized like IndexWriter does; oldest entries go first. */
class CommittedEventsCache {
  private readonly entries = new Map<string, EventRecord>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(eventId: string): EventRecord | undefined {
    return this.entries.get(eventId);
  }

  put(record: EventRecord): void {
    this.entries.set(record.eventId, record);
    this.bytes += entrySize(record);
    for (const [eventId, oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(eventId);
      this.bytes -= entrySize(oldest);
    }
  }
}

/** IndexWriter: 16 + 4 + IntPtr.Size + the size of the stream id string (a .NET string: 24 bytes + 2 per char). */
function entrySize(record: EventRecord): number {
  return 16 + 4 + 8 + 24 + 2 * record.streamId.length;
}
