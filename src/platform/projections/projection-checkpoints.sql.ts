import { SqlQueryable } from '../database/sql-client.port';
import { Migration } from '../database/migrations.runner';
import { EventStore, RecordedEvent } from '../event-store/event-store.port';

export type ProjectionState = 'RUNNING' | 'FAILED';
export type EventStoreKind = EventStore['kind'];

/** The event a projection stopped on, as shown by projectionStatus. */
export interface FailedEvent {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  position: string;
}

export interface Checkpoint {
  name: string;
  /** Position of the last event applied (null: none yet). */
  position: string | null;
  /** The kind of event store `position` belongs to (null: not known yet, no position). */
  store: EventStoreKind | null;
  status: ProjectionState;
  lastError: string | null;
  failedEvent: FailedEvent | null;
  updatedAt: string;
}

/** What every checkpoint change publishes on the checkpoint channel (JSON). */
export interface CheckpointNotice {
  checkpoints: Array<Pick<Checkpoint, 'name' | 'position' | 'status'>>;
  /** Set by a rebuild swap: the live runners of these projections must resubscribe from the new checkpoint. */
  reset?: true;
}

export const projectionMigrations: Migration[] = [
  {
    id: '0200-projection-checkpoints',
    sql: `CREATE TABLE IF NOT EXISTS projection_checkpoints (
      name text PRIMARY KEY,
      position text,
      status text NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'FAILED')),
      last_error text,
      failed_event jsonb,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
  {
    // Positions of both stores look alike (<20 digits>:<20 digits>): each checkpoint says whose it is.
    // Checkpoints written before: a position that this schema's es_events holds is PostgreSQL's (that
    // table exists only where EVENT_STORE=postgres ran), any other EventStoreDB's; no position: none yet.
    id: '0201-projection-checkpoints-store',
    sql: `ALTER TABLE projection_checkpoints ADD COLUMN store text CHECK (store IN ('postgres', 'esdb'));
    DO $$
    BEGIN
      IF to_regclass('es_events') IS NOT NULL THEN
        UPDATE projection_checkpoints c
           SET store = CASE WHEN EXISTS (
                 SELECT 1 FROM es_events e
                  -- (through numeric: xid8 reads a leading zero as octal)
                  WHERE e.transaction_id = split_part(c.position, ':', 1)::numeric::text::xid8
                    AND e.global_position = split_part(c.position, ':', 2)::bigint) THEN 'postgres' ELSE 'esdb' END
         WHERE c.position IS NOT NULL;
      ELSE
        UPDATE projection_checkpoints SET store = 'esdb' WHERE position IS NOT NULL;
      END IF;
    END $$`,
  },
];

/** Checkpoints of another event store than the one the service runs on: their positions mean nothing here. */
export class ForeignCheckpointsError extends Error {
  constructor(
    readonly projections: string[],
    readonly stores: EventStoreKind[],
    readonly current: EventStoreKind,
  ) {
    super(
      `Read-model checkpoints of ${projections.join(', ')} belong to the ${[...new Set(stores)].join(' and ')} event store, ` +
        `not ${current} (EVENT_STORE): run \`npm run rebuild\` to rebuild the read models from this store, then start again`,
    );
    this.name = 'ForeignCheckpointsError';
  }
}

/** Another writer moved the checkpoint (a rebuild swap, or a deposed leader still running): resubscribe. */
export class CheckpointMovedError extends Error {
  constructor(readonly projection: string) {
    super(`Checkpoint of projection ${projection} was moved by another writer`);
    this.name = 'CheckpointMovedError';
  }
}

interface CheckpointRow {
  name: string;
  position: string | null;
  store: EventStoreKind | null;
  status: ProjectionState;
  last_error: string | null;
  failed_event: FailedEvent | string | null;
  updated_at: string | Date;
}

const COLUMNS = 'name, position, store, status, last_error, failed_event, updated_at';

/**
 * The projection_checkpoints table. Every write to a projection's row happens in a transaction that
 * first locks that row (`claim`), so batches, failures and rebuild swaps of one projection serialize,
 * and a writer whose idea of the checkpoint is stale finds out instead of doubling events. Every
 * write stamps the row with `store`, the kind of event store its position belongs to (none while it
 * has no position: a read model that has applied nothing may start on any store).
 */
export class ProjectionCheckpoints {
  constructor(
    readonly channel: string,
    readonly store: EventStoreKind,
  ) {}

  /** Throws ForeignCheckpointsError when a checkpoint of `names` belongs to another event store. */
  async assertOwn(q: SqlQueryable, names: string[]): Promise<void> {
    const rows = await this.foreign(q, names);
    if (rows.length > 0) throw new ForeignCheckpointsError(rows.map((row) => row.name), rows.map((row) => row.store), this.store);
  }

  /** The checkpoints of `names` that belong to another event store than this one. */
  async foreign(q: SqlQueryable, names: string[]): Promise<Array<{ name: string; store: EventStoreKind }>> {
    const { rows } = await q.query<{ name: string; store: EventStoreKind }>(
      'SELECT name, store FROM projection_checkpoints WHERE name = ANY($1::text[]) AND store IS NOT NULL AND store <> $2 ORDER BY name',
      [names, this.store],
    );
    return rows;
  }

  async all(q: SqlQueryable): Promise<Checkpoint[]> {
    const { rows } = await q.query<CheckpointRow>(`SELECT ${COLUMNS} FROM projection_checkpoints ORDER BY name`);
    return rows.map(toCheckpoint);
  }

  /**
   * Locks the rows (in name order, like every multi-row lock here) and checks each still says its
   * `expected` position and RUNNING, else throws CheckpointMovedError. Also lets the transaction
   * commit without waiting for the WAL flush: a checkpoint commits with its projection's writes, so a
   * crash that loses the transaction loses the checkpoint move too, and the batch is replayed. Not
   * when `durable`: the transaction also holds an append (the embedded default applies it there).
   */
  async claim(tx: SqlQueryable, expected: ReadonlyMap<string, string | null>, options: { durable?: boolean } = {}): Promise<void> {
    const names = [...expected.keys()].sort();
    const { rows } = await tx.query<{ name: string; position: string | null; status: ProjectionState }>(
      `SELECT name, position, status FROM projection_checkpoints${this.asynchronousCommit(options)}
        WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE OF projection_checkpoints`,
      [names],
    );
    const found = new Map(rows.map((row) => [row.name, row]));
    for (const name of names) {
      const row = found.get(name);
      if (!row || row.position !== expected.get(name) || row.status !== 'RUNNING') throw new CheckpointMovedError(name);
    }
  }

  /** Lets the transaction commit without waiting for the WAL flush, unless `durable` (see `claim`). */
  private asynchronousCommit({ durable }: { durable?: boolean }): string {
    return durable ? '' : ", set_config('synchronous_commit', 'off', true)";
  }

  /** Locks the rows of a rebuild swap, in name order like every other multi-row lock here. */
  async claimAll(tx: SqlQueryable, names: string[]): Promise<void> {
    await tx.query('SELECT name FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE', [names]);
  }

  /**
   * What `claim` checks and locks, and the move of the rows to `position` with its notice, in one statement
   * (a projection batch pays a round trip per statement): the move is written before the batch's writes
   * but commits or rolls back with them. Throws CheckpointMovedError, like `claim`, for a row that moved.
   * The batch's later statements then run on their generic plans: left to choose, the server plans the
   * step tables' and the outbox's statements afresh on every call (their `unnest` of parameter arrays makes
   * a generic plan look dearer than it is), and that planning cost more than running them. A generic plan
   * is made again with each connection or statement (PLAN_LIFETIME_MS), so it follows the tables' sizes.
   */
  async claimAndAdvance(tx: SqlQueryable, expected: ReadonlyMap<string, string | null>, position: string, options: { durable?: boolean } = {}): Promise<void> {
    const names = [...expected.keys()].sort();
    const notice: CheckpointNotice = { checkpoints: names.map((name) => ({ name, position, status: 'RUNNING' })) };
    // MATERIALIZED: every row is locked in name order (as everywhere here) before the update touches it.
    const { rows } = await tx.query<{ moved: string[] | null }>(
      `WITH locked AS MATERIALIZED (
         SELECT name, position, status FROM projection_checkpoints${this.asynchronousCommit(options)}, set_config('plan_cache_mode', 'force_generic_plan', true) AS generic_plans
          WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE OF projection_checkpoints
       ), moved AS (
         UPDATE projection_checkpoints c
            SET position = $3, status = 'RUNNING', last_error = NULL, failed_event = NULL, updated_at = now(), store = $4
           FROM locked l JOIN unnest($1::text[], $2::text[]) AS e(name, position) ON e.name = l.name
          WHERE c.name = l.name AND l.status = 'RUNNING' AND l.position IS NOT DISTINCT FROM e.position
         RETURNING c.name
       ), notified AS (
         SELECT pg_notify($5, $6) FROM (SELECT 1 FROM moved LIMIT 1) AS any_moved
       )
       SELECT (SELECT array_agg(name) FROM moved) AS moved, (SELECT count(*) FROM notified) AS notified`,
      [names, names.map((name) => expected.get(name) ?? null), position, this.store, this.channel, JSON.stringify(notice)],
    );
    const moved = new Set(rows[0].moved ?? []);
    const stale = names.find((name) => !moved.has(name));
    if (stale !== undefined) throw new CheckpointMovedError(stale);
  }

  async fail(tx: SqlQueryable, name: string, position: string | null, error: string, event: RecordedEvent): Promise<void> {
    const failed: FailedEvent = {
      eventId: event.eventId,
      type: event.type,
      streamId: event.streamId,
      revision: event.revision,
      position: event.position,
    };
    await this.update(tx, [name], position, 'FAILED', error, failed);
  }

  /** Starts projections over at `position` (fresh tables or a rebuild swap), clearing any failure. */
  async reset(tx: SqlQueryable, names: string[], position: string | null): Promise<void> {
    await tx.query(
      `INSERT INTO projection_checkpoints (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING`,
      [names],
    );
    await this.update(tx, names, position, 'RUNNING', null, null, true);
  }

  /**
   * Clears a failure and lets the projections go on from their own checkpoint; notifies `reset` so that
   * the live runner takes them up again.
   */
  async resume(tx: SqlQueryable, names: string[]): Promise<void> {
    const { rows } = await tx.query<{ name: string; position: string | null }>(
      'SELECT name, position FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE',
      [names],
    );
    const notice: CheckpointNotice = { checkpoints: rows.map(({ name, position }) => ({ name, position, status: 'RUNNING' })), reset: true };
    await tx.query(
      `WITH changed AS (
         UPDATE projection_checkpoints SET status = 'RUNNING', last_error = NULL, failed_event = NULL, updated_at = now()
          WHERE name = ANY($1::text[]) RETURNING name)
       SELECT pg_notify($2, $3) FROM (SELECT 1 FROM changed LIMIT 1) AS any_changed`,
      [names, this.channel, JSON.stringify(notice)],
    );
  }

  /** One statement: update the rows and notify (delivered on commit). */
  private async update(
    tx: SqlQueryable,
    names: string[],
    position: string | null,
    status: ProjectionState,
    lastError: string | null,
    failedEvent: FailedEvent | null,
    reset?: true,
  ): Promise<void> {
    const notice: CheckpointNotice = { checkpoints: names.map((name) => ({ name, position, status })), reset };
    await tx.query(
      `WITH changed AS (
         UPDATE projection_checkpoints
            SET position = $2, status = $3, last_error = $4, failed_event = $5::jsonb, updated_at = now(),
                store = CASE WHEN $2::text IS NULL THEN NULL ELSE $8 END
          WHERE name = ANY($1::text[])
         RETURNING name)
       SELECT pg_notify($6, $7) FROM (SELECT 1 FROM changed LIMIT 1) AS any_changed`,
      [names, position, status, lastError, failedEvent && JSON.stringify(failedEvent), this.channel, JSON.stringify(notice), this.store],
    );
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    position: row.position,
    store: row.store,
    status: row.status,
    lastError: row.last_error,
    failedEvent: typeof row.failed_event === 'string' ? (JSON.parse(row.failed_event) as FailedEvent) : row.failed_event,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
