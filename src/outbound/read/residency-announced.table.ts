import type { ViolationChange } from '../../residency';
import { SqlQueryable } from '../../platform/database/sql-client.port';

/** Per `placementKey \0 dataCategory \0 policyId`, the violation changes announced so far (starting closed). */
export type AnnouncedViolations = Map<string, ViolationChange[]>;

export const violationKey = (placementKey: string, category: string, policyId: string) => `${placementKey}\u0000${category}\u0000${policyId}`;

/** Everything announced about these placements (outbox_residency_state). */
export async function readAnnouncedViolations(q: SqlQueryable, placementKeys: readonly string[]): Promise<AnnouncedViolations> {
  const announced: AnnouncedViolations = new Map();
  if (placementKeys.length === 0) return announced;
  const { rows } = await q.query<{ placement_key: string; data_category: string; policy_id: string; changes: ViolationChange[] | string }>(
    'SELECT placement_key, data_category, policy_id, changes FROM outbox_residency_state WHERE placement_key = ANY($1::text[])',
    [[...placementKeys]],
  );
  for (const row of rows) {
    const changes = typeof row.changes === 'string' ? (JSON.parse(row.changes) as ViolationChange[]) : row.changes;
    announced.set(violationKey(row.placement_key, row.data_category, row.policy_id), changes);
  }
  return announced;
}

/** Replaces what is stored about these placements by `entries` (empty timelines are not stored). */
export async function replaceAnnouncedViolations(
  q: SqlQueryable,
  placementKeys: readonly string[],
  entries: ReadonlyArray<{ placementKey: string; category: string; policyId: string; changes: ViolationChange[] }>,
): Promise<void> {
  if (placementKeys.length === 0) return;
  await q.query('DELETE FROM outbox_residency_state WHERE placement_key = ANY($1::text[])', [[...placementKeys]]);
  const kept = entries.filter((entry) => entry.changes.length > 0);
  if (kept.length === 0) return;
  await q.query(
    `INSERT INTO outbox_residency_state (placement_key, data_category, policy_id, changes)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])`,
    [kept.map((e) => e.placementKey), kept.map((e) => e.category), kept.map((e) => e.policyId), kept.map((e) => JSON.stringify(e.changes))],
  );
}
