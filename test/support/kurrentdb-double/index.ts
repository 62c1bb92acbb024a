import { Server, ServerCredentials } from '@grpc/grpc-js';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { handleGetSupportedMethods, handleGossipRead } from './node-services';
import { handleAppend, handleBatchAppend } from './streams-append';
import { handleRead } from './streams-read';
import { writeStartupEvents, writeStatsPeriodically } from './system-events';
import { TransactionLog } from './transaction-log';

/**
 * A wire-level KurrentDB double: a gRPC server on loopback speaking the protocol of KurrentDB 24.10
 * (Streams Read/Append/BatchAppend, ServerFeatures, Gossip) over an in-memory log, for the real
 * @eventstore/db-client. Its behaviour follows the server's sources (kurrent-io/KurrentDB@v24.10.14),
 * cited where each behaviour is implemented. Insecure only (`?tls=false`); no authentication.
 */
export interface KurrentDbDouble {
  connectionString: string;
  port: number;
  close(): Promise<void>;
}

export interface KurrentDbDoubleOptions {
  /** 0 (the default): any free port. */
  port?: number;
  /** ClusterVNodeOptions.MaxAppendSize: 1 MiB by default, at most 16 MiB less the log record overhead. */
  maxAppendSize?: number;
  /** --write-stats-to-db with --stats-period-sec: a $statsCollected system event every period. Off by default, as on the server. */
  statsPeriodMs?: number;
  /**
   * Tests only, no server behaviour: asked before each append is written (after its checks); true holds
   * it, as a stalled server would: nothing is written and no answer comes until the client gives up (its
   * deadline) or goes away. Lets a test stop a writer at a known point of its work and kill it there.
   */
  holdWrite?(streamId: string, events: number): boolean;
}

const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;
/** TFConsts.EffectiveMaxLogRecordSize: the limit of MaxAppendSize and of a gRPC message to Streams (ClusterVNodeStartup). */
const EFFECTIVE_MAX_LOG_RECORD_SIZE = 16 * 1024 * 1024 - 10_000;
const HOST = '127.0.0.1';

export async function startKurrentDbDouble(options: KurrentDbDoubleOptions = {}): Promise<KurrentDbDouble> {
  const maxAppendSize = options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE;
  // ClusterVNodeOptionsValidator and ClusterVNodeStartup (Ensure.Positive) refuse other sizes.
  if (!Number.isInteger(maxAppendSize) || maxAppendSize <= 0 || maxAppendSize > EFFECTIVE_MAX_LOG_RECORD_SIZE) {
    throw new RangeError(`maxAppendSize must be a positive integer of at most ${EFFECTIVE_MAX_LOG_RECORD_SIZE} bytes`);
  }

  const log = new TransactionLog();
  const server = new Server({ 'grpc.max_receive_message_length': EFFECTIVE_MAX_LOG_RECORD_SIZE });
  let port = options.port ?? 0;
  const limits = { maxAppendSize, holdWrite: options.holdWrite };
  const streams = { read: handleRead(log), append: handleAppend(log, limits), batchAppend: handleBatchAppend(log, limits) };
  // Delete and Tombstone are not implemented: grpc-js answers UNIMPLEMENTED, and ServerFeatures does not list them.
  server.addService(StreamsService, streams);
  server.addService(ServerFeaturesService, { getSupportedMethods: handleGetSupportedMethods });
  server.addService(GossipService, { read: handleGossipRead(() => ({ host: HOST, port })) });

  port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${HOST}:${port}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const endpoint = `${HOST}:${port}`;
  writeStartupEvents(log, endpoint);
  const stopStats = options.statsPeriodMs ? writeStatsPeriodically(log, endpoint, options.statsPeriodMs) : () => undefined;

  let closed: Promise<void> | undefined;
  return {
    connectionString: `esdb://${endpoint}?tls=false`,
    port,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        stopStats();
        // Subscriptions never end on their own: cancel every call rather than wait for them.
        server.forceShutdown();
        resolve();
      })),
  };
}
