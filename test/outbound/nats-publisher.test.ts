import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connect, JsMsg, NatsConnection } from 'nats';
import { NATS_STREAM, natsSubject } from '../../src/outbound/delivery/nats-publisher.service';
import { SQL_CLIENT, SqlClient } from '../../src/platform/database/sql-client.port';
import { startTestApp, TestApp } from '../support/test-app';
import { device, eventually, physicalPop, run } from './outbound-client';

/**
 * NATS JetStream publishing against the real server of this machine and CI (127.0.0.1:4222, started with
 * JetStream; .ci/run starts it when it is down). Each run works on its own PoP ids in the shared stream.
 */

const NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

interface Received {
  subject: string;
  msgId: string | undefined;
  body: { id: string; type: string; popId: string; data: Record<string, any> };
}

async function reachable(): Promise<NatsConnection | undefined> {
  try {
    return await connect({ servers: NATS_URL, timeout: 3_000, maxReconnectAttempts: 0 });
  } catch {
    return undefined;
  }
}

/** Every message of the stream on `popledger.*.<popId>` so far, in stream order (an ordered consumer from the start). */
async function streamMessages(nc: NatsConnection, popId: string, expected: number, timeoutMs = 60_000): Promise<Received[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const consumer = await nc.jetstream().consumers.get(NATS_STREAM.name, { filterSubjects: natsSubject('*', popId) });
    const received: Received[] = [];
    const batch = await consumer.fetch({ max_messages: expected + 10, expires: 1_000 });
    for await (const message of batch as AsyncIterable<JsMsg>) {
      received.push({ subject: message.subject, msgId: message.headers?.get('Nats-Msg-Id'), body: message.json() });
    }
    await consumer.delete().catch(() => undefined);
    if (received.length >= expected || Date.now() > deadline) return received;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('NATS JetStream publishing (NATS_URL)', { timeout: 300_000 }, () => {
  let nc: NatsConnection | undefined;
  let app: TestApp;
  const popId = `nats-${randomBytes(4).toString('hex')}`;

  before(async () => {
    nc = await reachable();
    if (!nc && process.env.CI) throw new Error(`NATS with JetStream is not reachable at ${NATS_URL}`);
    if (nc) app = await startTestApp({}, { NATS_URL });
  });
  after(async () => {
    await app?.close();
    await nc?.close();
  });

  it('publishes every integration event on popledger.<type>.<popId> with Nats-Msg-Id = id, in outbox order, into a stream it creates', async (t) => {
    if (!nc) return t.skip(`no NATS server at ${NATS_URL}`);
    await physicalPop(app, popId, '2026-01-01T00:00:00Z');
    const { eventIds } = await run(app, 'installDevice', device(popId, 'd1', 1, 4500, '2026-02-01T00:00:00Z'));
    const received = await streamMessages(nc, popId, 7);
    assert.deepEqual(received.map((m) => m.subject), [
      ...Array(6).fill(`popledger.INVENTORY_CHANGED.${popId}`),
      `popledger.CAPACITY_STATUS_CHANGED.${popId}`,
    ]);
    for (const message of received) assert.equal(message.msgId, message.body.id);
    assert.equal(received[5].body.id, eventIds[0]);
    assert.deepEqual(received[6].body.data, { popId, resource: 'POWER_KW', from: 'OK', to: 'CRITICAL', utilizationPercent: 80.4491, effectiveAt: '2026-02-01T00:00:00.000Z' });
    const info = await (await nc.jetstreamManager()).streams.info(NATS_STREAM.name);
    assert.deepEqual(info.config.subjects, ['popledger.>']);
  });

  it('drops re-sent events in the duplicate window: publishing the outbox again adds nothing', async (t) => {
    if (!nc) return t.skip(`no NATS server at ${NATS_URL}`);
    const sql = app.app.get<SqlClient>(SQL_CLIENT);
    const before = await streamMessages(nc, popId, 7);
    const { rows } = await sql.query<{ cursor: string }>("SELECT cursor FROM outbox_publishers WHERE name = 'nats'");
    const cursor = Number(rows[0].cursor);
    // As after a crash between JetStream's ack and the cursor's move: everything is published again.
    await sql.query("UPDATE outbox_publishers SET cursor = 0 WHERE name = 'nats'");
    await eventually(
      async () => Number((await sql.query<{ cursor: string }>("SELECT cursor FROM outbox_publishers WHERE name = 'nats'")).rows[0].cursor),
      (now) => now >= cursor,
      'the publisher to publish everything again',
    );
    const after = await streamMessages(nc, popId, 7);
    assert.deepEqual(after.map((m) => m.body.id), before.map((m) => m.body.id), 'no duplicate in the stream');
    const ack = await nc.jetstream().publish(natsSubject('INVENTORY_CHANGED', popId), Buffer.from('{}'), { msgID: before[0].body.id });
    assert.equal(ack.duplicate, true, 'JetStream reports the same Nats-Msg-Id as a duplicate');
  });
});
