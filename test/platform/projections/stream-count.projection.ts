import { RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { Projection } from '../../../src/platform/projections/projection.port';

/**
 * Test read model: events per stream. Counting (rather than upserting a value) makes any doubled or
 * lost event visible. `failOn` makes it throw on matching events, after writing the batch's earlier
 * events, to prove the batch is rolled back as a whole.
 */
export function streamCountProjection(options: { name?: string; failOn?: (event: RecordedEvent) => boolean } = {}): Projection {
  const name = options.name ?? 'stream_counts';
  const table = `${name}_rm`;
  return {
    name,
    eventTypes: 'all',
    tables: [table],
    createTables: (t) =>
      `CREATE TABLE ${t(table)} (id bigserial UNIQUE, stream_id text PRIMARY KEY, events integer NOT NULL, last_revision integer NOT NULL)`,
    createIndexes: (t) => `CREATE INDEX ${t(table)}_events_idx ON ${t(table)} (events, stream_id)`,
    async handle(tx, events, t) {
      const failing = events.findIndex((event) => options.failOn?.(event));
      const counted = failing < 0 ? events : events.slice(0, failing);
      await tx.query(
        `INSERT INTO ${t(table)} AS c (stream_id, events, last_revision)
         SELECT stream_id, count(*), max(revision) FROM unnest($1::text[], $2::int[]) AS e(stream_id, revision) GROUP BY stream_id
         ON CONFLICT (stream_id) DO UPDATE SET events = c.events + excluded.events, last_revision = excluded.last_revision`,
        [counted.map((event) => event.streamId), counted.map((event) => event.revision)],
      );
      if (failing >= 0) throw new Error(`cannot count ${events[failing].type}`);
    },
  };
}
