import { SqlQueryable } from '../database/sql-client.port';
import { RecordedEvent, UndecodableEventError } from '../event-store/event-store.port';
import { upcast } from '../event-store/event.upcasters';

/**
 * Maps a table's base name to its physical name: the base name itself for the live tables, a scratch
 * copy while a rebuild fills fresh tables next to the live ones.
 */
export type TableNames = (base: string) => string;

export const liveTables: TableNames = (base) => base;
export const rebuildTables: TableNames = (base) => `${base}__rebuild`;

/**
 * A read model fed by the projection engine. It owns its tables; the engine creates them, hands it
 * whole batches of the global log inside the transaction that also moves its checkpoint, and swaps
 * in freshly built copies on rebuild.
 */
export interface Projection {
  /** Stable and unique: the key of its checkpoint. */
  readonly name: string;
  /**
   * The event types it handles ('all': every event). The engine hands `handle` only these, upcast
   * once for every projection, so no projection selects or upcasts events itself.
   */
  readonly eventTypes: readonly string[] | 'all';
  /** Base names of the tables it owns (at most 54 characters, so that `<base>__rebuild` fits PostgreSQL's 63). */
  readonly tables: readonly string[];
  /** Base names of views over its tables (same rules), made by `createTables`: dropped before the tables, renamed with them. */
  readonly views?: readonly string[];
  /**
   * CREATE TABLE statements (several, separated by semicolons), every name through `t`.
   * Indexes and sequences must be named `${t(table)}_<suffix>` so that a rebuild's copies do not collide
   * with the live ones and get their live names back on swap.
   */
  createTables(t: TableNames): string;
  /** Secondary indexes (same rules). A rebuild creates them after the bulk load, which is faster. */
  createIndexes?(t: TableNames): string;
  /**
   * Applies a batch of events (global order, up to thousands) inside the engine's transaction. Write with
   * multi-row statements (unnest of arrays), not one round trip per event. Throwing rolls the batch back.
   */
  handle(tx: SqlQueryable, events: RecordedEvent[], t: TableNames): Promise<void>;
  /**
   * Events of different streams touch disjoint rows (no statement reads or writes another stream's),
   * so a rebuild may apply the streams in several concurrent transaction chains, each stream's events
   * in log order.
   */
  readonly streamsIndependent?: boolean;
  /**
   * Its state is not to be rebuilt from the log (an outbox must never record the past again): a rebuild
   * leaves its tables and its checkpoint alone and only clears a FAILED status, so that it resumes where
   * it stopped.
   */
  readonly resumesOnRebuild?: boolean;
}

const typeSets = new WeakMap<Projection, ReadonlySet<string>>();

/** The events of `events` that `projection` handles, in log order. */
export function eventsFor(projection: Projection, events: RecordedEvent[]): RecordedEvent[] {
  if (projection.eventTypes === 'all') return events;
  let types = typeSets.get(projection);
  if (!types) typeSets.set(projection, (types = new Set(projection.eventTypes)));
  return events.filter((event) => types.has(event.type));
}

/**
 * Lifts every event of a batch read from the log to its current schema, once for all projections. An
 * undecodable event stays as it is: the projections that handle its type fail on it (the runner and
 * the rebuild call assertDecodable before `handle`).
 */
export function upcastAll(events: RecordedEvent[]): RecordedEvent[] {
  return events.map((event) => {
    try {
      return upcast(event);
    } catch (error) {
      if (error instanceof UndecodableEventError) return event;
      throw error;
    }
  });
}
