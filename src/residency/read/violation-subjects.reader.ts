import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { PlacementSubject } from '../domain/residency-violations.rules';
import type { DataCategory, PlacementRole, PolicyView } from '../domain/residency.types';
import { PolicyRow, policyViewOf } from './residency-views.reader';

/** Which placements to look at: every stay of these (workload, PoP) pairs, and every one a policy of these may apply to. */
export interface ViolationSelector {
  pairs: ReadonlyArray<{ workloadId: string; popId: string }>;
  policyIds: readonly string[];
}

interface PlacementRow {
  position: string;
  workload_id: string;
  pop_id: string;
  role: PlacementRole;
  placed_at: Date | string;
  withdrawn_at: Date | string | null;
  tenant: string;
  data_categories: DataCategory[];
  code: string;
  country_code: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * The selected placements (with their workload's tenant and categories and their PoP's country) and
 * every policy defined for their categories, from the residency read model's live tables. Outbound
 * events judge them over time with `violationTimeline`.
 */
export async function loadViolationSubjects(
  q: SqlQueryable,
  selector: ViolationSelector,
): Promise<{ placements: PlacementSubject[]; policies: PolicyView[] }> {
  if (selector.pairs.length === 0 && selector.policyIds.length === 0) return { placements: [], policies: [] };
  const { rows } = await q.query<PlacementRow>(
    `WITH chosen AS (
       SELECT p.position FROM rm_res_placement p
         JOIN unnest($1::text[], $2::text[]) AS s(workload_id, pop_id) ON p.workload_id = s.workload_id AND p.pop_id = s.pop_id
       UNION
       SELECT p.position FROM rm_res_placement p
         JOIN rm_res_workload w ON w.workload_id = p.workload_id
         JOIN rm_res_policy r ON r.policy_id = ANY($3::text[]) AND w.data_categories ? r.data_category
                             AND (r.tenant IS NULL OR r.tenant = w.tenant))
     SELECT p.position, p.workload_id, p.pop_id, p.role, p.placed_at, p.withdrawn_at, w.tenant, w.data_categories, o.code, o.country_code
       FROM rm_res_placement p
       JOIN chosen c ON c.position = p.position
       JOIN rm_res_workload w ON w.workload_id = p.workload_id
       JOIN rm_res_pop o ON o.pop_id = p.pop_id
      ORDER BY p.position`,
    [selector.pairs.map((pair) => pair.workloadId), selector.pairs.map((pair) => pair.popId), [...selector.policyIds]],
  );
  const placements = rows.map(
    (row): PlacementSubject => ({
      placementKey: row.position,
      workloadId: row.workload_id,
      tenant: row.tenant,
      dataCategories: row.data_categories,
      popId: row.pop_id,
      popCode: row.code,
      countryCode: row.country_code,
      role: row.role,
      placedAt: iso(row.placed_at),
      withdrawnAt: row.withdrawn_at === null ? null : iso(row.withdrawn_at),
    }),
  );
  const categories = [...new Set(placements.flatMap((placement) => placement.dataCategories))];
  if (categories.length === 0) return { placements, policies: [] };
  const policies = await q.query<PolicyRow>(
    `SELECT policy_id, name, kind, data_category, tenant, allowed_countries, allowed_groups, denied_countries, citation,
            retired_at, evidence
       FROM rm_res_policy WHERE data_category = ANY($1::text[]) ORDER BY policy_id COLLATE "C"`,
    [categories],
  );
  return {
    placements,
    policies: policies.rows.map(policyViewOf),
  };
}
