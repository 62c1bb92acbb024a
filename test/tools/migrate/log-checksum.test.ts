import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { canonicalJson, eventFingerprint, LogChecksum } from '../../../src/tools/migrate/log-checksum.util';

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

  test('a fingerprint is the canonical JSON line of the event, also for keys an object lists in another order', () => {
    // Beyond the port's types too (data an array, metadata null): what a store could hand back.
    const awkward = [
      { data: { b: [{ d: 1, c: [2, { f: null, e: 'é"\\\u2028' }] }], a: true, '': 0 } },
      // Array-index keys come first in an object, in numeric order; canonical JSON sorts them as text.
      { data: { 10: 'x', 9: 'y', b: 1, a: { 2: 0, '01': 1 } } },
      { data: JSON.parse('{"__proto__":{"y":1,"x":2},"a":1}') as unknown },
      { data: { u: undefined, v: [undefined, -0, 1e21], w: {} } },
      { data: ['\ud800', { b: 2, a: 1 }], metadata: null },
    ] as unknown as Array<Partial<RecordedEvent>>;
    for (const change of awkward) {
      const e = event(change);
      const line = `[${JSON.stringify(e.eventId)},${JSON.stringify(e.streamId)},${e.revision},${JSON.stringify(e.type)},${canonicalJson(e.data)},${canonicalJson(e.metadata)}]`;
      assert.equal(eventFingerprint(e), line);
    }
    assert.equal(
      eventFingerprint(event({ data: { 10: 'x', 9: 'y', a: { d: 1, c: 2 } }, metadata: { b: [], a: null } as unknown as RecordedEvent['metadata'] })),
      '["6a1f9c1e-6a55-4a38-8d0e-3b3b7d1d2f10","pop-fra1",3,"RackInstalled",{"10":"x","9":"y","a":{"c":2,"d":1}},{"a":null,"b":[]}]',
    );
    // The digest of these events as the previous, concatenating fingerprint computed it (logs checksummed before still compare).
    assert.equal(digest(awkward.map((change) => event(change))), '638c986d43a71ac7458038d3a66092f6e0699124b3ff47626bc44bb01935daaf');
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
