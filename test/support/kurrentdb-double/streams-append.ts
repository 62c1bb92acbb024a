import { Metadata, type Deadline, type ServerDuplexStream, type ServerReadableStream, type sendUnaryData } from '@grpc/grpc-js';
import { AllStreamPosition, Empty, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { Status } from '@eventstore/db-client/generated/status_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { parseUuid, streamIdentifier, streamName, toUuid } from './proto-convert';
import { BatchStatus, RpcExceptions } from './rpc-errors';
import { ExpectedVersion, type ProposedEvent, type TransactionLog, type WriteResult } from './transaction-log';

/**
 * Streams.Append and Streams.BatchAppend (src/EventStore.Core/Services/Transport/Grpc/Streams.Append.cs,
 * Streams.BatchAppend.cs, kurrent-io/KurrentDB@v24.10.14). The write itself is TransactionLog.write.
 */

export interface AppendLimits {
  /** ClusterVNodeOptions.MaxAppendSize: bytes of data, metadata and type of all events of one append. */
  maxAppendSize: number;
  /** Tests: true holds this write (a stalled server): it is neither written nor answered. See KurrentDbDoubleOptions.holdWrite. */
  holdWrite?(streamId: string, events: number): boolean;
}

/** ClusterVNodeOptions.WriteTimeoutMs: a batch append waits at most this long for its final chunk. */
const WRITE_TIMEOUT_MS = 2_000;

type ProposedMessage = AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage;

/**
 * Append: options first, then one proposed message per request; the size limit is checked while
 * reading, and the write happens once the client has sent everything (a cancelled call writes nothing,
 * as StorageWriterService skips cancelled writes). A wrong expected version is an answer, not an error.
 */
export function handleAppend(log: TransactionLog, limits: AppendLimits) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let options: AppendReq.Options | undefined;
    let expectedVersion = 0;
    const events: ProposedEvent[] = [];
    let size = 0;
    let answered = false;
    const answer = (...args: Parameters<sendUnaryData<AppendResp>>) => {
      if (answered) return;
      answered = true;
      call.removeAllListeners('data');
      callback(...args);
    };

    call.on('data', (request: AppendReq) => {
      try {
        if (!options) {
          // The server throws InvalidOperationException: the client sees an unhandled exception.
          options = request.getOptions();
          if (!options) throw RpcExceptions.unhandled();
          expectedVersion = appendExpectedVersion(options);
          return;
        }
        const message = request.getProposedMessage();
        if (!message) throw RpcExceptions.unhandled();
        const event = toProposedEvent(message);
        size += sizeOnDisk(event);
        if (size > limits.maxAppendSize) throw RpcExceptions.maxAppendSizeExceeded(limits.maxAppendSize);
        events.push(event);
      } catch (error) {
        answer(asRpcError(error));
      }
    });
    // grpc-js also ends the request stream when the client resets it (cancel, deadline), and reports the
    // cancellation only once it looks at the HTTP/2 stream again: sending the response headers makes it look;
    // the decision comes a turn later.
    call.on('end', () => {
      if (answered) return;
      call.sendMetadata(new Metadata());
      setImmediate(() => {
        if (answered || call.cancelled || deadlinePassed(call.getDeadline())) return;
        if (!options) return answer(RpcExceptions.unhandled());
        if (limits.holdWrite?.(streamName(options.getStreamIdentifier()), events.length)) return;
        const result = log.write(streamName(options.getStreamIdentifier()), expectedVersion, events);
        answer(null, toAppendResp(result, expectedVersion));
      });
    });
  };
}

interface PendingWrite {
  streamId: string;
  expectedVersion: number;
  events: ProposedEvent[];
  size: number;
  timer: NodeJS.Timeout;
}

/**
 * BatchAppend: one bidirectional call carries many appends, told apart by correlation id. An append
 * starts with options (stream, expected version, deadline), may span several requests and is written
 * with its final one. Every outcome, errors included, is a response carrying a google.rpc.Status.
 */
export function handleBatchAppend(log: TransactionLog, limits: AppendLimits) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pendingWrites = new Map<string, PendingWrite>();
    const respond = (response: BatchAppendResp) => {
      if (!call.cancelled && !call.destroyed && call.writable) call.write(response);
    };
    const dropPending = () => {
      for (const write of pendingWrites.values()) clearTimeout(write.timer);
      pendingWrites.clear();
    };

    call.on('data', (request: BatchAppendReq) => {
      const correlationId = request.getCorrelationId() ?? new UUID();
      const id = parseUuid(correlationId);
      const options = request.getOptions();
      const error = (status: Status, stream = options?.getStreamIdentifier()) =>
        respond(new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(stream).setError(status));
      try {
        if (options) {
          if (!options.hasStreamIdentifier()) return error(BatchStatus.badRequest('Required field StreamIdentifier not set.'));
          const timeoutMs = Math.min(requestedTimeoutMs(options), WRITE_TIMEOUT_MS);
          if (timeoutMs <= 0) return error(BatchStatus.timeout());
          if (!pendingWrites.has(id)) {
            const streamId = streamName(options.getStreamIdentifier());
            // A write still incomplete at its deadline answers Timeout (its correlation id in the structured form: Uuid.ToDto).
            const timer = setTimeout(() => {
              if (!pendingWrites.delete(id)) return;
              respond(
                new BatchAppendResp().setCorrelationId(toUuid(id, true)).setStreamIdentifier(streamIdentifier(streamId)).setError(BatchStatus.timeout()),
              );
            }, timeoutMs).unref();
            pendingWrites.set(id, { streamId, expectedVersion: batchExpectedVersion(options), events: [], size: 0, timer });
          }
        }
        const write = pendingWrites.get(id);
        if (!write) return;
        for (const message of request.getProposedMessagesList()) {
          const event = toProposedEvent(message);
          write.size += sizeOnDisk(event);
          write.events.push(event);
        }
        if (write.size > limits.maxAppendSize) {
          forget(id);
          return error(BatchStatus.maximumAppendSizeExceeded(limits.maxAppendSize), streamIdentifier(write.streamId));
        }
        if (!request.getIsFinal() || !forget(id) || call.cancelled) return;
        if (limits.holdWrite?.(write.streamId, write.events.length)) return;
        const result = log.write(write.streamId, write.expectedVersion, write.events);
        const response = new BatchAppendResp().setCorrelationId(correlationId).setStreamIdentifier(streamIdentifier(write.streamId));
        respond(
          result.kind === 'success'
            ? response.setSuccess(batchSuccess(result))
            : response.setError(BatchStatus.wrongExpectedVersion(result.currentVersion, write.expectedVersion)),
        );
      } catch (caught) {
        forget(id);
        error(BatchStatus.badRequest(caught instanceof Error ? caught.message : String(caught)));
      }
    });
    // The server ends the call once the client has closed its side and every pending answer is out.
    call.on('end', () => {
      dropPending();
      if (!call.cancelled) call.end();
    });
    call.on('cancelled', dropPending);

    function forget(id: string): boolean {
      const write = pendingWrites.get(id);
      if (write) clearTimeout(write.timer);
      return pendingWrites.delete(id);
    }
  };
}

function deadlinePassed(deadline: Deadline): boolean {
  return deadline !== Infinity && new Date(deadline).getTime() <= Date.now();
}

/** AppendReq.Options.ExpectedStreamRevisionCase, as ExpectedVersion values. */
function appendExpectedVersion(options: AppendReq.Options): number {
  const { REVISION, NO_STREAM, ANY, STREAM_EXISTS } = AppendReq.Options.ExpectedStreamRevisionCase;
  switch (options.getExpectedStreamRevisionCase()) {
    case REVISION:
      return Number(options.getRevision());
    case NO_STREAM:
      return ExpectedVersion.NoStream;
    case ANY:
      return ExpectedVersion.Any;
    case STREAM_EXISTS:
      return ExpectedVersion.StreamExists;
    default:
      throw RpcExceptions.invalidArgument(`'${options.getExpectedStreamRevisionCase()}' is not a valid ExpectedStreamRevisionOneofCase`);
  }
}

function batchExpectedVersion(options: BatchAppendReq.Options): number {
  const { STREAM_POSITION, NO_STREAM, ANY, STREAM_EXISTS } = BatchAppendReq.Options.ExpectedStreamPositionCase;
  switch (options.getExpectedStreamPositionCase()) {
    case STREAM_POSITION:
      return Number(options.getStreamPosition());
    case NO_STREAM:
      return ExpectedVersion.NoStream;
    case ANY:
      return ExpectedVersion.Any;
    case STREAM_EXISTS:
      return ExpectedVersion.StreamExists;
    default:
      throw new Error(`'${options.getExpectedStreamPositionCase()}' is not a valid ExpectedStreamPositionOneofCase`);
  }
}

/**
 * GetRequestedTimeout: the client library of this repository sends the deadline as a timestamp
 * (deadline_21_10_0); without one, there is no limit but the write timeout.
 */
function requestedTimeoutMs(options: BatchAppendReq.Options): number {
  const deadline = options.getDeadline();
  return deadline ? deadline.toDate().getTime() - Date.now() : Number.POSITIVE_INFINITY;
}

/** The metadata entries `type` and `content-type` are required; the Event constructor refuses empty ids and types. */
function toProposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) throw RpcExceptions.requiredMetadataPropertyMissing('type');
  const contentType = metadata.get('content-type');
  if (contentType === undefined) throw RpcExceptions.requiredMetadataPropertyMissing('content-type');
  const eventId = parseUuid(message.getId());
  if (!eventId || /^[0-]+$/.test(eventId)) throw new Error("Empty eventId provided. (Parameter 'eventId')");
  if (!type) throw new Error("Empty eventType provided. (Parameter 'eventType')");
  return {
    eventId,
    type,
    isJson: contentType === 'application/json',
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** Event.SizeOnDisk (src/EventStore.Core/Data/Event.cs): data + metadata + two bytes per UTF-16 unit of the type. */
function sizeOnDisk(event: ProposedEvent): number {
  return event.data.length + event.metadata.length + event.type.length * 2;
}

/** HandleWriteEventsCompleted of Streams.Append.cs, with the pre-21.10 fields (…2060) the server still fills. */
function toAppendResp(result: WriteResult, expectedVersion: number): AppendResp {
  if (result.kind === 'success') {
    const success = new AppendResp.Success();
    if (result.lastEventNumber < 0) success.setNoStream(new Empty());
    else success.setCurrentRevision(String(result.lastEventNumber));
    success.setPosition(new AppendResp.Position().setCommitPosition(String(result.logPosition)).setPreparePosition(String(result.logPosition)));
    return new AppendResp().setSuccess(success);
  }
  const wrong = new AppendResp.WrongExpectedVersion();
  if (expectedVersion === ExpectedVersion.Any) wrong.setExpectedAny(new Empty()).setAny2060(new Empty());
  else if (expectedVersion === ExpectedVersion.StreamExists) wrong.setExpectedStreamExists(new Empty()).setStreamExists2060(new Empty());
  // The server also sets expected_revision_2060 to ulong.MaxValue here, which this client's JS encoding cannot represent.
  else if (expectedVersion === ExpectedVersion.NoStream) wrong.setExpectedNoStream(new Empty());
  else wrong.setExpectedRevision(String(expectedVersion)).setExpectedRevision2060(expectedVersion);
  if (result.currentVersion < 0) wrong.setCurrentNoStream(new Empty()).setNoStream2060(new Empty());
  else wrong.setCurrentRevision(String(result.currentVersion)).setCurrentRevision2060(result.currentVersion);
  return new AppendResp().setWrongExpectedVersion(wrong);
}

/** BatchAppendResp.Success.Completed (src/EventStore.Core/Services/Transport/Grpc/BatchAppendResp.cs). */
function batchSuccess(result: Extract<WriteResult, { kind: 'success' }>): BatchAppendResp.Success {
  const success = new BatchAppendResp.Success();
  if (result.lastEventNumber < 0) success.setNoStream(new ProtobufEmpty());
  else success.setCurrentRevision(String(result.lastEventNumber));
  return success.setPosition(new AllStreamPosition().setCommitPosition(String(result.logPosition)).setPreparePosition(String(result.logPosition)));
}

/** RpcExceptions pass as they are; anything else is what ASP.NET Core answers for an unhandled exception. */
function asRpcError(error: unknown): ReturnType<typeof RpcExceptions.unhandled> {
  if (error instanceof Error && 'code' in error) return error as ReturnType<typeof RpcExceptions.unhandled>;
  return RpcExceptions.unhandled();
}
