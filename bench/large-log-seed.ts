import type { SeedStream } from '../src/tools/seed/stream-builder.seed';
import { withClient } from '../test/support/service-storage';
import { appendToStorage } from '../test/support/storage-store';
import type { ServiceStorage } from '../test/support/service-storage';

/** Copies per INSERT statement (and transaction): about a million events each with 1,000-event PoPs. */
const COPIES_PER_STATEMENT = 1_000;

/**
 * A log of `copies` PoPs for the 10M-event rebuild, written fast: the template PoP's stream (decided
 * by the domain in memory, so valid) appended once through the store, then copied by the server,
 * INSERT … SELECT over generate_series, each copy a PoP of its own (`<id>-<n>`: stream id, popId and
 * code renamed wherever they are a whole value in the data, fresh event ids; the metadata, command ids
 * included, stays the template's, which no projection reads).
 */
export async function seedPopCopies(storage: ServiceStorage, template: SeedStream, copies: number, onProgress: (events: number) => void): Promise<void> {
  const url = storage.env.DATABASE_URL;
  if (storage.kind !== 'postgres' || !url) throw new Error('copies are written by the PostgreSQL server');
  await appendToStorage(storage, [template]);
  const popId = template.streamId.replace(/^pop-/, '');
  const code = String(template.events[0].data.code);
  const revision = template.events.length - 1;
  await withClient(url, async (client) => {
    for (let from = 1; from < copies; from += COPIES_PER_STATEMENT) {
      const to = Math.min(copies - 1, from + COPIES_PER_STATEMENT - 1);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO es_streams (stream_id, revision) SELECT $1 || '-' || n, $4 FROM generate_series($2::int, $3::int) AS n`,
        [template.streamId, from, to, revision],
      );
      const { rowCount } = await client.query(
        `INSERT INTO es_events (stream_id, revision, event_id, type, data, metadata)
         SELECT $1 || '-' || n, e.revision, gen_random_uuid(), e.type,
                replace(replace(e.data::text, '"' || $4 || '"', '"' || $4 || '-' || n || '"'), '"' || $5 || '"', '"' || $5 || '-' || n || '"')::json,
                e.metadata
           FROM generate_series($2::int, $3::int) AS n
           CROSS JOIN (SELECT * FROM es_events WHERE stream_id = $1) e
          ORDER BY n, e.revision`,
        [template.streamId, from, to, popId, code],
      );
      await client.query('COMMIT');
      onProgress(rowCount ?? 0);
    }
  });
}
