import { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { HEAD_OF_TF, type EventRecord, type TfPos } from './transaction-log';

/**
 * Conversions between the wire messages and the log, as in ResponseConverter
 * (src/EventStore.Core/Services/Transport/Grpc/Streams.Read.cs), Uuid.cs and StreamIdentifier.cs
 * (kurrent-io/KurrentDB@v24.10.14).
 */

const UINT64_MAX = (1n << 64n) - 1n;
/** .NET ticks (100 ns) per millisecond: `created` is sent as ticks since the Unix epoch. */
const TICKS_PER_MS = 10_000n;

export function streamName(identifier: StreamIdentifier | undefined): string {
  return identifier ? Buffer.from(identifier.getStreamName_asU8()).toString('utf8') : '';
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new StreamIdentifier().setStreamName(Buffer.from(name, 'utf8'));
}

/** Event ids as the server's Guid: a canonical lower-case string, from the string or the structured form. */
export function parseUuid(uuid: UUID | undefined): string {
  const structured = uuid?.getStructured();
  if (structured) {
    const hex = [structured.getMostSignificantBits(), structured.getLeastSignificantBits()]
      .map((bits) => BigInt.asUintN(64, BigInt(bits)).toString(16).padStart(16, '0'))
      .join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return uuid?.getString().toLowerCase() ?? '';
}

/** ReadReq.Options.UUIDOption: the string form, or Uuid.ToDto's signed 64-bit halves. */
export function toUuid(id: string, structured: boolean): UUID {
  const uuid = new UUID();
  if (!structured) return uuid.setString(id);
  const hex = id.replace(/-/g, '');
  const half = (part: string) => BigInt.asIntN(64, BigInt(`0x${part}`)).toString();
  return uuid.setStructured(new UUID.Structured().setMostSignificantBits(half(hex.slice(0, 16))).setLeastSignificantBits(half(hex.slice(16))));
}

/** Position.ToInt64: ulong.MaxValue (Position.End) becomes -1, i.e. HeadOfTf. */
export function toTfPos(position: ReadReq.Options.Position): TfPos {
  const commit = BigInt(position.getCommitPosition());
  const prepare = BigInt(position.getPreparePosition());
  if (commit === UINT64_MAX && prepare === UINT64_MAX) return HEAD_OF_TF;
  const clamp = (value: bigint) => Number(value > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : value);
  return { commit: clamp(commit), prepare: clamp(prepare) };
}

export function recordPos(record: EventRecord): TfPos {
  return { commit: record.logPosition, prepare: record.logPosition };
}

/** ResponseConverter.ConvertToReadEvent: the event with its position and metadata (type, created, content-type). */
export function readEventResponse(record: EventRecord, structuredUuid: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuid(record.eventId, structuredUuid))
    .setStreamIdentifier(streamIdentifier(record.streamId))
    .setStreamRevision(String(record.eventNumber))
    .setCommitPosition(String(record.logPosition))
    .setPreparePosition(String(record.logPosition))
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('created', (BigInt(record.created) * TICKS_PER_MS).toString())
    .set('content-type', record.isJson ? 'application/json' : 'application/octet-stream');
  const event = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.logPosition));
  return new ReadResp().setEvent(event);
}
