import { randomUUID } from 'node:crypto';
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { ClusterInfo, EndPoint, MemberInfo } from '@eventstore/db-client/generated/gossip_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { toUuid } from './proto-convert';

/** The KurrentDB release whose behaviour the double follows. */
export const SERVER_VERSION = '24.10.14';

/**
 * ServerFeatures.GetSupportedMethods (src/EventStore.Core/Services/Transport/Grpc/ServerFeatures.cs,
 * kurrent-io/KurrentDB@v24.10.14): lower-case service and method names with the features the server
 * attaches. Only the methods the double implements are listed, so the client picks BatchAppend.
 */
export function handleGetSupportedMethods(_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void {
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const streams = 'event_store.client.streams.streams';
  callback(
    null,
    new SupportedMethods()
      .setEventStoreServerVersion(SERVER_VERSION)
      .setMethodsList([
        method(streams, 'read', ['position', 'events']),
        method(streams, 'append'),
        // The server also lists the feature deadline_duration (a Duration deadline); the double reads the
        // timestamp deadline of this client's protocol only, so it does not claim it.
        method(streams, 'batchappend'),
        method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
        method('event_store.client.gossip.gossip', 'read'),
      ]),
  );
}

/** Gossip.Read (Gossip.Read.cs): a single-node cluster, alive and leader, reachable where the double listens. */
export function handleGossipRead(address: () => { host: string; port: number }) {
  const instanceId = toUuid(randomUUID(), true);
  return (_call: ServerUnaryCall<Empty, ClusterInfo>, callback: sendUnaryData<ClusterInfo>): void => {
    const { host, port } = address();
    const member = new MemberInfo()
      .setInstanceId(instanceId)
      // DateTime.ToTicksSinceEpoch: 100 ns ticks since the Unix epoch.
      .setTimeStamp((BigInt(Date.now()) * 10_000n).toString())
      .setState(MemberInfo.VNodeState.LEADER)
      .setIsAlive(true)
      .setHttpEndPoint(new EndPoint().setAddress(host).setPort(port));
    callback(null, new ClusterInfo().setMembersList([member]));
  };
}
