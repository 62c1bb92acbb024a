import type { CapacityResource } from '../../inventory';
import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { StatusLevel } from '../domain/outbound.enums';

/** What was announced for one resource of one PoP: the status in force before `since`, and its changes from then on. */
export interface AnnouncedStatus {
  before: StatusLevel;
  changes: Array<{ at: string; status: StatusLevel }>;
}

const key = (popId: string, resource: string) => `${popId}\u0000${resource}`;

/** Asks for the announced statuses of these PoPs from `since` on (everything when null). */
export type AnnouncedRequests = ReadonlyArray<{ popId: string; since: string | null }>;

/** One row of `ANNOUNCED_ROWS`. */
export interface AnnouncedRow {
  pop_id: string;
  resource: CapacityResource;
  at: Date | string;
  status: StatusLevel;
  earlier: boolean;
}

/**
 * The rows of the announced capacity statuses (outbox_capacity_status: one row per change) of the PoPs of
 * `$1` (text[]) from the instants of `$2` (timestamptz[]) on, and the status just before each, in PoP,
 * resource and time order; meant for a subquery (outbox.sql.ts reads them with the outbox's state).
 */
export const ANNOUNCED_ROWS = `SELECT p.* FROM unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (s.resource) s.pop_id, s.resource, s.at, s.status, true AS earlier FROM outbox_capacity_status s
          WHERE s.pop_id = d.pop_id AND d.since IS NOT NULL AND s.at < d.since ORDER BY s.resource, s.at DESC) p
     UNION ALL
     SELECT s.pop_id, s.resource, s.at, s.status, false AS earlier
       FROM unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
       JOIN outbox_capacity_status s ON s.pop_id = d.pop_id AND (d.since IS NULL OR s.at >= d.since)`;

/** The parameters `$1` and `$2` of `ANNOUNCED_ROWS`. */
export function announcedParams(requests: AnnouncedRequests): [string[], Array<string | null>] {
  return [requests.map(({ popId }) => popId), requests.map(({ since }) => since)];
}

/** Per `popId \0 resource`, what was announced: rows of `ANNOUNCED_ROWS` in their order. */
export function announcedFrom(rows: readonly AnnouncedRow[]): Map<string, AnnouncedStatus> {
  const announced = new Map<string, AnnouncedStatus>();
  for (const row of rows) {
    const id = key(row.pop_id, row.resource);
    let entry = announced.get(id);
    if (!entry) announced.set(id, (entry = { before: 'OK', changes: [] }));
    if (row.earlier) entry.before = row.status;
    else entry.changes.push({ at: new Date(row.at).toISOString(), status: row.status });
  }
  return announced;
}

/** The announced capacity statuses of some PoPs (see `ANNOUNCED_ROWS`). */
export async function readAnnouncedStatuses(q: SqlQueryable, requests: AnnouncedRequests): Promise<Map<string, AnnouncedStatus>> {
  if (requests.length === 0) return new Map();
  const { rows } = await q.query<AnnouncedRow>(`${ANNOUNCED_ROWS} ORDER BY 1, 2, 3`, announcedParams(requests));
  return announcedFrom(rows);
}

export function announcedOf(announced: Map<string, AnnouncedStatus>, popId: string, resource: string): AnnouncedStatus {
  return announced.get(key(popId, resource)) ?? { before: 'OK', changes: [] };
}

/** Replaces the announced changes of the PoPs from `since` on (everything when null) by `changes`. */
export async function replaceAnnouncedStatuses(
  q: SqlQueryable,
  requests: AnnouncedRequests,
  changes: ReadonlyArray<{ popId: string; resource: CapacityResource; at: string; status: StatusLevel }>,
): Promise<void> {
  if (requests.length === 0) return;
  await q.query(
    `DELETE FROM outbox_capacity_status s USING unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
      WHERE s.pop_id = d.pop_id AND (d.since IS NULL OR s.at >= d.since)`,
    [requests.map(({ popId }) => popId), requests.map(({ since }) => since)],
  );
  if (changes.length === 0) return;
  await q.query(
    `INSERT INTO outbox_capacity_status (pop_id, resource, at, status)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])`,
    [changes.map((c) => c.popId), changes.map((c) => c.resource), changes.map((c) => c.at), changes.map((c) => c.status)],
  );
}
