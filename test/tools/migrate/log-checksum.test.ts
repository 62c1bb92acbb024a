import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { canonicalJson, LogChecksum } from '../../../src/tools/migrate/log-checksum.util';

const event = (overrides: Partial<RecordedEvent> = {}): RecordedEvent => ({
  eventId: '6a1f9c1e-6a55-4a38-8d0e-3b3b7d1d2f10',
  type: 'RackInstalled',
  streamId: 'pop-fra1',
  revision: 3,
  position: '00000000000000000001:00000000000000000002',
  recordedAt: '2026-01-01T00:00:00.000Z',
  data: { popId: 'fra1', rack: { id: 'R1', heightU: 42 }, tags: ['a', 'b'] },
  metadata: { effectiveAt: '2026-01-01T00:00:00.000Z', actor: 't', source: 'cli', commandId: 'c', correlationId: 'k', schemaVersion: 1 },
  ...overrides,
});

const digest = (events: RecordedEvent[]) => {
  const checksum = new LogChecksum();
  checksum.add(events);
  return checksum.digest();
};

describe('migrate: log checksum', () => {
  test('canonical JSON sorts the keys of every object and keeps arrays in order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: null }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":null,"z":1}]},"b":1}');
    assert.equal(canonicalJson({ a: undefined, b: 1 }), JSON.stringify({ b: 1 }));
    assert.equal(canonicalJson({ a: 1, b: undefined, c: [undefined, 'é"\\'], d: {} }), '{"a":1,"c":[null,"é\\"\\\\"],"d":{}}');
  });

  test('the same events give the same digest whatever the key order, position and append time', () => {
    const reordered = event({
      data: { tags: ['a', 'b'], rack: { heightU: 42, id: 'R1' }, popId: 'fra1' },
      position: '00000000000000000009:00000000000000000009',
      recordedAt: '2027-05-05T00:00:00.000Z',
    });
    assert.equal(digest([event()]), digest([reordered]));
  });

  test('any change of id, stream, revision, type, data, metadata or order changes the digest', () => {
    const base = digest([event(), event({ eventId: 'other', revision: 4 })]);
    const changes: Array<Partial<RecordedEvent>> = [
      { eventId: '00000000-0000-0000-0000-000000000000' },
      { streamId: 'pop-fra2' },
      { revision: 2 },
      { type: 'RackRemoved' },
      { data: { popId: 'fra1', rack: { id: 'R1', heightU: 41 }, tags: ['a', 'b'] } },
      { data: { popId: 'fra1', rack: { id: 'R1', heightU: 42 }, tags: ['b', 'a'] } },
      { metadata: { ...event().metadata, actor: 'u' } },
    ];
    for (const change of changes) assert.notEqual(digest([event(change), event({ eventId: 'other', revision: 4 })]), base, JSON.stringify(change));
    assert.notEqual(digest([event({ eventId: 'other', revision: 4 }), event()]), base, 'order');
    assert.notEqual(digest([event()]), base, 'count');
  });
});
