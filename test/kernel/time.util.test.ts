import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventInstant, isoOf } from '../../src/kernel/time.util';

describe('isoOf and eventInstant keep their last answer', () => {
  const instants = ['2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '1999-12-31T23:59:59.999Z', '2027-01-01T00:00:00.000Z', '2027-01-01T00:00:00.001Z', '2027-01-01T00:00:00.001Z'];

  it('answers like Date for every value, repeated or not', () => {
    for (const text of instants) {
      const ms = Date.parse(text);
      assert.equal(eventInstant(text), ms);
      assert.equal(isoOf(ms), new Date(ms).toISOString());
      assert.equal(isoOf(ms), text);
    }
  });

  it('still refuses an invalid instant right after a valid one', () => {
    assert.equal(isoOf(0), '1970-01-01T00:00:00.000Z');
    assert.throws(() => isoOf(NaN), RangeError);
    assert.throws(() => isoOf(NaN), RangeError);
    assert.ok(Number.isNaN(eventInstant('not an instant')));
    assert.equal(eventInstant(instants[2]), Date.parse(instants[2]));
  });
});
