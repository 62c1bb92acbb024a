import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { runMigrations } from '../../../src/platform/database/migrations.runner';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import type { NewEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { postgresEventStoreMigrations } from '../../../src/platform/event-store/postgres-event-store.migrations';
import { testDatabases } from '../../support/test-databases';

const TIMEOUT = { timeout: 60_000 };
const JSON_DATA = '0050-event-store-json-data';

function event(type: string, data: Record<string, unknown>): NewEvent {
  const commandId = randomUUID();
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { effectiveAt: '2026-01-02T03:04:05.678Z', actor: 'bench', source: 'cli', commandId, correlationId: commandId, schemaVersion: 1 },
  };
}

async function columnTypes(sql: SqlClient): Promise<Record<string, string>> {
  const { rows } = await sql.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = 'es_events' AND column_name IN ('data', 'metadata')`,
  );
  return Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
}

for (const database of testDatabases()) {
  describe(`event data format upgrade (jsonb → json) on ${database.name}`, () => {
    let sql: SqlClient;
    let dispose: () => Promise<void>;
    before(async () => {
      ({ sql, dispose } = await database.create());
    });
    after(() => dispose());

    test('a log written as jsonb reads back unchanged after the migration, and takes appends of every kind', TIMEOUT, async () => {
      // The log as a release before the migration wrote it: jsonb columns, appends through es_append.
      await runMigrations(sql, postgresEventStoreMigrations.filter(({ id }) => id < JSON_DATA));
      assert.deepEqual(await columnTypes(sql), { data: 'jsonb', metadata: 'jsonb' });
      const old = [
        event('PopRegistered', { popId: 'p1', n: [1.5, 1e21, 0.1], nested: { z: null, a: true }, text: 'quote " ünïcødé 🚀' }),
        event('RackInstalled', { popId: 'p1', rackId: 'r1', heightU: 42 }),
      ];
      const pending = old.map(({ eventId, type, data, metadata }) => ({ id: eventId, type, data, metadata }));
      const { rows } = await sql.query<{ ok: boolean }>('SELECT ok FROM es_append($1, $2, $3)', ['pop-p1', 'no_stream', JSON.stringify(pending)]);
      assert.deepEqual(rows, [{ ok: true }]);

      // The current store migrates it on first use.
      const store = new PostgresEventStore(sql);
      const before = await store.readStream('pop-p1');
      assert.deepEqual(await columnTypes(sql), { data: 'json', metadata: 'json' });
      assert.deepEqual(
        before.map(({ eventId, type, data, metadata, revision }) => ({ eventId, type, data, metadata, revision })),
        old.map(({ eventId, type, data, metadata }, revision) => ({ eventId, type, data, metadata, revision })),
      );

      // Single appends (es_append_locked), grouped appends (es_append_all) and set-wise copies all write json.
      await store.append('pop-p1', [event('DeviceInstalled', { popId: 'p1', deviceId: 'd1' })], 1);
      await store.appendMany([
        { streamId: 'pop-p1', events: [event('DeviceRemoved', { popId: 'p1', deviceId: 'd1' })], expectedRevision: 'any' },
        { streamId: 'pop-p2', events: [event('PopRegistered', { popId: 'p2', a: 2 })], expectedRevision: 'any' },
      ]);
      await store.appendMany([{ streamId: 'pop-p3', events: [event('PopRegistered', { popId: 'p3', a: 1 })], expectedRevision: 'no_stream' }]);
      const all = await store.readAll(null, 100);
      assert.deepEqual(
        all.events.map(({ streamId, revision, type }) => `${streamId}@${revision} ${type}`),
        ['pop-p1@0 PopRegistered', 'pop-p1@1 RackInstalled', 'pop-p1@2 DeviceInstalled', 'pop-p1@3 DeviceRemoved', 'pop-p2@0 PopRegistered', 'pop-p3@0 PopRegistered'],
      );
      assert.deepEqual(all.events.slice(0, 2), before);
      assert.deepEqual(await store.readAllForReplay(null, 100), all);
      // The text as appended is kept, by both append paths (jsonb would have put "a" first).
      const { rows: stored } = await sql.query<{ data: string }>(`SELECT data::text AS data FROM es_events WHERE stream_id IN ('pop-p2', 'pop-p3') ORDER BY stream_id`);
      assert.deepEqual(stored, [{ data: '{"popId":"p2","a":2}' }, { data: '{"popId":"p3","a":1}' }]);
    });
  });
}
