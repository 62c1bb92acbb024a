/**
 * Scratch benchmark (not a test): appends 200,000 small events to a fresh schema on the PostgreSQL
 * server and rebuilds the stream-count projection, printing events/s and peak RSS.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node dist/test/projections/rebuild-benchmark.js [events]
 */
import { randomUUID } from 'node:crypto';
import { NewEvent } from '../../src/event-store/event-store.port';
import { PostgresEventStore } from '../../src/event-store/postgres-event-store';
import { ProjectionEngine } from '../../src/projections/projection-engine';
import { testDatabases } from '../support/test-databases';
import { streamCountProjection } from './stream-count.projection';

const STREAMS = 2000;

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 200_000);
  const database = testDatabases().find(({ name }) => name !== 'pglite');
  if (!database) throw new Error('Set DATABASE_URL to benchmark on the PostgreSQL server');
  const { sql, dispose } = await database.create();
  const store = new PostgresEventStore(sql);
  const engine = new ProjectionEngine(sql, store, [streamCountProjection()]);
  try {
    const perAppend = total / STREAMS;
    const appendStarted = Date.now();
    for (let s = 0; s < STREAMS; s += 16) {
      await Promise.all(
        Array.from({ length: Math.min(16, STREAMS - s) }, (_, i) =>
          store.append(`pop-${s + i}`, Array.from({ length: perAppend }, () => event()), 'any'),
        ),
      );
    }
    console.log(`appended ${total} events in ${Date.now() - appendStarted} ms`);

    await engine.prepare();
    const result = await engine.rebuild();
    const rssMb = process.resourceUsage().maxRSS / 1024;
    console.log(
      `rebuilt ${result.events} events in ${Math.round(result.durationMs)} ms: ` +
        `${Math.round(result.events / (result.durationMs / 1000))} events/s, peak RSS ${Math.round(rssMb)} MB`,
    );
  } finally {
    await engine.stop();
    await store.close();
    await dispose();
  }
}

function event(): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'RackInstalled',
    data: { rackId: 'r-1', heightU: 42 },
    metadata: {
      effectiveAt: new Date().toISOString(),
      actor: 'bench',
      source: 'cli',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
