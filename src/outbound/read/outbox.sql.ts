import { SqlQueryable } from '../../platform/database/sql-client.port';
import { ANNOUNCED_ROWS, announcedFrom, announcedParams, AnnouncedRequests, AnnouncedRow, AnnouncedStatus } from './capacity-announced.table';

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
  /** JSON.stringify's output (serializeEvent): no raw newline. */
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

/**
 * Locks the outbox's state and reads it, with the announced capacity statuses of `requests`, in one statement
 * (a projection batch pays a round trip per statement). One snapshot serves both: every writer of the
 * announced statuses holds the outbox's checkpoint row, which the batch locked in an earlier statement,
 * so none can commit while this one waits for the state's lock.
 */
export async function lockOutboxState(q: SqlQueryable, requests: AnnouncedRequests): Promise<{ state: OutboxState; announced: Map<string, AnnouncedStatus> }> {
  const { rows } = await q.query<{ state_position: string | null; emit_position: string | null; next_seq: string | number | null } & Partial<AnnouncedRow>>(
    `WITH state AS MATERIALIZED (SELECT state_position, emit_position, next_seq FROM outbox_state WHERE id = 1 FOR UPDATE)
     SELECT st.*, a.* FROM (SELECT 1) AS one
       LEFT JOIN state st ON true
       LEFT JOIN (${ANNOUNCED_ROWS}) a ON true
      ORDER BY a.pop_id, a.resource, a.at`,
    announcedParams(requests),
  );
  const [first] = rows;
  const state: OutboxState =
    first.next_seq === null ? { statePosition: null, emitPosition: null, nextSeq: 1 } : { statePosition: first.state_position, emitPosition: first.emit_position, nextSeq: Number(first.next_seq) };
  return { state, announced: announcedFrom(rows.filter((row): row is typeof row & AnnouncedRow => row.pop_id != null)) };
}

/**
 * Appends `rows` (in order, from `state.nextSeq` on) and moves the state, in the caller's transaction and
 * one statement (a projection batch pays a round trip per statement). The bodies go as one text, one a line:
 * a body is JSON.stringify's output, which never holds a raw newline, and as array elements each of its
 * quotes would be escaped by the client and unescaped by the server (a procurement batch sends 1,000 bodies).
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
       SELECT * FROM unnest($4::bigint[], $5::text[], $6::text[], $7::text[], string_to_array($8::text, E'\\n'), $9::text[])
       ON CONFLICT (event_id) DO NOTHING
     )
     ${moveState}`,
    [
      ...stateParams,
      rows.map((_, index) => state.nextSeq + index),
      rows.map((row) => row.eventId),
      rows.map((row) => row.type),
      rows.map((row) => row.popId),
      rows.map((row) => row.body).join('\n'),
      rows.map((row) => row.sourcePosition),
    ],
  );
}
