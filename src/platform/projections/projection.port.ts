import { SqlQueryable } from '../database/sql-client.port';
import { RecordedEvent } from '../event-store/event-store.port';

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
  /** Base names of the tables it owns (at most 54 characters, so that `<base>__rebuild` fits PostgreSQL's 63). */
  readonly tables: readonly string[];
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
}
