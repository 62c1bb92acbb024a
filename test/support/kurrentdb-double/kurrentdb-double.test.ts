import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type JSONEventData,
  type Position,
} from '@eventstore/db-client';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, BatchAppendReq, type BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { startKurrentDbDouble, type KurrentDbDouble } from './index';

/** The double's wire behaviour, seen through the real client library. */
describe('KurrentDB double', () => {
  let server: KurrentDbDouble;
  let client: EventStoreDBClient;
  before(async () => {
    server = await startKurrentDbDouble();
    client = EventStoreDBClient.connectionString(server.connectionString);
  });
  after(async () => {
    await client.dispose();
    await server.close();
  });

  test('ServerFeatures: a 24.10 server with BatchAppend', async () => {
    const features = new ServerFeaturesClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const methods = await new Promise<SupportedMethods>((resolve, reject) =>
      features.getSupportedMethods(new Empty(), (error, answer) => (error ? reject(error) : resolve(answer))),
    );
    features.close();
    assert.match(methods.getEventStoreServerVersion(), /^24\.10\.\d+$/);
    const paths = methods.getMethodsList().map((method) => `${method.getServiceName()}/${method.getMethodName()}`);
    assert.ok(paths.includes('event_store.client.streams.streams/batchappend'), String(paths));
  });

  // BatchAppend is what the client uses by default; with credentials it falls back to Append.
  for (const [rpc, options] of [
    ['BatchAppend', {}],
    ['Append', { credentials: { username: 'admin', password: 'changeit' } }],
  ] as const) {
    describe(`appends through ${rpc}`, () => {
      const append = (streamId: string, events: JSONEventData[], expectedRevision: AppendExpectedRevision) =>
        client.appendToStream(streamId, events, { ...options, expectedRevision });

      test('expected revisions, and wrong-expected-version answers with the actual revision', async () => {
        const streamId = `double-${randomUUID()}`;
        await assertWrongVersion(append(streamId, [event('A')], STREAM_EXISTS), 'no_stream');
        await assertWrongVersion(append(streamId, [event('A')], 0n), 'no_stream');
        const first = await append(streamId, [event('A'), event('B')], NO_STREAM);
        assert.equal(first.nextExpectedRevision, 1n);
        await assertWrongVersion(append(streamId, [event('C')], NO_STREAM), 1n);
        await assertWrongVersion(append(streamId, [event('C')], 0n), 1n);
        await assertWrongVersion(append(streamId, [event('C')], 5n), 1n);
        assert.equal((await append(streamId, [event('C')], 1n)).nextExpectedRevision, 2n);
        assert.equal((await append(streamId, [event('D')], STREAM_EXISTS)).nextExpectedRevision, 3n);
        assert.equal((await append(streamId, [event('E')], ANY)).nextExpectedRevision, 4n);
      });

      test('a retry with the same event ids is idempotent', async () => {
        const streamId = `double-${randomUUID()}`;
        const events = [event('A'), event('B')];
        const first = await append(streamId, events, NO_STREAM);
        const retry = await append(streamId, events, NO_STREAM);
        assert.deepEqual(retry, first);
        assert.deepEqual(await append(streamId, events, ANY), first);
        assert.equal((await readStream(streamId)).length, 2);
        // The same ids where other events stand are a different write: refused.
        await append(streamId, [event('C')], 1n);
        await assertWrongVersion(append(streamId, [events[0]], 1n), 2n);
      });

      test('the append position is the last event position in $all', async () => {
        const streamId = `double-${randomUUID()}`;
        const result = await append(streamId, [event('A'), event('B')], NO_STREAM);
        const [last] = await readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
        assert.deepEqual(result.position, last.event?.position);
        assert.equal(result.position?.commit, result.position?.prepare);
      });

      test('appends over MaxAppendSize (data, metadata and type) are refused, and write nothing', async () => {
        const streamId = `double-${randomUUID()}`;
        const big = 'x'.repeat(600 * 1024);
        await assert.rejects(append(streamId, [event('Big', { big }), event('Big', { big })], NO_STREAM), (error: unknown) => {
          assert.ok(error instanceof MaxAppendSizeExceededError, String(error));
          assert.equal(error.maxAppendSize, 1024 * 1024);
          return true;
        });
        await assert.rejects(readStream(streamId), StreamNotFoundError);
      });

    });
  }

  test('BatchAppend: an append whose deadline has passed answers Timeout and writes nothing', async () => {
    const streamId = `double-${randomUUID()}`;
    // A deadline already past when it is sent (the client's shortest, 1 ms from now, may still be ahead when the
    // server reads it): sent on the wire as the client sends it, a Timestamp in the append's options.
    const streams = new StreamsClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const call = streams.batchAppend();
    const answer = new Promise<BatchAppendResp>((resolve, reject) => {
      call.once('data', resolve);
      call.once('error', reject);
    });
    const options = new BatchAppendReq.Options()
      .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(streamId)))
      .setAny(new ProtobufEmpty())
      .setDeadline(Timestamp.fromDate(new Date(Date.now() - 1_000)));
    const message = new BatchAppendReq.ProposedMessage().setId(new UUID().setString(randomUUID())).setData(Buffer.from('{}'));
    message.getMetadataMap().set('type', 'Late').set('content-type', 'application/json');
    call.write(new BatchAppendReq().setCorrelationId(new UUID().setString(randomUUID())).setOptions(options).setProposedMessagesList([message]).setIsFinal(true));
    const response = await answer;
    call.end();
    streams.close();
    assert.equal(response.getError()?.getCode(), status.DEADLINE_EXCEEDED);
    assert.equal(response.getError()?.getMessage(), 'Timeout');
    await assert.rejects(readStream(streamId), StreamNotFoundError);
  });

  test('Append: a call cancelled by its deadline before the client has sent everything writes nothing', async () => {
    const streamId = `double-${randomUUID()}`;
    const streams = new StreamsClient(`127.0.0.1:${server.port}`, credentials.createInsecure());
    const failed = new Promise<ServiceError | null>((resolve) => {
      const call = streams.append({ deadline: Date.now() + 200 }, (error) => resolve(error));
      const options = new AppendReq.Options().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(streamId))).setAny(new Empty());
      call.write(new AppendReq().setOptions(options));
      const message = new AppendReq.ProposedMessage().setId(new UUID().setString(randomUUID())).setData(Buffer.from('{}'));
      message.getMetadataMap().set('type', 'Unfinished').set('content-type', 'application/json');
      call.write(new AppendReq().setProposedMessage(message));
      // Never ended: the server must drop the append when grpc-js cancels the call.
    });
    assert.equal((await failed)?.code, status.DEADLINE_EXCEEDED);
    streams.close();
    await assert.rejects(readStream(streamId), StreamNotFoundError);
  });

  test('MaxAppendSize is configurable', async () => {
    const small = await startKurrentDbDouble({ maxAppendSize: 100 });
    const smallClient = EventStoreDBClient.connectionString(small.connectionString);
    try {
      await smallClient.appendToStream(`double-${randomUUID()}`, [event('Fits', { n: 1 })]);
      await assert.rejects(smallClient.appendToStream(`double-${randomUUID()}`, [event('TooBig', { text: 'y'.repeat(200) })]), MaxAppendSizeExceededError);
    } finally {
      await smallClient.dispose();
      await small.close();
    }
  });

  test('stream reads: forwards and backwards, from start, end or a revision, with maxCount', async () => {
    const streamId = `double-${randomUUID()}`;
    await client.appendToStream(streamId, Array.from({ length: 5 }, (_, i) => event(`E${i}`)), { expectedRevision: NO_STREAM });
    const types = async (options: Parameters<EventStoreDBClient['readStream']>[1]) =>
      (await readStream(streamId, options)).map((resolved) => resolved.event?.type);
    assert.deepEqual(await types({}), ['E0', 'E1', 'E2', 'E3', 'E4']);
    assert.deepEqual(await types({ fromRevision: 2n, maxCount: 2 }), ['E2', 'E3']);
    assert.deepEqual(await types({ fromRevision: 5n }), []);
    assert.deepEqual(await types({ direction: BACKWARDS, fromRevision: END, maxCount: 2 }), ['E4', 'E3']);
    assert.deepEqual(await types({ direction: BACKWARDS, fromRevision: 1n }), ['E1', 'E0']);
    assert.deepEqual(await types({ direction: BACKWARDS, fromRevision: 9n, maxCount: 1 }), ['E4']);
    await assert.rejects(readStream(`double-${randomUUID()}`), StreamNotFoundError);
    await assert.rejects(readStream(`double-${randomUUID()}`, { direction: BACKWARDS, fromRevision: END }), StreamNotFoundError);
  });

  test('$all holds system events, with increasing positions; forwards is inclusive, backwards exclusive', async () => {
    const all = await collect(client.readAll({ fromPosition: START, maxCount: 1000 }));
    const streams = new Set(all.map((resolved) => resolved.event?.streamId));
    assert.ok(streams.has('$users') && streams.has('$settings'), String([...streams]));
    assert.ok(!streams.has('$epoch-information'), 'the default $all filter hides the epoch stream');
    const positions = all.map((resolved) => resolved.event?.position as Position);
    for (const [i, position] of positions.entries()) {
      assert.equal(position.commit, position.prepare);
      if (i > 0) assert.ok(position.commit > positions[i - 1].commit);
    }
    const middle = positions[2];
    const forwards = await collect(client.readAll({ fromPosition: middle, maxCount: 2 }));
    assert.deepEqual(
      forwards.map((resolved) => resolved.event?.position),
      positions.slice(2, 4),
    );
    const backwards = await collect(client.readAll({ fromPosition: middle, direction: BACKWARDS, maxCount: 10 }));
    assert.deepEqual(
      backwards.map((resolved) => resolved.event?.position),
      positions.slice(0, 2).reverse(),
    );
    const head = await collect(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }));
    assert.deepEqual(head[0].event?.position, (await collect(client.readAll({ fromPosition: START, direction: FORWARDS }))).at(-1)?.event?.position);
  });

  test('a read from a position that is not a record boundary fails', async () => {
    const [first] = await collect(client.readAll({ fromPosition: START, maxCount: 1 }));
    const position = first.event?.position as Position;
    const inside = { commit: position.commit + 1n, prepare: position.commit + 1n };
    await assert.rejects(collect(client.readAll({ fromPosition: inside, maxCount: 1 })), /invalid position/);
  });

  test('a filtered subscription to $all: after its position, caught up, checkpoints, then live', async () => {
    const streamId = `double-${randomUUID()}`;
    const start = (await client.appendToStream(streamId, [event('Start')], { expectedRevision: NO_STREAM })).position as Position;
    await client.appendToStream(streamId, Array.from({ length: 40 }, (_, i) => event(`Before${i}`)), { expectedRevision: 0n });
    await client.appendToStream(`$system-${randomUUID()}`, [event('$SystemThing')]);

    const checkpoints: Position[] = [];
    const subscription = client.subscribeToAll({
      fromPosition: start,
      filter: excludeSystemEvents({ checkpointReached: (_subscription, position) => void checkpoints.push(position) }),
    });
    const seen: string[] = [];
    let caughtUpAfter = -1;
    subscription.on('caughtUp', () => (caughtUpAfter = seen.length));
    try {
      for await (const resolved of subscription) {
        seen.push(resolved.event?.type ?? '');
        if (seen.length === 40) await client.appendToStream(streamId, [event('Live')], { expectedRevision: 40n });
        if (seen.length === 41) break;
      }
    } finally {
      await subscription.unsubscribe();
    }
    assert.deepEqual(seen, [...Array.from({ length: 40 }, (_, i) => `Before${i}`), 'Live']);
    assert.equal(caughtUpAfter, 40);
    assert.ok(checkpoints.length > 0, 'checkpoints at the filter interval and when going live');
  });

  test('a stream-name filter, from the start of $all', async () => {
    const prefix = `filtered-${randomUUID()}`;
    await client.appendToStream(`${prefix}-a`, [event('A')]);
    await client.appendToStream(`other-${randomUUID()}`, [event('Other')]);
    await client.appendToStream(`${prefix}-b`, [event('B')]);
    const subscription = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [prefix] }) });
    const seen: string[] = [];
    for await (const resolved of subscription) {
      seen.push(resolved.event?.type ?? '');
      if (seen.length === 2) break;
    }
    await subscription.unsubscribe();
    assert.deepEqual(seen, ['A', 'B']);
  });

  test('esdb+discover:// finds the single node through Gossip', async () => {
    const discovering = EventStoreDBClient.connectionString(`esdb+discover://127.0.0.1:${server.port}?tls=false`);
    try {
      const streamId = `double-${randomUUID()}`;
      await discovering.appendToStream(streamId, [event('Discovered')]);
      assert.equal((await collect(discovering.readStream(streamId))).length, 1);
    } finally {
      await discovering.dispose();
    }
  });

  function readStream(streamId: string, options: Parameters<EventStoreDBClient['readStream']>[1] = {}) {
    return collect(client.readStream(streamId, options));
  }
});

function event(type: string, data: Record<string, unknown> = {}): JSONEventData {
  return jsonEvent({ id: randomUUID(), type, data, metadata: { by: 'double-test' } });
}

async function assertWrongVersion(append: Promise<unknown>, actual: bigint | 'no_stream'): Promise<void> {
  await assert.rejects(append, (error: unknown) => {
    assert.ok(error instanceof WrongExpectedVersionError, String(error));
    assert.equal(error.actualVersion, actual);
    return true;
  });
}

async function collect<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}
