import { SqlQueryable } from '../../platform/database/sql-client.port';

/** The outbox's own checkpoint (outbound.migrations.ts, outbox_state). */
export interface OutboxState {
  statePosition: string | null;
  emitPosition: string | null;
  nextSeq: number;
}

/** One row to append to the outbox. */
export interface OutboxRow {
  eventId: string;
  type: string;
  popId: string;
  body: string;
  sourcePosition: string;
}

/**
 * Creates the state row once: a ledger that already has events when the outbox first runs announces only
 * what comes after `head` (its detection state still catches up from the whole log, silently).
 */
export async function initOutboxState(q: SqlQueryable, head: string | null): Promise<void> {
  await q.query(`INSERT INTO outbox_state (id, state_position, emit_position, next_seq) VALUES (1, NULL, $1, 1) ON CONFLICT (id) DO NOTHING`, [head]);
}

export async function readOutboxState(q: SqlQueryable, { lock }: { lock: boolean }): Promise<OutboxState> {
  const { rows } = await q.query<{ state_position: string | null; emit_position: string | null; next_seq: string | number }>(
    `SELECT state_position, emit_position, next_seq FROM outbox_state WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
  );
  if (rows.length === 0) return { statePosition: null, emitPosition: null, nextSeq: 1 };
  return { statePosition: rows[0].state_position, emitPosition: rows[0].emit_position, nextSeq: Number(rows[0].next_seq) };
}

/**
 * Appends `rows` (in order, from `state.nextSeq` on) and moves the state, in the caller's transaction and
 * one statement (a projection batch pays a round trip per statement).
 */
export async function recordOutbox(q: SqlQueryable, state: OutboxState, rows: OutboxRow[], position: string): Promise<void> {
  const emit = state.emitPosition === null || state.emitPosition < position ? position : state.emitPosition;
  const moveState = `INSERT INTO outbox_state (id, state_position, emit_position, next_seq) VALUES (1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET state_position = excluded.state_position, emit_position = excluded.emit_position, next_seq = excluded.next_seq`;
  const stateParams = [position, emit, state.nextSeq + rows.length];
  if (rows.length === 0) {
    await q.query(moveState, stateParams);
    return;
  }
  await q.query(
    `WITH appended AS (
       INSERT INTO outbox_events (seq, event_id, type, pop_id, body, source_position)
       SELECT * FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       ON CONFLICT (event_id) DO NOTHING
     )
     ${moveState}`,
    [
      ...stateParams,
      rows.map((_, index) => state.nextSeq + index),
      rows.map((row) => row.eventId),
      rows.map((row) => row.type),
      rows.map((row) => row.popId),
      rows.map((row) => row.body),
      rows.map((row) => row.sourcePosition),
    ],
  );
}
