import type { CapacityResource } from '../../inventory';
import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { StatusLevel } from '../domain/outbound.enums';

/** What was announced for one resource of one PoP: the status in force before `since`, and its changes from then on. */
export interface AnnouncedStatus {
  before: StatusLevel;
  changes: Array<{ at: string; status: StatusLevel }>;
}

const key = (popId: string, resource: string) => `${popId}\u0000${resource}`;

/**
 * The announced capacity statuses (outbox_capacity_status: one row per change) of some PoPs, per
 * `popId \0 resource`: from `since` on (everything when null), with the status just before it.
 */
export async function readAnnouncedStatuses(
  q: SqlQueryable,
  requests: ReadonlyArray<{ popId: string; since: string | null }>,
): Promise<Map<string, AnnouncedStatus>> {
  const announced = new Map<string, AnnouncedStatus>();
  if (requests.length === 0) return announced;
  const { rows } = await q.query<{ pop_id: string; resource: CapacityResource; at: Date | string; status: StatusLevel; earlier: boolean }>(
    `SELECT p.* FROM unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
       CROSS JOIN LATERAL (
         SELECT DISTINCT ON (s.resource) s.pop_id, s.resource, s.at, s.status, true AS earlier FROM outbox_capacity_status s
          WHERE s.pop_id = d.pop_id AND d.since IS NOT NULL AND s.at < d.since ORDER BY s.resource, s.at DESC) p
     UNION ALL
     SELECT s.pop_id, s.resource, s.at, s.status, false AS earlier
       FROM unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
       JOIN outbox_capacity_status s ON s.pop_id = d.pop_id AND (d.since IS NULL OR s.at >= d.since)
      ORDER BY 1, 2, 3`,
    [requests.map(({ popId }) => popId), requests.map(({ since }) => since)],
  );
  for (const row of rows) {
    const id = key(row.pop_id, row.resource);
    let entry = announced.get(id);
    if (!entry) announced.set(id, (entry = { before: 'OK', changes: [] }));
    if (row.earlier) entry.before = row.status;
    else entry.changes.push({ at: new Date(row.at).toISOString(), status: row.status });
  }
  return announced;
}

export function announcedOf(announced: Map<string, AnnouncedStatus>, popId: string, resource: string): AnnouncedStatus {
  return announced.get(key(popId, resource)) ?? { before: 'OK', changes: [] };
}

/** Replaces the announced changes of the PoPs from `since` on (everything when null) by `changes`. */
export async function replaceAnnouncedStatuses(
  q: SqlQueryable,
  requests: ReadonlyArray<{ popId: string; since: string | null }>,
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
