import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import type { NewEvent, ReadAllBatch } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { testDatabases } from '../../support/test-databases';

const TIMEOUT = { timeout: 60_000 };

function event(type: string, data: Record<string, unknown>): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { effectiveAt: '2026-01-02T03:04:05.678Z', actor: 'a "quoted" actor', source: 'cli', commandId, correlationId: commandId, schemaVersion: 1 },
  };
}

/** Every batch of the log, `maxCount` events at a time. */
async function batches(read: (checkpoint: string | null, maxCount: number) => Promise<ReadAllBatch>, maxCount: number): Promise<ReadAllBatch[]> {
  const all: ReadAllBatch[] = [];
  let checkpoint: string | null = null;
  for (;;) {
    const batch = await read(checkpoint, maxCount);
    all.push(batch);
    if (batch.events.length === 0) return all;
    checkpoint = batch.checkpoint;
  }
}

for (const database of testDatabases()) {
  describe(`PostgresEventStore.readAllForReplay on ${database.name}`, () => {
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    let store: PostgresEventStore;
    before(async () => {
      ({ sql, dispose } = await database.create());
      store = new PostgresEventStore(sql);
    });
    after(() => dispose());

    test('reads the same events and checkpoints as readAll', TIMEOUT, async () => {
      assert.deepEqual(await store.readAllForReplay(null, 10), { events: [], checkpoint: null });
      await store.append('pop-a', [event('Odd "type"\\', { text: 'quote " backslash \\ newline \n tab \t ünïcødé 🚀 \u0001', n: [1.5, 1e21, -0, 0.1, 12345678901234567890], nested: { x: null, y: true } })], 'no_stream');
      await store.append('pop-b.x:y-z_1', [event('A', {}), event('B', { list: [] })], 'no_stream');
      await store.append('pop-a', [event('C', { at: '2026-01-01T00:00:00.000Z' })], 0);
      // Sub-millisecond append times: both reads must cut them to the millisecond the same way.
      await sql.query(`UPDATE es_events SET recorded_at = t.at FROM (VALUES (0, '2026-03-04 05:06:07.999999+00'::timestamptz), (1, '1999-12-31 23:59:59.0005+00'), (2, '2026-03-04 05:06:07+00')) AS t(r, at) WHERE revision = t.r`);
      for (const maxCount of [1, 2, 100]) {
        assert.deepEqual(await batches((c, n) => store.readAllForReplay(c, n), maxCount), await batches((c, n) => store.readAll(c, n), maxCount));
      }
    });
  });
}
