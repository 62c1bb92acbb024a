import { SqlQueryable } from '../database/sql-client.port';
import { Migration } from '../database/migrations.runner';
import { RecordedEvent } from '../event-store/event-store.port';

export type ProjectionState = 'RUNNING' | 'FAILED';

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
];

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
  status: ProjectionState;
  last_error: string | null;
  failed_event: FailedEvent | string | null;
  updated_at: string | Date;
}

const COLUMNS = 'name, position, status, last_error, failed_event, updated_at';

/**
 * The projection_checkpoints table. Every write to a projection's row happens in a transaction that
 * first locks that row (`claim`), so batches, failures and rebuild swaps of one projection serialize,
 * and a writer whose idea of the checkpoint is stale finds out instead of doubling events.
 */
export class ProjectionCheckpoints {
  constructor(readonly channel: string) {}

  async all(q: SqlQueryable): Promise<Checkpoint[]> {
    const { rows } = await q.query<CheckpointRow>(`SELECT ${COLUMNS} FROM projection_checkpoints ORDER BY name`);
    return rows.map(toCheckpoint);
  }

  /**
   * Locks the rows (in name order, like every multi-row lock here) and checks each still says its
   * `expected` position and RUNNING, else throws CheckpointMovedError. Also lets the transaction
   * commit without waiting for the WAL flush: a checkpoint commits with its projection's writes, so a
   * crash that loses the transaction loses the checkpoint move too, and the batch is replayed.
   */
  async claim(tx: SqlQueryable, expected: ReadonlyMap<string, string | null>): Promise<void> {
    const names = [...expected.keys()].sort();
    const { rows } = await tx.query<{ name: string; position: string | null; status: ProjectionState }>(
      `SELECT name, position, status FROM projection_checkpoints, set_config('synchronous_commit', 'off', true)
        WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE OF projection_checkpoints`,
      [names],
    );
    const found = new Map(rows.map((row) => [row.name, row]));
    for (const name of names) {
      const row = found.get(name);
      if (!row || row.position !== expected.get(name) || row.status !== 'RUNNING') throw new CheckpointMovedError(name);
    }
  }

  /** Locks the rows of a rebuild swap, in name order like every other multi-row lock here. */
  async claimAll(tx: SqlQueryable, names: string[]): Promise<void> {
    await tx.query('SELECT name FROM projection_checkpoints WHERE name = ANY($1::text[]) ORDER BY name FOR UPDATE', [names]);
  }

  async advance(tx: SqlQueryable, names: string[], position: string): Promise<void> {
    await this.update(tx, names, position, 'RUNNING', null, null);
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
            SET position = $2, status = $3, last_error = $4, failed_event = $5::jsonb, updated_at = now()
          WHERE name = ANY($1::text[])
         RETURNING name)
       SELECT pg_notify($6, $7) FROM (SELECT 1 FROM changed LIMIT 1) AS any_changed`,
      [names, position, status, lastError, failedEvent && JSON.stringify(failedEvent), this.channel, JSON.stringify(notice)],
    );
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    position: row.position,
    status: row.status,
    lastError: row.last_error,
    failedEvent: typeof row.failed_event === 'string' ? (JSON.parse(row.failed_event) as FailedEvent) : row.failed_event,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
