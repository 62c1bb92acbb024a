import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../src/platform/api/errors/api-error.types';
import { LeaseSiteInput } from '../../src/inventory/write/lease.input';
import { AddPowerFeedInput } from '../../src/inventory/write/rack.input';
import { MAX_BATCH_RECORDS, recordsOf } from '../../src/procurement/write/procurement-batch.types';
import { numericFields, PROCUREMENT_KINDS } from '../../src/procurement/write/procurement-kinds.rules';
import { checkRecord, commandIdOf, MAX_FIELD_DEPTH } from '../../src/procurement/write/procurement-record.input';
import { ID_PATTERN } from '../../src/platform/api/validation/field.validators';

const lease = {
  externalId: 'PO-2026-0101',
  kind: 'LEASE_SIGNED',
  occurredAt: '2026-01-08T11:15:00+01:00',
  popId: 'fra1',
  leaseId: 'FRA1-CAGE-B',
  lessor: 'Equinix FR5',
  startsOn: '2026-02-01',
  monthlyCost: { amount: '9200.00', currency: 'EUR' },
  maxRacks: 6,
};

function invalid(raw: Record<string, unknown>) {
  const check = checkRecord(raw);
  assert.equal(check.valid, false);
  return check as Extract<typeof check, { valid: false }>;
}

describe('checkRecord', () => {
  it('turns a valid record into its mutation input, with a derived commandId and occurredAt as effectiveAt', () => {
    const check = checkRecord(lease);
    assert.equal(check.valid, true);
    if (!check.valid) return;
    assert.equal(check.record.externalId, 'PO-2026-0101');
    assert.equal(check.record.kind, PROCUREMENT_KINDS.LEASE_SIGNED);
    assert.ok(check.record.input instanceof LeaseSiteInput);
    assert.deepEqual(JSON.parse(JSON.stringify(check.record.input)), {
      popId: 'fra1',
      leaseId: 'FRA1-CAGE-B',
      lessor: 'Equinix FR5',
      startsOn: '2026-02-01',
      monthlyCost: { amount: '9200.00', currency: 'EUR' },
      maxRacks: 6,
      commandId: 'procurement:59c41ea272f9fd711fbb04dbebf3846e1a952369',
      effectiveAt: '2026-01-08T10:15:00.000Z',
    });
  });

  it('applies the input class defaults like the mutation does', () => {
    const check = checkRecord({
      externalId: 'PO-7', kind: 'POWER_DELIVERED', occurredAt: '2026-01-12T07:00:00Z',
      popId: 'fra1', feedId: 'F1', rackId: 'R1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32,
    });
    assert.equal(check.valid, true);
    if (!check.valid) return;
    assert.ok(check.record.input instanceof AddPowerFeedInput);
    assert.equal((check.record.input as AddPowerFeedInput).deratingPercent, 80);
    assert.equal((check.record.input as AddPowerFeedInput).powerFactor, 0.95);
  });

  it('names an unknown kind and skips field validation it cannot do', () => {
    const check = invalid({ ...lease, kind: 'LEASE_RENEWED' });
    assert.equal(check.externalId, 'PO-2026-0101');
    assert.deepEqual(check.fields, [
      { field: 'kind', message: 'kind must be one of LEASE_SIGNED, LEASE_ENDED, POWER_DELIVERED, CIRCUIT_DELIVERED, CIRCUIT_CEASED, DEVICE_DELIVERED, got "LEASE_RENEWED"' },
    ]);
  });

  it('reports every bad field: envelope, class-validator rules, nested money, unknown and derived properties, dates', () => {
    const check = invalid({
      kind: 'LEASE_SIGNED',
      occurredAt: 'yesterday',
      popId: 'fra 1',
      leaseId: 'L1',
      startsOn: '2026-02-30',
      monthlyCost: { amount: 12.5, currency: 'EUR' },
      colour: 'blue',
      commandId: 'mine',
    });
    assert.equal(check.externalId, null);
    assert.deepEqual(check.fields, [
      { field: 'externalId', message: 'externalId must be a string of 1-200 characters' },
      { field: 'occurredAt', message: 'occurredAt must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T09:00:00Z' },
      { field: 'commandId', message: 'commandId is not allowed in a procurement record: commandId and effectiveAt come from externalId and occurredAt' },
      { field: 'colour', message: 'property colour should not exist' },
      { field: 'monthlyCost.amount', message: 'amount must be a decimal string ≥ 0 with at most 4 decimals, e.g. "1250.50"' },
      { field: 'popId', message: 'popId must be 1-64 characters of A-Z a-z 0-9 . _ : -' },
      { field: 'startsOn', message: 'startsOn must be an existing date YYYY-MM-DD, got "2026-02-30"' },
    ]);
  });

  it('refuses NUL characters, which the event store cannot keep, naming the field', () => {
    const check = invalid({ ...lease, lessor: 'Equinix\u0000FR5', monthlyCost: { amount: '9200.00', currency: 'EUR\u0000' } });
    assert.deepEqual(check.fields.slice(0, 2), [
      { field: 'lessor', message: 'lessor must not contain the NUL character (U+0000)' },
      { field: 'monthlyCost.currency', message: 'monthlyCost.currency must not contain the NUL character (U+0000)' },
    ]);
  });

  it('refuses a field nested thousands of levels deep with a field error, without overflowing the stack in validation', () => {
    let deep: unknown = '9200.00';
    for (let level = 0; level < 5_000; level++) deep = level % 2 === 0 ? [deep] : { amount: deep };
    const check = invalid({ ...lease, monthlyCost: deep, lessor: { a: { b: 'c' } } });
    assert.ok(check.fields.some((error) => error.field === 'monthlyCost' && error.message === `monthlyCost is nested deeper than ${MAX_FIELD_DEPTH} levels`));
    assert.ok(check.fields.some(({ field }) => field === 'lessor'), 'a shallow bad field is still reported');
  });

  it('requires occurredAt', () => {
    assert.deepEqual(invalid({ ...lease, occurredAt: undefined }).fields.map((f) => f.field), ['occurredAt']);
  });
});

describe('commandIdOf', () => {
  it('is deterministic, distinct per externalId and a valid client ID', () => {
    assert.equal(commandIdOf('PO-2026-0101'), 'procurement:59c41ea272f9fd711fbb04dbebf3846e1a952369');
    assert.notEqual(commandIdOf('PO-2026-0102'), commandIdOf('PO-2026-0101'));
    assert.match(commandIdOf('x'.repeat(200)), ID_PATTERN);
    assert.match(commandIdOf('Bestellung Nr. 4711 / Zeile 3 ü'), ID_PATTERN);
  });
});

describe('numericFields', () => {
  it('derives the numeric fields from the input class rules (expectedRevision too, which a record may not carry)', () => {
    assert.deepEqual([...numericFields(PROCUREMENT_KINDS.POWER_DELIVERED)].sort(), ['amperage', 'deratingPercent', 'expectedRevision', 'powerFactor', 'voltage']);
    assert.deepEqual([...numericFields(PROCUREMENT_KINDS.DEVICE_DELIVERED)].sort(), ['expectedRevision', 'heightU', 'positionU', 'powerDrawWatts']);
    assert.deepEqual([...numericFields(PROCUREMENT_KINDS.CIRCUIT_CEASED)], ['expectedRevision']);
  });
});

describe('recordsOf', () => {
  const fail = (body: unknown) => {
    try {
      recordsOf(body);
    } catch (error) {
      assert.ok(error instanceof ApiError);
      return { code: error.code, message: error.message, fields: error.extensions.fields };
    }
    assert.fail('expected an ApiError');
  };

  it('accepts {records: [objects]}, also empty', () => {
    assert.deepEqual(recordsOf({ records: [{ a: 1 }] }), [{ a: 1 }]);
    assert.deepEqual(recordsOf({ records: [] }), []);
  });

  it('answers 400 with fields for any other shape', () => {
    assert.deepEqual(fail([]), {
      code: 'BAD_USER_INPUT',
      message: 'Malformed batch: body: body must be a JSON object {"records": [...]}',
      fields: [{ field: 'body', message: 'body must be a JSON object {"records": [...]}' }],
    });
    assert.deepEqual(fail({ record: [] })?.fields, [
      { field: 'record', message: 'property record should not exist' },
      { field: 'records', message: 'records must be an array of record objects' },
    ]);
    assert.deepEqual(fail({ records: [{}, 3, null, []] })?.fields, [
      { field: 'records[1]', message: 'each record must be a JSON object' },
      { field: 'records[2]', message: 'each record must be a JSON object' },
      { field: 'records[3]', message: 'each record must be a JSON object' },
    ]);
  });

  it('answers 413 beyond 1,000 records', () => {
    assert.deepEqual(fail({ records: Array.from({ length: MAX_BATCH_RECORDS + 1 }, () => ({})) }), {
      code: 'PAYLOAD_TOO_LARGE',
      message: 'A batch holds at most 1000 records, got 1001: split it into several requests',
      fields: undefined,
    });
  });
});
