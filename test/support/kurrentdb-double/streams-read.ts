import { randomUUID } from 'node:crypto';
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { runAllSubscription } from './all-subscription';
import { CallCancelledError, cancellationOf, send } from './call-flow';
import { DEFAULT_ALL_FILTER, expressionFilter, type EventFilter } from './event-filter';
import { readEventResponse, streamIdentifier, streamName, toTfPos } from './proto-convert';
import { rpcError, RpcExceptions } from './rpc-errors';
import { HEAD_OF_TF, InvalidPositionError, type EventRecord, type TfPos, type TransactionLog } from './transaction-log';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;
const { ReadDirection, StreamOptionCase, CountOptionCase, FilterOptionCase } = ReadReq.Options;
/** Enumerator.ReadBatchSize: without a filter window, a filter scans pages of this many events. */
const READ_BATCH_SIZE = 32;

/**
 * Streams.Read (src/EventStore.Core/Services/Transport/Grpc/Streams.Read.cs, kurrent-io/KurrentDB@v24.10.14):
 * dispatches on (stream or $all, count or subscription, direction, filter) like CreateEnumerator.
 * Errors end the call with the server's status; a cancelled call (client, deadline) stops the work.
 */
export function handleRead(log: TransactionLog): (call: ReadCall) => void {
  return (call) => {
    readOrSubscribe(log, call).then(
      () => call.end(),
      (error: unknown) => {
        if (error instanceof CallCancelledError || call.cancelled) return;
        call.emit('error', error instanceof InvalidPositionError ? RpcExceptions.invalidPosition() : toServiceError(error));
      },
    );
  };
}

async function readOrSubscribe(log: TransactionLog, call: ReadCall): Promise<void> {
  const options = call.request.getOptions();
  const uuidOption = options?.getUuidOption();
  if (!options || !uuidOption) throw RpcExceptions.invalidArgument("'uuidOption' is a required argument");
  const structuredUuid = uuidOption.hasStructured();
  const streamCase = options.getStreamOptionCase();
  const countCase = options.getCountOptionCase();
  const backwards = options.getReadDirection() === ReadDirection.BACKWARDS;
  const filtered = options.getFilterOptionCase() === FilterOptionCase.FILTER;
  const signal = cancellationOf(call);

  if (streamCase === StreamOptionCase.STREAM && countCase === CountOptionCase.COUNT && !filtered) {
    await readStream(log, call, options.getStream() ?? new ReadReq.Options.StreamOptions(), BigInt(options.getCount()), backwards, structuredUuid);
    return;
  }
  if (streamCase === StreamOptionCase.ALL && countCase === CountOptionCase.COUNT) {
    const filter = filtered ? toEventFilter(options.getFilter()) : DEFAULT_ALL_FILTER;
    await readAll(log, call, allPosition(options.getAll()), BigInt(options.getCount()), backwards, filter, structuredUuid);
    return;
  }
  if (streamCase === StreamOptionCase.ALL && countCase === CountOptionCase.SUBSCRIPTION && !backwards) {
    const all = options.getAll();
    const from = all?.hasStart() ? 'start' : all?.hasEnd() ? 'end' : allPosition(all);
    const filterOptions = filtered ? options.getFilter() : undefined;
    const filter = filterOptions
      ? {
          eventFilter: toEventFilter(filterOptions),
          // Streams.Read: the count window means ReadBatchSize; the interval is multiplier x window.
          maxSearchWindow: filterOptions.hasMax() ? filterOptions.getMax() : READ_BATCH_SIZE,
          checkpointIntervalMultiplier: filterOptions.getCheckpointintervalmultiplier(),
        }
      : null;
    if (filter && (filter.maxSearchWindow === 0 || filter.checkpointIntervalMultiplier === 0)) {
      throw RpcExceptions.invalidArgument('The filter needs a search window and a checkpoint interval multiplier above 0.');
    }
    await runAllSubscription(call, log, { from, filter, structuredUuid, subscriptionId: randomUUID() }, signal);
    return;
  }
  if (streamCase === StreamOptionCase.STREAM && countCase === CountOptionCase.SUBSCRIPTION) {
    throw rpcError(status.UNIMPLEMENTED, 'Subscriptions to a single stream are not implemented by the KurrentDB double.');
  }
  throw RpcExceptions.invalidArgument(`The combination of (${streamCase}, ${countCase}, ${options.getReadDirection()}, ${options.getFilterOptionCase()}) is invalid.`);
}

/**
 * Enumerator.ReadStreamForwards/Backwards: from start, end or a revision, at most `count` events;
 * a missing stream answers StreamNotFound (a message, then the call ends OK).
 */
async function readStream(
  log: TransactionLog,
  call: ReadCall,
  options: ReadReq.Options.StreamOptions,
  count: bigint,
  backwards: boolean,
  structuredUuid: boolean,
): Promise<void> {
  const name = streamName(options.getStreamIdentifier());
  const events = log.stream(name);
  if (!events) {
    await send(call, new ReadResp().setStreamNotFound(new ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(name))));
    return;
  }
  const last = events.length - 1;
  const revision = options.hasRevision() ? clampToNumber(BigInt(options.getRevision())) : null;
  let sent = 0n;
  if (backwards) {
    const from = options.hasStart() ? 0 : revision === null ? last : Math.min(revision, last);
    for (let i = from; i >= 0 && sent < count; i--, sent++) await send(call, readEventResponse(events[i], structuredUuid));
  } else {
    const from = options.hasEnd() ? last + 1 : (revision ?? 0);
    for (let i = from; i < events.length && sent < count; i++, sent++) await send(call, readEventResponse(events[i], structuredUuid));
  }
}

/**
 * Enumerator.ReadAllForwards/Backwards (and their filtered variants): forwards from a position is
 * inclusive, backwards returns the events before it (AllReader: post-positions <= position).
 */
async function readAll(
  log: TransactionLog,
  call: ReadCall,
  from: TfPos,
  count: bigint,
  backwards: boolean,
  filter: EventFilter,
  structuredUuid: boolean,
): Promise<void> {
  let sent = 0n;
  const emit = async (record: EventRecord | undefined): Promise<boolean> => {
    if (!record) return false;
    if (filter.allows(record)) {
      await send(call, readEventResponse(record, structuredUuid));
      sent++;
    }
    return sent < count;
  };
  if (backwards) {
    for (let i = log.lastIndexBefore(from); i >= 0 && (await emit(log.at(i))); i--);
  } else {
    for (let i = log.firstIndexFrom(from); await emit(log.at(i)); i++);
  }
}

/** ReadReq.Options.AllOptions.ToPosition: start is (0, 0), end is the head of the log. */
function allPosition(options: ReadReq.Options.AllOptions | undefined): TfPos {
  const position = options?.getPosition();
  if (position) return toTfPos(position);
  return options?.hasEnd() ? HEAD_OF_TF : { commit: 0, prepare: 0 };
}

/** Streams.ConvertToEventFilter: a regex when one is given, else prefixes; on the stream name or the event type. */
function toEventFilter(options: ReadReq.Options.FilterOptions | undefined): EventFilter {
  const expression = options?.getStreamIdentifier() ?? options?.getEventType();
  if (!options || !expression) throw RpcExceptions.invalidArgument('A filter needs a stream identifier or an event type expression.');
  const target = options.hasStreamIdentifier() ? 'streamName' : 'eventType';
  try {
    return expressionFilter(target, expression.getRegex() ? { regex: expression.getRegex() } : { prefixes: expression.getPrefixList() });
  } catch (error) {
    throw RpcExceptions.invalidArgument(error instanceof Error ? error.message : String(error));
  }
}

function clampToNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** RpcExceptions pass as they are; anything else is a defect of the double: logged, answered like an unhandled exception. */
function toServiceError(error: unknown): object {
  if (typeof error === 'object' && error !== null && 'code' in error) return error;
  console.error('KurrentDB double: Read failed', error);
  return RpcExceptions.unhandled();
}
