import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { SqlClient } from '../../../src/platform/database/sql-client.port';
import type { EventStore, NewEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { ProjectionEngine, type ProjectionEngineOptions } from '../../../src/platform/projections/projection.engine';
import { physicalPopSetup, mutation } from '../../support/fixtures';
import { startKurrentDbDouble } from '../../support/kurrentdb-double';
import { graphql } from '../../support/service-client';
import { SERVICE_MAIN, startServiceProcess } from '../../support/service-process';
import { testDatabases } from '../../support/test-databases';
import { streamCountProjection } from './stream-count.projection';

const FAST: ProjectionEngineOptions = { leaderRetryMs: 50, heartbeatMs: 500, retryDelayMs: 10, recheckMs: 200 };
const TIMEOUT = { timeout: 60_000 };

function newEvent(type: string): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data: {},
    metadata: { effectiveAt: '2025-01-01T00:00:00.000Z', actor: 'test', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
  };
}

/** An EventStoreDB store with an empty log, as far as the engine can tell; records subscriptions. */
function emptyEsdbStore(): EventStore & { subscriptions: Array<string | null> } {
  const subscriptions: Array<string | null> = [];
  return {
    kind: 'esdb',
    subscriptions,
    append: () => Promise.reject(new Error('not here')),
    readStream: () => Promise.reject(new Error('not here')),
    streamRevision: async () => null,
    readAll: async (checkpoint) => ({ events: [], checkpoint }),
    headPosition: async () => null,
    countAfter: async () => 0,
    subscribe(checkpoint) {
      subscriptions.push(checkpoint);
      return { stop: async () => undefined };
    },
    close: async () => undefined,
  };
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stamps(sql: SqlClient): Promise<Array<[string, string | null, string | null]>> {
  const { rows } = await sql.query<{ name: string; store: string | null; position: string | null }>('SELECT name, store, position FROM projection_checkpoints ORDER BY name');
  return rows.map((row) => [row.name, row.store, row.position]);
}

const REFUSAL = /^Read-model checkpoints of .+ belong to the (postgres|esdb) event store, not (postgres|esdb)[^\n]*: run `npm run rebuild`[^\n]*$/;

for (const database of testDatabases()) {
  describe(`read-model checkpoints record their event store (${database.name})`, () => {
    test('checkpoints written under PostgreSQL: started against EventStoreDB, the engine refuses with one line saying to rebuild; after the rebuild it starts', TIMEOUT, async () => {
      const { sql, dispose } = await database.create();
      const pg = new PostgresEventStore(sql);
      const esdb = emptyEsdbStore();
      const engines: ProjectionEngine[] = [];
      const engine = (store: EventStore) => {
        const created = new ProjectionEngine(sql, store, [streamCountProjection()], FAST);
        engines.push(created);
        return created;
      };
      try {
        const last = await pg.append('pop-a', [newEvent('A'), newEvent('B')], 'no_stream');
        const first = engine(pg);
        await first.start();
        assert.equal(await first.waitFor(last.position, 30_000), true);
        await first.stop();
        assert.deepEqual(await stamps(sql), [['stream_counts', 'postgres', last.position]]);

        const other = engine(esdb);
        await assert.rejects(other.start(), (error: Error) => {
          assert.match(error.message, REFUSAL);
          assert.match(error.message, /stream_counts/);
          return true;
        });
        assert.deepEqual(esdb.subscriptions, [], 'no subscription from a PostgreSQL position');
        await other.stop();

        // `npm run rebuild` against the new store: the checkpoints start over, stamped with it.
        const rebuilder = engine(esdb);
        await rebuilder.rebuild();
        await rebuilder.stop();
        assert.deepEqual(await stamps(sql), [['stream_counts', null, null]]);
        const after = engine(esdb);
        await after.start();
        await eventually('a subscription', async () => esdb.subscriptions.length > 0);
        assert.deepEqual(esdb.subscriptions, [null]);
      } finally {
        for (const created of engines) await created.stop();
        await dispose();
      }
    });

    test('checkpoints without a position (nothing applied yet) belong to no store: another store starts on them', TIMEOUT, async () => {
      const { sql, dispose } = await database.create();
      const pg = new PostgresEventStore(sql);
      const esdb = emptyEsdbStore();
      const first = new ProjectionEngine(sql, pg, [streamCountProjection()], FAST);
      const second = new ProjectionEngine(sql, esdb, [streamCountProjection()], FAST);
      try {
        await first.start();
        await first.stop();
        assert.deepEqual(await stamps(sql), [['stream_counts', null, null]]);
        await second.start();
        await eventually('a subscription', async () => esdb.subscriptions.length > 0);
        assert.deepEqual(esdb.subscriptions, [null]);
      } finally {
        await first.stop();
        await second.stop();
        await dispose();
      }
    });

    test('checkpoints written before the stamp (upgrade): a position of this schema\'s es_events is PostgreSQL\'s, any other EventStoreDB\'s', TIMEOUT, async () => {
      const { sql, dispose } = await database.create();
      const pg = new PostgresEventStore(sql);
      const projections = [streamCountProjection({ name: 'from_pg' }), streamCountProjection({ name: 'from_esdb' }), streamCountProjection({ name: 'fresh' })];
      const engines: ProjectionEngine[] = [];
      try {
        const last = await pg.append('pop-a', [newEvent('A')], 'no_stream');
        const first = new ProjectionEngine(sql, pg, projections, FAST);
        engines.push(first);
        await first.prepare();
        await first.stop();
        // The schema of the version before the stamp, with checkpoints it wrote.
        await sql.query(`ALTER TABLE projection_checkpoints DROP COLUMN store`);
        await sql.query(`DELETE FROM schema_migrations WHERE id LIKE '0201-%'`);
        await sql.query(`UPDATE projection_checkpoints SET position = $1 WHERE name = 'from_pg'`, [last.position]);
        await sql.query(`UPDATE projection_checkpoints SET position = '00000000000000123456:00000000000000123456' WHERE name = 'from_esdb'`);

        const onPostgres = new ProjectionEngine(sql, pg, projections, FAST);
        engines.push(onPostgres);
        await assert.rejects(onPostgres.start(), (error: Error) => REFUSAL.test(error.message) && /from_esdb/.test(error.message) && !/from_pg|fresh/.test(error.message));
        assert.deepEqual(await stamps(sql), [
          ['fresh', null, null],
          ['from_esdb', 'esdb', '00000000000000123456:00000000000000123456'],
          ['from_pg', 'postgres', last.position],
        ]);
        const onEsdb = new ProjectionEngine(sql, emptyEsdbStore(), projections, FAST);
        engines.push(onEsdb);
        await assert.rejects(onEsdb.start(), (error: Error) => REFUSAL.test(error.message) && /from_pg/.test(error.message) && !/from_esdb|fresh/.test(error.message));
      } finally {
        for (const engine of engines) await engine.stop();
        await dispose();
      }
    });
  });
}

const REBUILD_MAIN = join(__dirname, '..', '..', '..', 'src', 'tools', 'cli', 'rebuild.cli.js');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a compiled entry point to its end (a service that starts listening is stopped: it did not refuse). */
async function runToExit(main: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  for (const name of ['DATABASE_URL', 'API_KEYS', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'PORT']) delete childEnv[name];
  const child = spawn(process.execPath, [main], { env: { ...childEnv, PORT: String(await freePort()), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (/PoP Ledger listening/.test(output)) child.kill('SIGTERM');
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

describe('the compiled service on read models of another event store', () => {
  test('refuses to start with one line that says to rebuild; after `npm run rebuild` against the new store it starts', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'checkpoint-store-'));
    const secret = `secret-${randomUUID()}`;
    const API_KEYS = `ops:admin:${secret}`;
    const double = await startKurrentDbDouble();
    try {
      // Under the embedded PostgreSQL store: a command, projected (checkpoints with PostgreSQL positions).
      const onPostgres = await startServiceProcess({ env: { DATA_DIR: dataDir, API_KEYS } });
      try {
        const [name, input] = physicalPopSetup('fra9')[0];
        const answer = await graphql(onPostgres.url, secret, mutation(name), { input });
        assert.equal(answer.data?.[name]?.projected, true, JSON.stringify(answer));
      } finally {
        await onPostgres.stop();
      }

      const esdb = { DATA_DIR: dataDir, API_KEYS, EVENT_STORE: 'esdb', EVENTSTORE_CONNECTION_STRING: double.connectionString };
      const refused = await runToExit(SERVICE_MAIN, esdb);
      assert.equal(refused.code, 1, refused.output);
      const line = refused.output.split('\n').find((candidate) => candidate.startsWith('PoP Ledger failed to start:'));
      assert.ok(line, refused.output);
      assert.match(line, /^PoP Ledger failed to start: Read-model checkpoints of .+ belong to the postgres event store, not esdb .*`npm run rebuild`/);

      const rebuilt = await runToExit(REBUILD_MAIN, esdb);
      assert.equal(rebuilt.code, 0, rebuilt.output);
      const onEsdb = await startServiceProcess({ env: esdb });
      await onEsdb.stop();
    } finally {
      await double.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
