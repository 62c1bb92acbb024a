import { allProjections } from '../../../src/app/all-projections.registry';
import { outboundMigrations } from '../../../src/outbound';
import { initOutboxState } from '../../../src/outbound/read/outbox.sql';
import { runMigrations } from '../../../src/platform/database/migrations.runner';
import { RecordedEvent } from '../../../src/platform/event-store/event-store.port';
import { eventsFor, liveTables, upcastAll } from '../../../src/platform/projections/projection.port';
import { recreateTables } from '../../../src/platform/projections/projection-tables.sql';
import { GivenEvent, record } from '../../support/projection-spec';
import { TestDatabase, TestDatabaseFactory } from '../../support/test-databases';

export const THRESHOLDS = { CAPACITY_WARN_PERCENT: 70, CAPACITY_CRITICAL_PERCENT: 80 };

export interface OutboxRow {
  seq: number;
  type: string;
  popId: string;
  id: string;
  occurredAt: string;
  data: Record<string, any>;
  sourcePosition: string;
}

/**
 * Every projection of the service on a fresh database, applied batch by batch as the live runner does
 * (each batch in one transaction, every projection in registry order, the outbox last), so that the
 * outbox sees what the planning and residency read models wrote.
 */
export class OutboxWorld {
  private constructor(
    readonly db: TestDatabase,
    private readonly projections = allProjections(THRESHOLDS),
  ) {}

  /** `emitFrom`: the head at the outbox's first start (events up to it are only caught up with, not announced). */
  static async create(database: TestDatabaseFactory, emitFrom: string | null = null): Promise<OutboxWorld> {
    const db = await database.create();
    await runMigrations(db.sql, outboundMigrations);
    await initOutboxState(db.sql, emitFrom);
    const world = new OutboxWorld(db);
    await recreateTables(db.sql, world.projections, liveTables, { indexes: true });
    return world;
  }

  /** Applies each batch in its own transaction; `only`: apply them to these projections alone. */
  async apply(batches: RecordedEvent[][], only?: string[]): Promise<void> {
    const projections = only ? this.projections.filter(({ name }) => only.includes(name)) : this.projections;
    for (const batch of batches) {
      const events = upcastAll(batch);
      await this.db.sql.transaction(async (tx) => {
        for (const projection of projections) {
          const pending = eventsFor(projection, events);
          if (pending.length > 0) await projection.handle(tx, pending, liveTables);
        }
      });
    }
  }

  async rows(): Promise<OutboxRow[]> {
    const { rows } = await this.db.sql.query<{ seq: string; type: string; pop_id: string; body: string; source_position: string }>(
      'SELECT seq, type, pop_id, body, source_position FROM outbox_events ORDER BY seq',
    );
    return rows.map((row) => {
      const body = JSON.parse(row.body);
      return { seq: Number(row.seq), type: row.type, popId: row.pop_id, id: body.id, occurredAt: body.occurredAt, data: body.data, sourcePosition: row.source_position };
    });
  }

  dispose(): Promise<void> {
    return this.db.dispose();
  }
}

/** The events recorded in order (positions and revisions as a store gives them). */
export function recorded(events: GivenEvent[]): RecordedEvent[] {
  return record(events);
}

/** Capacity and residency announcements, without ids (they derive from random event ids), as short lines. */
export function announced(rows: OutboxRow[]): string[] {
  return rows
    .filter((row) => row.type !== 'INVENTORY_CHANGED')
    .map((row) =>
      row.type === 'CAPACITY_STATUS_CHANGED'
        ? `${row.popId} ${row.data.resource} ${row.data.from}->${row.data.to} ${row.data.utilizationPercent} @${row.data.effectiveAt}`
        : `${row.type} ${row.data.workloadId}@${row.popId} ${row.data.dataCategory} ${row.data.policyId} @${row.data.effectiveAt}`,
    );
}
