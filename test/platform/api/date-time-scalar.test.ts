import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDateTime } from '../../../src/platform/api/scalars/date-time.scalar';

const SHAPE = 'DateTime must be an ISO 8601 date-time with a time zone, e.g. 2027-03-01T09:00:00Z';
const outOfRange = (value: string) => `DateTime ${value} is not a valid date-time between 1900 and 9999`;

test('parseDateTime answers the canonical UTC form, and canonical input as it came', () => {
  for (const [value, canonical] of [
    ['2026-12-06T09:30:00.000Z', '2026-12-06T09:30:00.000Z'],
    ['2026-12-06T09:30Z', '2026-12-06T09:30:00.000Z'],
    ['2026-12-06T10:30:00.5+01:00', '2026-12-06T09:30:00.500Z'],
    ['2026-01-01T00:00:00.123456789Z', '2026-01-01T00:00:00.123Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'],
    ['1900-01-01T00:00:00.000Z', '1900-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ]) {
    assert.equal(parseDateTime(value), canonical, value);
  }
});

test('parseDateTime refuses calendar dates that do not exist, hour 24 and instants outside 1900-9999', () => {
  for (const value of [
    '2023-02-29T00:00:00Z', '1900-02-29T00:00:00Z', '2026-04-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z', '1899-12-31T23:59:59.999Z',
    '1900-01-01T00:30:00+01:00', '9999-12-31T23:00:00-01:00',
  ]) {
    assert.throws(() => parseDateTime(value), { message: outOfRange(value) }, value);
  }
  for (const value of ['2026-01-01 00:00:00Z', '2026-01-01T00:00:00', 20260101, `2026-01-01T00:00:00.${'1'.repeat(30)}Z`]) {
    assert.throws(() => parseDateTime(value), { message: SHAPE }, String(value));
  }
});
