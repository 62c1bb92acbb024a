import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, TestApp } from '../support/test-app';
import { device, eventually, physicalPop, run, subscribe, subscription } from './outbound-client';
import { distinctIds, WebhookReceiver } from './webhook-receiver';

/**
 * Webhook delivery against a real local HTTP receiver that checks every signature
 * (docs/outbound-events.md). Each test works on its own PoP and subscriptions; waits are event-driven.
 */

const BASE_MS = 25;
const MAX_ATTEMPTS = 4;
const SECRET = 'receiver-secret-0123456789';
const T0 = '2026-01-01T00:00:00Z';

describe('webhook delivery', { timeout: 300_000 }, () => {
  let app: TestApp;
  let receiver: WebhookReceiver;

  before(async () => {
    receiver = await WebhookReceiver.start();
    app = await startTestApp({ OUTBOX_RETRY_BASE_MS: BASE_MS, OUTBOX_MAX_ATTEMPTS: MAX_ATTEMPTS, OUTBOX_DELIVERY_TIMEOUT_MS: 2_000 });
  });
  after(async () => {
    await app?.close();
    await receiver?.close();
  });

  /** The deliveries at `path` about PoP `popId`. */
  const about = (path: string, popId: string) => receiver.at(path).filter((d) => d.body.popId === popId);

  it('POSTs each event once, in log order, signed, with X-PopLedger-Event and X-PopLedger-Delivery; only the subscribed types', async () => {
    const all = receiver.endpoint('/order/all', SECRET);
    const capacity = receiver.endpoint('/order/capacity', SECRET);
    const created = await subscribe(app, { subscriptionId: 'order-all', url: all, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET });
    assert.deepEqual({ ...created, createdAt: typeof created.createdAt }, {
      subscriptionId: 'order-all', url: all, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], createdAt: 'string',
      deliveredCount: 0, failingSince: null, deadLettered: 0, pending: 0, lastError: null,
    });
    await subscribe(app, { subscriptionId: 'order-capacity', url: capacity, eventTypes: ['CAPACITY_STATUS_CHANGED'], secret: SECRET });
    await physicalPop(app, 'ord1', T0);
    const d1 = await run(app, 'installDevice', device('ord1', 'd1', 1, 4000, '2026-02-01T00:00:00Z'));
    const d2 = await run(app, 'installDevice', device('ord1', 'd2', 2, 500, '2026-03-01T00:00:00Z'));
    const d3 = await run(app, 'removeDevice', { popId: 'ord1', deviceId: 'd2', effectiveAt: '2026-04-01T00:00:00Z' });
    await receiver.waitFor(() => about('/order/all', 'ord1').length >= 11 && about('/order/capacity', 'ord1').length >= 3, 120_000, 'ordered deliveries');

    const deliveries = about('/order/all', 'ord1');
    assert.equal(deliveries.length, 11, 'nothing twice');
    for (const delivery of deliveries) {
      assert.equal(delivery.signatureValid, true, 'X-Signature verifies with the subscription secret');
      assert.equal(delivery.headers['x-popledger-event'], delivery.body.type);
      assert.equal(delivery.headers['x-popledger-delivery'], delivery.body.id);
      assert.match(delivery.headers['content-type'] as string, /^application\/json/);
      assert.deepEqual(Object.keys(delivery.body), ['id', 'type', 'occurredAt', 'popId', 'data']);
    }
    assert.deepEqual(
      deliveries.map((d) => (d.body.type === 'INVENTORY_CHANGED' ? `${d.body.type} ${d.body.id}` : `${d.body.data.resource} ${d.body.data.from}->${d.body.data.to} @${d.body.data.effectiveAt}`)).slice(5),
      [
        `INVENTORY_CHANGED ${d1.eventIds[0]}`,
        'POWER_KW OK->WARNING @2026-02-01T00:00:00.000Z',
        `INVENTORY_CHANGED ${d2.eventIds[0]}`,
        'POWER_KW WARNING->CRITICAL @2026-03-01T00:00:00.000Z',
        `INVENTORY_CHANGED ${d3.eventIds[0]}`,
        'POWER_KW CRITICAL->WARNING @2026-04-01T00:00:00.000Z',
      ],
    );
    assert.deepEqual(deliveries.slice(0, 5).map((d) => d.body.data.popId), ['ord1', 'ord1', 'ord1', 'ord1', 'ord1']);
    assert.deepEqual(about('/order/capacity', 'ord1').map((d) => d.body.type), ['CAPACITY_STATUS_CHANGED', 'CAPACITY_STATUS_CHANGED', 'CAPACITY_STATUS_CHANGED']);
    await eventually(() => subscription(app, 'order-all'), (s) => s.deliveredCount === 11 && s.pending === 0, 'deliveredCount');
  });

  it('retries a failing delivery with exponential back-off from OUTBOX_RETRY_BASE_MS, keeping the order', async () => {
    const url = receiver.endpoint('/retry', SECRET, (n) => (n < 3 ? 500 : 200));
    await subscribe(app, { subscriptionId: 'retry', url, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    const registered = await run(app, 'registerPop', { popId: 'ret1', code: 'RET1', name: 'Retry', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' });
    const leased = await run(app, 'leaseSite', { popId: 'ret1', leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: { amount: '1.00', currency: 'EUR' } });
    await receiver.waitFor(() => receiver.at('/retry').length >= 5, 120_000, 'retried deliveries');
    const attempts = receiver.at('/retry');
    assert.deepEqual(attempts.map((d) => `${d.body.id} ${d.answered}`), [
      `${registered.eventIds[0]} 500`,
      `${registered.eventIds[0]} 500`,
      `${registered.eventIds[0]} 500`,
      `${registered.eventIds[0]} 200`,
      `${leased.eventIds[0]} 200`,
    ]);
    // Waits are at least the base, doubling (the machine may make them longer, never shorter).
    assert.ok(attempts[1].at - attempts[0].at >= BASE_MS - 2, `first retry after ${attempts[1].at - attempts[0].at} ms`);
    assert.ok(attempts[2].at - attempts[1].at >= 2 * BASE_MS - 2, `second retry after ${attempts[2].at - attempts[1].at} ms`);
    assert.ok(attempts[3].at - attempts[2].at >= 4 * BASE_MS - 2, `third retry after ${attempts[3].at - attempts[2].at} ms`);
    const state = await eventually(() => subscription(app, 'retry'), (s) => s.deliveredCount === 2, 'delivered');
    assert.deepEqual([state.failingSince, state.lastError, state.deadLettered], [null, null, 0]);
  });

  it('dead-letters after OUTBOX_MAX_ATTEMPTS and goes on; a failing subscription never holds back another; redeliverDeadLetters sends them again in order', async () => {
    let healthy = false;
    const bad = receiver.endpoint('/dead/bad', SECRET, () => (healthy ? 204 : 503));
    const good = receiver.endpoint('/dead/good', SECRET);
    await subscribe(app, { subscriptionId: 'dead-bad', url: bad, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    await subscribe(app, { subscriptionId: 'dead-good', url: good, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    const ids: string[] = [];
    ids.push(...(await run(app, 'registerPop', { popId: 'dl1', code: 'DL1', name: 'Dead', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' })).eventIds);
    await receiver.waitFor(() => receiver.at('/dead/good').length >= 1, 120_000, 'the healthy subscription');
    assert.ok(receiver.at('/dead/bad').filter((d) => d.answered === 204).length === 0, 'the other one is still failing');
    ids.push(...(await run(app, 'leaseSite', { popId: 'dl1', leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: { amount: '1.00', currency: 'EUR' } })).eventIds);
    ids.push(...(await run(app, 'installRack', { popId: 'dl1', rackId: 'r1' })).eventIds);
    await receiver.waitFor(() => distinctIds(receiver.at('/dead/good')).length === 3, 120_000, 'the healthy subscription, all');
    const state = await eventually(() => subscription(app, 'dead-bad'), (s) => s.deadLettered === 3, 'three dead letters');
    assert.equal(state.deliveredCount, 0);
    assert.equal(state.lastError, 'HTTP 503');
    assert.ok(state.failingSince, 'failingSince');
    // Exactly OUTBOX_MAX_ATTEMPTS attempts each, one event after the other.
    assert.deepEqual(receiver.at('/dead/bad').map((d) => d.body.id), ids.flatMap((id) => Array(MAX_ATTEMPTS).fill(id)));
    assert.deepEqual(receiver.at('/dead/good').map((d) => d.body.id), ids);

    healthy = true;
    const before = receiver.at('/dead/bad').length;
    const answer = await app.gql('mutation { redeliverDeadLetters(input: { subscriptionId: "dead-bad" }) { subscriptionId deadLettered pending } }');
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    assert.equal(answer.data.redeliverDeadLetters.subscriptionId, 'dead-bad');
    await receiver.waitFor(() => receiver.at('/dead/bad').length >= before + 3, 120_000, 'redeliveries');
    assert.deepEqual(receiver.at('/dead/bad').slice(before).map((d) => `${d.body.id} ${d.answered} ${d.signatureValid}`), ids.map((id) => `${id} 204 true`));
    const after = await eventually(() => subscription(app, 'dead-bad'), (s) => s.deliveredCount === 3, 'redelivered');
    assert.deepEqual([after.deadLettered, after.failingSince, after.pending], [0, null, 0]);
  });

  it('counts a timeout, a redirect (never followed) and a refused connection as failures; reads at most a little of an answer', async () => {
    const hang = receiver.endpoint('/edge/hang', SECRET, (n) => (n === 0 ? 'hang' : 200));
    const target = receiver.endpoint('/edge/target', SECRET);
    const redirect = receiver.endpoint('/edge/redirect', SECRET, () => ({ redirect: target }));
    const reset = receiver.endpoint('/edge/reset', SECRET, (n) => (n === 0 ? 'reset' : 200));
    const huge = receiver.endpoint('/edge/huge', SECRET, () => 'huge');
    await subscribe(app, { subscriptionId: 'edge-huge', url: huge, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    await subscribe(app, { subscriptionId: 'edge-hang', url: hang, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    await subscribe(app, { subscriptionId: 'edge-redirect', url: redirect, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    await subscribe(app, { subscriptionId: 'edge-reset', url: reset, eventTypes: ['INVENTORY_CHANGED'], secret: SECRET });
    const { eventIds } = await run(app, 'registerPop', { popId: 'edge1', code: 'EDGE1', name: 'Edge', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' });
    await receiver.waitFor(() => receiver.at('/edge/hang').length === 2 && receiver.at('/edge/reset').length === 2 && receiver.at('/edge/redirect').length === MAX_ATTEMPTS, 120_000, 'edge cases');
    assert.deepEqual(receiver.at('/edge/hang').map((d) => `${d.body.id} ${d.answered}`), [`${eventIds[0]} hang`, `${eventIds[0]} 200`]);
    assert.deepEqual(receiver.at('/edge/reset').map((d) => d.answered), ['reset', 200]);
    const bigAnswer = await eventually(() => subscription(app, 'edge-huge'), (s) => s.deliveredCount === 1, 'a 2xx with a huge body is a success');
    assert.equal(bigAnswer.failingSince, null);
    assert.equal(receiver.at('/edge/huge').length, 1, 'delivered once, the body not waited for');
    assert.equal(receiver.at('/edge/target').length, 0, 'redirects are not followed');
    const redirected = await eventually(() => subscription(app, 'edge-redirect'), (s) => s.deadLettered === 1, 'redirect dead-lettered');
    assert.match(redirected.lastError, /^HTTP 302/);
    const hung = await eventually(() => subscription(app, 'edge-hang'), (s) => s.deliveredCount === 1, 'hang delivered');
    assert.equal(hung.failingSince, null);
  });
});

describe('webhook delivery: a receiver that is down for a while', { timeout: 300_000 }, () => {
  it('keeps retrying, then delivers everything in order once it is back', async () => {
    const receiver = await WebhookReceiver.start();
    const app = await startTestApp({ OUTBOX_RETRY_BASE_MS: 50, OUTBOX_MAX_ATTEMPTS: 30 });
    try {
      const url = receiver.endpoint('/down', SECRET);
      const port = receiver.port;
      await subscribe(app, { subscriptionId: 'down', url, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET });
      await receiver.close();
      const ids: string[] = [];
      for (const [name, input] of [
        ['registerPop', { popId: 'down1', code: 'DOWN1', name: 'Down', kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE' }],
        ['leaseSite', { popId: 'down1', leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: { amount: '1.00', currency: 'EUR' } }],
        ['installRack', { popId: 'down1', rackId: 'r1' }],
      ] as const) ids.push(...(await run(app, name, input)).eventIds);
      const failing = await eventually(() => subscription(app, 'down'), (s) => s.failingSince !== null, 'failing while down');
      assert.match(failing.lastError, /ECONNREFUSED|connect/i);
      await receiver.listen(port);
      receiver.endpoint('/down', SECRET);
      await receiver.waitFor(() => receiver.at('/down').length >= 3, 120_000, 'deliveries after the receiver is back');
      assert.deepEqual(receiver.at('/down').map((d) => d.body.id), ids);
      assert.ok(receiver.at('/down').every((d) => d.signatureValid));
      const state = await eventually(() => subscription(app, 'down'), (s) => s.deliveredCount === 3, 'delivered');
      assert.deepEqual([state.deadLettered, state.failingSince], [0, null]);
    } finally {
      await app.close();
      await receiver.close();
    }
  });
});
