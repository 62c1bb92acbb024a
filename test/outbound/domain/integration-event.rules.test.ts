import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { isExhausted, MAX_RETRY_DELAY_MS, retryDelayMs } from '../../../src/outbound/domain/delivery-backoff.math';
import { capacityStatusChanged, derivedId, inventoryChanged, residencyViolationChanged, serializeEvent } from '../../../src/outbound/domain/integration-event.rules';
import { verifyWebhookSignature, webhookSignature } from '../../../src/outbound/domain/webhook-signature.rules';

const source = { eventId: '6f1c1e52-8d1f-4c0b-9c55-5d2f3a3b9e10', recordedAt: '2026-03-01T10:00:00.123Z', data: { popId: 'fra1', deviceId: 'd1', powerDrawWatts: 4500 } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('integration events (docs/outbound-events.md)', () => {
  it('INVENTORY_CHANGED carries the ledger event: its id, its data, recorded time as occurredAt', () => {
    assert.deepEqual(inventoryChanged(source), { id: source.eventId, type: 'INVENTORY_CHANGED', occurredAt: source.recordedAt, popId: 'fra1', data: source.data });
  });

  it('CAPACITY_STATUS_CHANGED: data { popId resource from to utilizationPercent effectiveAt }, an id derived from its cause', () => {
    const change = { popId: 'fra1', resource: 'POWER_KW' as const, from: 'OK' as const, to: 'CRITICAL' as const, utilizationPercent: 80.4491, effectiveAt: '2026-02-01T00:00:00.000Z' };
    const event = capacityStatusChanged(source, change);
    assert.deepEqual(event, { id: event.id, type: 'CAPACITY_STATUS_CHANGED', occurredAt: source.recordedAt, popId: 'fra1', data: change });
    assert.match(event.id, UUID);
    assert.equal(capacityStatusChanged(source, change).id, event.id, 'stable');
    assert.notEqual(capacityStatusChanged(source, { ...change, resource: 'SPACE_U' }).id, event.id);
    assert.notEqual(capacityStatusChanged({ ...source, eventId: 'other' }, change).id, event.id);
    assert.deepEqual(Object.keys(event.data), ['popId', 'resource', 'from', 'to', 'utilizationPercent', 'effectiveAt']);
  });

  it('RESIDENCY_VIOLATION_OPENED / _CLOSED name the placement, category and policy', () => {
    const data = {
      workloadId: 'w1', tenant: 'acme', dataCategory: 'PERSONAL' as const, popId: 'sin1', popCode: 'SIN1', countryCode: 'SG', role: 'PRIMARY' as const,
      policyId: 'gdpr', reason: 'ALLOWED_LOCATIONS: SG is not in the allowed set (allowed: EU)', effectiveAt: '2026-02-01T00:00:00.000Z',
    };
    const opened = residencyViolationChanged(source, true, 'pos-1', data);
    const closed = residencyViolationChanged(source, false, 'pos-1', data);
    assert.equal(opened.type, 'RESIDENCY_VIOLATION_OPENED');
    assert.equal(closed.type, 'RESIDENCY_VIOLATION_CLOSED');
    assert.equal(opened.popId, 'sin1');
    assert.deepEqual(opened.data, data);
    assert.notEqual(opened.id, closed.id);
    assert.notEqual(residencyViolationChanged(source, true, 'pos-2', data).id, opened.id, 'another stay of the workload at that PoP');
  });

  it('derived ids are name-based UUIDs', () => {
    assert.equal(derivedId('a', 'b'), derivedId('a', 'b'));
    assert.notEqual(derivedId('a', 'b'), derivedId('ab'));
    assert.match(derivedId('x'), UUID);
  });

  it('the body is { id, type, occurredAt, popId, data } in that order', () => {
    const body = serializeEvent(inventoryChanged(source));
    assert.deepEqual(Object.keys(JSON.parse(body)), ['id', 'type', 'occurredAt', 'popId', 'data']);
    assert.equal(body, JSON.stringify({ id: source.eventId, type: 'INVENTORY_CHANGED', occurredAt: source.recordedAt, popId: 'fra1', data: source.data }));
  });
});

describe('webhook signature: X-Signature = sha256=<hex HMAC-SHA256 of the body>', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"id":"1","type":"INVENTORY_CHANGED"}';

  it('is the hex HMAC-SHA256 of the exact bytes', () => {
    assert.equal(webhookSignature(secret, body), `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
    // A fixed vector (RFC 4231 test case 2: key "Jefe").
    assert.equal(webhookSignature('Jefe', 'what do ya want for nothing?'), 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('verifies only the same bytes with the same secret', () => {
    const signature = webhookSignature(secret, body);
    assert.equal(verifyWebhookSignature(secret, body, signature), true);
    assert.equal(verifyWebhookSignature(secret, Buffer.from(body), signature), true);
    assert.equal(verifyWebhookSignature(secret, `${body} `, signature), false);
    assert.equal(verifyWebhookSignature('another-secret-000', body, signature), false);
    assert.equal(verifyWebhookSignature(secret, body, undefined), false);
    assert.equal(verifyWebhookSignature(secret, body, 'sha256=00'), false);
  });
});

describe('retry back-off (OUTBOX_RETRY_BASE_MS doubling, at most 1 hour; OUTBOX_MAX_ATTEMPTS)', () => {
  it('doubles from the base after each failure', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => retryDelayMs(1000, n)), [1000, 2000, 4000, 8000, 16000]);
    assert.equal(retryDelayMs(50, 1), 50);
  });

  it('never waits more than an hour', () => {
    assert.equal(retryDelayMs(1000, 13), MAX_RETRY_DELAY_MS);
    assert.equal(retryDelayMs(1000, 100), 3_600_000);
    assert.equal(retryDelayMs(3_600_000, 1), 3_600_000);
  });

  it('gives up when the attempts reach the maximum', () => {
    assert.equal(isExhausted(9, 10), false);
    assert.equal(isExhausted(10, 10), true);
    assert.equal(isExhausted(1, 1), true);
  });
});
