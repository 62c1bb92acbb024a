import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { CallCancelledError, send, type ResponseStream } from './call-flow';
import { DEFAULT_ALL_FILTER, type EventFilter } from './event-filter';
import { readEventResponse, recordPos } from './proto-convert';
import { comparePos, HEAD_OF_TF, type EventRecord, type TfPos, type TransactionLog } from './transaction-log';

/**
 * A catch-up subscription to $all: Enumerator.AllSubscription and Enumerator.AllSubscriptionFiltered
 * (src/EventStore.Core/Services/Transport/Enumerators/, kurrent-io/KurrentDB@v24.10.14) with the live
 * side of SubscriptionsService.ProcessEventCommited (src/EventStore.Core/Services/SubscriptionsService.cs).
 *
 * It subscribes to live events first, confirms, then alternates catch-up (page reads from the last
 * position sent, exclusive) and live (a bounded queue that drops its oldest entries; a gap in its
 * sequence numbers sends the subscription back to catch-up). The caught-up message is sent each
 * time it goes live.
 */

/** Enumerator.ReadBatchSize and MaxLiveEventBufferCount. */
const READ_BATCH_SIZE = 32;
const MAX_LIVE_EVENT_BUFFER_COUNT = 32;
/** TFPos.FirstRecordOfTf. */
const FIRST_RECORD_OF_TF: TfPos = { commit: 0, prepare: 0 };

export interface AllSubscriptionOptions {
  /** `start`, `end` or a position (exclusive). */
  from: TfPos | 'start' | 'end';
  /** Null: an unfiltered subscription (no checkpoints). */
  filter: { eventFilter: EventFilter; maxSearchWindow: number; checkpointIntervalMultiplier: number } | null;
  structuredUuid: boolean;
  subscriptionId: string;
}

type LiveItem = { event: EventRecord; checkpoint?: undefined } | { event?: undefined; checkpoint: TfPos };

export async function runAllSubscription(
  call: ResponseStream<ReadResp>,
  log: TransactionLog,
  options: AllSubscriptionOptions,
  signal: AbortSignal,
): Promise<void> {
  const eventFilter = options.filter?.eventFilter ?? DEFAULT_ALL_FILTER;
  const maxSearchWindow = options.filter?.maxSearchWindow ?? Number.POSITIVE_INFINITY;
  const checkpointInterval = options.filter ? options.filter.checkpointIntervalMultiplier * options.filter.maxSearchWindow : null;
  const out = new SubscriptionWriter(call, options.structuredUuid);

  // SubscribeToLive: the confirmation carries the last indexed position; later commits go to the live queue.
  const live = new LiveQueue<LiveItem>(MAX_LIVE_EVENT_BUFFER_COUNT);
  const lastRecord = log.at(log.size - 1);
  const confirmationLastPos: TfPos = lastRecord ? recordPos(lastRecord) : HEAD_OF_TF;
  let checkpointIntervalCurrent = 0;
  const unsubscribe = log.onCommitted((records) => {
    for (const record of records) {
      if (eventFilter.allows(record)) live.push({ event: record });
      if (checkpointInterval === null) continue;
      // Live checkpoints count every committed event, filtered out or not.
      if (++checkpointIntervalCurrent >= checkpointInterval) {
        live.push({ checkpoint: recordPos(record) });
        checkpointIntervalCurrent = 0;
      }
    }
  });

  try {
    await send(call, new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(options.subscriptionId)));
    // The position most recently sent on: events after it, checkpoints at or after it.
    let checkpoint = options.from === 'start' ? HEAD_OF_TF : options.from === 'end' ? confirmationLastPos : options.from;
    let sequenceNumber = 0;
    if (comparePos(checkpoint, confirmationLastPos) >= 0) ({ checkpoint, sequenceNumber } = await goLive(checkpoint, sequenceNumber));
    for (;;) {
      checkpoint = await catchUp(checkpoint);
      ({ checkpoint, sequenceNumber } = await goLive(checkpoint, sequenceNumber));
    }
  } catch (error) {
    if (!(error instanceof CallCancelledError)) throw error;
  } finally {
    unsubscribe();
  }

  async function catchUp(from: TfPos): Promise<TfPos> {
    let checkpoint = from;
    let pagePos = from;
    let checkpointIntervalCounter = 0;
    for (;;) {
      if (signal.aborted) throw new CallCancelledError();
      const page = readPage(log, pagePos, eventFilter, maxSearchWindow);
      for (const record of page.records) {
        // Only the first event of the first page can be at the start position (reads are inclusive).
        if (comparePos(recordPos(record), checkpoint) <= 0) continue;
        await out.event(record);
        checkpoint = recordPos(record);
      }
      if (checkpointInterval === null) {
        if (page.isEndOfStream) return checkpoint;
      } else {
        // Filtered-out records move the checkpoint on, up to the start of the page.
        if (comparePos(checkpoint, page.currentPos) < 0 && comparePos(page.currentPos, page.nextPos) < 0) checkpoint = page.currentPos;
        checkpointIntervalCounter += page.consideredEventsCount;
        if (page.isEndOfStream) {
          if (comparePos(checkpoint, FIRST_RECORD_OF_TF) < 0 && comparePos(FIRST_RECORD_OF_TF, page.nextPos) < 0) checkpoint = FIRST_RECORD_OF_TF;
          // At least one checkpoint within the interval when going live.
          await out.checkpoint(checkpoint);
          return checkpoint;
        }
        if (checkpointIntervalCounter >= checkpointInterval) {
          checkpointIntervalCounter %= checkpointInterval;
          await out.checkpoint(checkpoint);
        }
      }
      pagePos = page.nextPos;
      // A page may send nothing (all filtered out): let other calls and cancellations in between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  async function goLive(from: TfPos, lastSequenceNumber: number): Promise<{ checkpoint: TfPos; sequenceNumber: number }> {
    let checkpoint = from;
    let sequenceNumber = lastSequenceNumber;
    await send(call, new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    for (;;) {
      const next = await live.next(signal);
      const sequenceCorrect = next.sequenceNumber === sequenceNumber + 1;
      sequenceNumber = next.sequenceNumber;
      const { event, checkpoint: liveCheckpoint } = next.item;
      // Already sent (or before the requested start): skip, even across a gap.
      if (event && comparePos(recordPos(event), checkpoint) <= 0) continue;
      if (liveCheckpoint && comparePos(liveCheckpoint, checkpoint) < 0) continue;
      if (!sequenceCorrect) {
        // The live queue dropped something: fall behind (not sent to clients) and catch up again.
        if (checkpointInterval !== null) await out.checkpoint(checkpoint);
        return { checkpoint, sequenceNumber };
      }
      if (event) {
        await out.event(event);
        checkpoint = recordPos(event);
      } else if (liveCheckpoint) {
        await out.checkpoint(liveCheckpoint);
        checkpoint = liveCheckpoint;
      }
    }
  }
}

interface Page {
  records: EventRecord[];
  currentPos: TfPos;
  nextPos: TfPos;
  isEndOfStream: boolean;
  consideredEventsCount: number;
}

/**
 * One page of (Filtered)ReadAllEventsForward (AllReader.ReadAllEventsForwardInternal): up to
 * READ_BATCH_SIZE matching events among at most `maxSearchWindow` considered ones; the next page
 * starts after the last considered record.
 */
function readPage(log: TransactionLog, start: TfPos, filter: EventFilter, maxSearchWindow: number): Page {
  // Enumerator ReadPage: a checkpoint before the first record reads from the start of the log.
  const currentPos = start.commit < 0 && start.prepare < 0 ? FIRST_RECORD_OF_TF : start;
  const records: EventRecord[] = [];
  let nextPos = currentPos;
  let consideredEventsCount = 0;
  let isEndOfStream = false;
  let index = log.firstIndexFrom(currentPos);
  while (records.length < READ_BATCH_SIZE && consideredEventsCount < maxSearchWindow) {
    const record = log.at(index++);
    if (!record) {
      isEndOfStream = true;
      break;
    }
    consideredEventsCount++;
    if (filter.allows(record)) records.push(record);
    nextPos = { commit: record.postPosition, prepare: 0 };
  }
  // An unfiltered read ends when it returns fewer events than asked (ReadAllEventsForwardCompleted.IsEndOfStream).
  if (maxSearchWindow === Number.POSITIVE_INFINITY) isEndOfStream = records.length < READ_BATCH_SIZE;
  return { records, currentPos, nextPos, isEndOfStream, consideredEventsCount };
}

/**
 * AllSubscriptionFiltered.MoveNextAsync: never an event at or before the last one sent, nor a
 * checkpoint at or before the last checkpoint sent (the same checkpoint can come from catch-up and live).
 */
class SubscriptionWriter {
  private lastEvent: TfPos | null = null;
  private lastCheckpoint: TfPos | null = null;

  constructor(
    private readonly call: ResponseStream<ReadResp>,
    private readonly structuredUuid: boolean,
  ) {}

  async event(record: EventRecord): Promise<void> {
    const position = recordPos(record);
    if (this.lastEvent && comparePos(position, this.lastEvent) <= 0) return;
    this.lastEvent = position;
    await send(this.call, readEventResponse(record, this.structuredUuid));
  }

  async checkpoint(position: TfPos): Promise<void> {
    if (position.commit === HEAD_OF_TF.commit && position.prepare === HEAD_OF_TF.prepare) return;
    if (this.lastCheckpoint && comparePos(position, this.lastCheckpoint) <= 0) return;
    this.lastCheckpoint = position;
    const checkpoint = new ReadResp.Checkpoint().setCommitPosition(String(position.commit)).setPreparePosition(String(position.prepare));
    await send(this.call, new ReadResp().setCheckpoint(checkpoint));
  }
}

/** The live channel: bounded, drops the oldest entry when full (LiveChannelOptions, BoundedChannelFullMode.DropOldest). */
class LiveQueue<T> {
  private readonly items: Array<{ sequenceNumber: number; item: T }> = [];
  private lastSequenceNumber = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.items.push({ sequenceNumber: ++this.lastSequenceNumber, item });
    if (this.items.length > this.capacity) this.items.shift();
    this.wake?.();
  }

  async next(signal: AbortSignal): Promise<{ sequenceNumber: number; item: T }> {
    for (;;) {
      if (signal.aborted) throw new CallCancelledError();
      const next = this.items.shift();
      if (next) return next;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.wake = null;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done);
      });
    }
  }
}
