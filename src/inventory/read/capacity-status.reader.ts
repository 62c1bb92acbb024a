import { SqlQueryable } from '../../platform/database/sql-client.port';
import { liveTables } from '../../platform/projections/projection.port';
import { BlockSpan } from '../../platform/projections/step.table';
import { CapacityThresholds } from '../domain/capacity.math';
import { resourceStatuses, ResourceStatuses, steadyStatuses } from '../domain/capacity-change.rules';
import { newPopSteps, POP_STEP_TABLE, totalsOfStep } from './capacity-steps.table';

/** The statuses of a PoP's resources from `at` until its next point. */
export interface StatusPoint {
  at: string;
  statuses: ResourceStatuses;
}

export interface StatusTimeline {
  /** In force just before `since` (null: nothing yet, every resource OK); none when `since` is null. */
  before: ResourceStatuses | null;
  /** The PoP's capacity points from `since` on (from the first when `since` is null), in time order: each one where a status changes, and more. */
  points: StatusPoint[];
}

export interface StatusTimelineRequest {
  popId: string;
  since: string | null;
  /** Instants at which the caller needs the utilizations in force, not only the statuses (its announced changes). */
  pinned?: readonly string[];
}

const popSteps = newPopSteps();

/** A run of a PoP's points to read: all of them from `from` until `until`, or only the first (`limit` 1); or (`earlier`) the last before `until`. */
interface Segment {
  request: number;
  from: string;
  until: string | null;
  limit: number | null;
  earlier: boolean;
}

/**
 * Capacity statuses over effective time of some PoPs, read from the planning read model's step table
 * (`rm_pop_step`, always the live table): for each PoP, the point in force before `since` and the points
 * from `since` on where a status can change. So that this does not grow with the PoP's later history, the
 * bounds of the points decide how much is read: when the bounds of all the points from `since` on (the server
 * merges the blocks' into one row) give each resource one status, only the first point from `since` on. Otherwise, per block: a block whose bounds give
 * each resource one status (steady) gives its first point only, and none when the block before it was
 * steady with the same statuses; the others (and those around a pinned instant) are read whole. The points
 * left out repeat the statuses of the point before them.
 */
export async function readStatusTimelines(q: SqlQueryable, requests: ReadonlyArray<StatusTimelineRequest>, thresholds: CapacityThresholds): Promise<Map<string, StatusTimeline>> {
  const timelines = new Map<string, StatusTimeline>(requests.map(({ popId }) => [popId, { before: null, points: [] }]));
  if (requests.length === 0) return timelines;
  // First the bounds of all the blocks concerned, with the point before `since` and the first from there on: a PoP
  // whose points there all have the same statuses needs no more (its segments would read just those two points).
  const keyed = requests.map(({ popId, since }) => ({ keys: [popId], since }));
  const { spans, before, first } = await popSteps.readSpansAndEnds(q, liveTables, keyed, { merged: true, ends: true });
  const unsteady = requests.flatMap((request, r) => ((request.pinned?.length ?? 0) > 0 || spans[r].some((span) => steadyLabel(span, thresholds) === null) ? [r] : []));
  const settled = new Set(requests.keys());
  for (const r of unsteady) settled.delete(r);
  const statusesOf = (values: Float64Array) => resourceStatuses(totalsOfStep(popSteps.rowOf(values)), thresholds);
  for (const r of settled) {
    const timeline = timelines.get(requests[r].popId) as StatusTimeline;
    if (before[r]) timeline.before = statusesOf(before[r]);
    const point = first[r];
    if (point) timeline.points.push({ at: point.at, statuses: statusesOf(point.values) });
  }
  if (unsteady.length === 0) return timelines;
  const blocks = await popSteps.readSpans(q, liveTables, unsteady.map((r) => keyed[r]));
  const segments = unsteady.flatMap((r, u) => segmentsOf(r, requests[r], blocks[u], thresholds));
  const { rows } = await q.query<Record<string, unknown> & { n: string; at: Date | string; earlier: boolean }>(
    `SELECT d.n, p.* FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::int[], $5::bool[]) WITH ORDINALITY AS d(pop_id, from_at, until, lim, earlier, n)
       CROSS JOIN LATERAL (
         (SELECT s.*, true AS earlier FROM ${POP_STEP_TABLE} s WHERE d.earlier AND s.pop_id = d.pop_id AND s.at < d.until ORDER BY s.at DESC LIMIT 1)
         UNION ALL
         (SELECT s.*, false AS earlier FROM ${POP_STEP_TABLE} s
           WHERE NOT d.earlier AND s.pop_id = d.pop_id AND s.at >= d.from_at AND s.at < coalesce(d.until, 'infinity') ORDER BY s.at LIMIT d.lim)
       ) p`,
    [
      segments.map(({ request }) => requests[request].popId),
      segments.map(({ from }) => from),
      segments.map(({ until }) => until),
      segments.map(({ limit }) => limit),
      segments.map(({ earlier }) => earlier),
    ],
  );
  for (const row of rows) {
    const timeline = timelines.get(requests[segments[Number(row.n) - 1].request].popId) as StatusTimeline;
    const statuses = resourceStatuses(totalsOfStep(row), thresholds);
    if (row.earlier) timeline.before = statuses;
    else timeline.points.push({ at: new Date(row.at).toISOString(), statuses });
  }
  for (const timeline of timelines.values()) timeline.points.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return timelines;
}

/** The runs of points to read for one request. */
function segmentsOf(request: number, { since, pinned = [] }: StatusTimelineRequest, spans: BlockSpan[], thresholds: CapacityThresholds): Segment[] {
  const segments: Segment[] = since === null ? [] : [{ request, from: '-infinity', until: since, limit: 1, earlier: true }];
  // The utilization in force at a pinned instant is in its block or, before that block's first point, in the one before.
  const whole = new Set<number>();
  for (const at of pinned) {
    const s = spans.findLastIndex((span) => span.from <= at);
    for (const index of [s - 1, s]) if (index >= 0) whole.add(index);
  }
  const labels = spans.map((span, s) => (whole.has(s) ? null : steadyLabel(span, thresholds)));
  spans.forEach((span, s) => {
    const label = labels[s];
    // The first point from `since` on is always read; after it, a steady block like the one before it adds no change.
    if (label !== null && s >= 2 && labels[s - 1] === label) return;
    const from = s === 0 && since !== null && since > span.from ? since : span.from;
    segments.push({ request, from, until: span.until, limit: label === null ? null : 1, earlier: false });
  });
  return segments;
}

/** The statuses every point of a block has (as a comparable label), or null when they can differ. */
function steadyLabel(span: BlockSpan, thresholds: CapacityThresholds): string | null {
  const statuses = steadyStatuses(totalsOfStep(popSteps.rowOf(span.min)), totalsOfStep(popSteps.rowOf(span.max)), thresholds);
  return statuses && Object.values(statuses).join();
}
