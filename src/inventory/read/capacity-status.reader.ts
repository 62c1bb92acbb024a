import { SqlQueryable } from '../../platform/database/sql-client.port';
import { CapacityThresholds } from '../domain/capacity.math';
import { resourceStatuses, ResourceStatuses } from '../domain/capacity-change.rules';
import { POP_STEP_TABLE, totalsOfStep } from './capacity-steps.table';

/** The statuses of a PoP's resources from `at` until its next point. */
export interface StatusPoint {
  at: string;
  statuses: ResourceStatuses;
}

export interface StatusTimeline {
  /** In force just before `since` (null: nothing yet, every resource OK); none when `since` is null. */
  before: ResourceStatuses | null;
  /** Every point of the PoP's capacity totals from `since` on (all of them when `since` is null), in time order. */
  points: StatusPoint[];
}

/**
 * Capacity statuses over effective time of some PoPs, read from the planning read model's step table
 * (`rm_pop_step`, always the live table): for each PoP, the point in force before `since` and every point
 * from `since` on. Outbound events compare these with what they announced before.
 */
export async function readStatusTimelines(
  q: SqlQueryable,
  requests: ReadonlyArray<{ popId: string; since: string | null }>,
  thresholds: CapacityThresholds,
): Promise<Map<string, StatusTimeline>> {
  const timelines = new Map<string, StatusTimeline>(requests.map(({ popId }) => [popId, { before: null, points: [] }]));
  if (requests.length === 0) return timelines;
  const { rows } = await q.query<Record<string, unknown> & { pop_id: string; at: Date | string; earlier: boolean }>(
    `SELECT p.* FROM unnest($1::text[], $2::timestamptz[]) AS d(pop_id, since)
       CROSS JOIN LATERAL (
         (SELECT s.*, true AS earlier FROM ${POP_STEP_TABLE} s
           WHERE s.pop_id = d.pop_id AND d.since IS NOT NULL AND s.at < d.since ORDER BY s.at DESC LIMIT 1)
         UNION ALL
         (SELECT s.*, false AS earlier FROM ${POP_STEP_TABLE} s
           WHERE s.pop_id = d.pop_id AND s.at >= coalesce(d.since, '-infinity'))
       ) p`,
    [requests.map(({ popId }) => popId), requests.map(({ since }) => since)],
  );
  for (const row of rows) {
    const timeline = timelines.get(row.pop_id) as StatusTimeline;
    const statuses = resourceStatuses(totalsOfStep(row), thresholds);
    if (row.earlier) timeline.before = statuses;
    else timeline.points.push({ at: new Date(row.at).toISOString(), statuses });
  }
  for (const timeline of timelines.values()) timeline.points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return timelines;
}
