import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import { AccessDenied, BadRequest, MaximumAppendSizeExceeded, Timeout, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { ExpectedVersion } from './transaction-log';

/**
 * gRPC errors as the server raises them: a status code and detail, plus `exception` trailers the
 * client maps to its error classes (src/EventStore.Core/Services/Transport/Grpc/RpcExceptions.cs and
 * Constants.cs, kurrent-io/KurrentDB@v24.10.14).
 */
export function rpcError(code: status, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export const RpcExceptions = {
  maxAppendSizeExceeded: (maxAppendSize: number) =>
    rpcError(status.INVALID_ARGUMENT, `Maximum Append Size of ${maxAppendSize} Exceeded.`, {
      exception: 'maximum-append-size-exceeded',
      'maximum-append-size': String(maxAppendSize),
    }),
  requiredMetadataPropertyMissing: (property: string) =>
    rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': 'type,content-type',
    }),
  invalidArgument: (message: string) => rpcError(status.INVALID_ARGUMENT, message),
  invalidPosition: () => rpcError(status.INVALID_ARGUMENT, 'Trying to read from an invalid position.'),
  /** What ASP.NET Core gRPC answers when a handler throws something that is not an RpcException. */
  unhandled: () => rpcError(status.UNKNOWN, 'Exception was thrown by handler.'),
};

/** google.rpc.Status answers of BatchAppend (src/EventStore.Core/Services/Transport/Grpc/Status.cs). */
export const BatchStatus = {
  /** Code.AlreadyExists with a WrongExpectedVersion detail (WrongExpectedVersion.Create in WrongExpectedVersion.cs). */
  wrongExpectedVersion(currentVersion: number, expectedVersion: number): Status {
    const detail = new WrongExpectedVersion();
    if (currentVersion < 0) detail.setCurrentNoStream(new ProtobufEmpty());
    else detail.setCurrentStreamRevision(String(currentVersion));
    if (expectedVersion === ExpectedVersion.Any) detail.setExpectedAny(new ProtobufEmpty());
    else if (expectedVersion === ExpectedVersion.NoStream) detail.setExpectedNoStream(new ProtobufEmpty());
    else if (expectedVersion === ExpectedVersion.StreamExists) detail.setExpectedStreamExists(new ProtobufEmpty());
    else detail.setExpectedStreamPosition(String(expectedVersion));
    return batchStatus(status.ALREADY_EXISTS, 'WrongExpectedVersion', detail, 'event_store.client.WrongExpectedVersion');
  },
  maximumAppendSizeExceeded(maxAppendSize: number): Status {
    const detail = new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize);
    return batchStatus(status.INVALID_ARGUMENT, 'MaximumAppendSizeExceeded', detail, 'event_store.client.MaximumAppendSizeExceeded');
  },
  timeout(): Status {
    return batchStatus(status.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'event_store.client.Timeout');
  },
  accessDenied(): Status {
    return batchStatus(status.PERMISSION_DENIED, 'AccessDenied', new AccessDenied(), 'event_store.client.AccessDenied');
  },
  badRequest(message: string): Status {
    return batchStatus(status.INVALID_ARGUMENT, 'BadRequest', new BadRequest().setMessage(message), 'event_store.client.BadRequest');
  },
};

function batchStatus(code: status, message: string, detail: { serializeBinary(): Uint8Array }, typeName: string): Status {
  const details = new Any();
  details.pack(detail.serializeBinary(), typeName);
  return new Status().setCode(code as number).setMessage(message).setDetails(details);
}
