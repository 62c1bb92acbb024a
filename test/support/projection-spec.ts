import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DomainEvent } from '../../src/kernel/decider.types';
import { RecordedEvent } from '../../src/platform/event-store/event-store.port';
import { eventsFor, liveTables, Projection, upcastAll } from '../../src/platform/projections/projection.port';
import { recreateTables } from '../../src/platform/projections/projection-tables.sql';
import { TestDatabaseFactory } from './test-databases';

/** A domain event on its stream, as a projection spec takes it. */
export type GivenEvent = DomainEvent<string, object> & { streamId: string };

/**
 * given(events).then(query, rows) for one projection on a real database, Emmett style, beside the
 * decider spec. The events are recorded in order (positions and revisions as a store gives them)
 * and fed through the engine's own filter and upcast twice, on fresh tables: as one batch, and as
 * one batch per event. Both must give exactly `rows`: a batch must never project differently from
 * the same events one at a time.
 */
export function projectionSpec(projection: Projection, database: TestDatabaseFactory) {
  return {
    given(events: GivenEvent[]) {
      return {
        async then(query: string, rows: Array<Record<string, unknown>>): Promise<void> {
          const recorded = record(events);
          for (const batches of [[recorded], recorded.map((event) => [event])]) {
            const db = await database.create();
            try {
              await recreateTables(db.sql, [projection], liveTables, { indexes: true });
              for (const batch of batches) {
                await db.sql.transaction((tx) => projection.handle(tx, eventsFor(projection, upcastAll(batch)), liveTables));
              }
              const { rows: actual } = await db.sql.query(query);
              assert.deepEqual(actual, rows, `${batches.length === 1 ? 'one batch' : 'one event per batch'}`);
            } finally {
              await db.dispose();
            }
          }
        },
      };
    },
  };
}

export function record(events: GivenEvent[]): RecordedEvent[] {
  const revisions = new Map<string, number>();
  const recordedAt = new Date('2026-01-01T00:00:00.000Z').getTime();
  return events.map(({ streamId, type, data, effectiveAt }, i) => {
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    return {
      eventId: randomUUID(),
      streamId,
      revision,
      position: `${String(i + 1).padStart(20, '0')}:${String(i + 1).padStart(20, '0')}`,
      recordedAt: new Date(recordedAt + i).toISOString(),
      type,
      data: data as Record<string, unknown>,
      metadata: { effectiveAt, actor: 'spec', source: 'cli', commandId: `c${i}`, correlationId: `c${i}`, schemaVersion: 1 },
    };
  });
}
