import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { ResidencyInput } from '../domain/evaluate-residency.rules';
import type {
  DataCategory,
  EvidenceRef,
  PlacementRole,
  PlacementView,
  PolicyView,
  PopView,
  ResidencyPolicyKind,
  WorkloadView,
} from '../domain/residency.types';

/** What a report covers; null: no filter. */
export interface ResidencyFilter {
  /** Canonical ISO 8601 instant. */
  asOf: string;
  tenant: string | null;
  dataCategory: DataCategory | null;
  countryCode: string | null;
}

/**
 * One page of placements in code-unit order of (workload, PoP), after `after` (null: from the start).
 * A workload has at most one placement present at a PoP at a time, so the pair is the key.
 */
export interface PlacementPage {
  after: { workloadId: string; popId: string } | null;
  size: number;
}

/**
 * The placements present at asOf within the filter (and the page), as a subquery with its parameters.
 * Only the filters given are written into the text, never as `$n IS NULL OR ...`: the server keeps a
 * generic plan of a named statement, which cannot drop such a condition and read a 100,000-row CSV six
 * times slower than a plan made for the values.
 */
function presentPlacements(filter: ResidencyFilter, page?: PlacementPage): { text: string; params: unknown[] } {
  const params: unknown[] = [filter.asOf];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ['p.placed_at <= $1::timestamptz', '(p.withdrawn_at IS NULL OR p.withdrawn_at > $1::timestamptz)'];
  if (filter.tenant !== null) where.push(`w.tenant = ${param(filter.tenant)}::text`);
  if (filter.dataCategory !== null) where.push(`w.data_categories ? ${param(filter.dataCategory)}::text`);
  if (filter.countryCode !== null) where.push(`o.country_code = ${param(filter.countryCode)}::text`);
  if (page?.after) {
    where.push(`(p.workload_id COLLATE "C", p.pop_id COLLATE "C") > (${param(page.after.workloadId)}::text COLLATE "C", ${param(page.after.popId)}::text COLLATE "C")`);
  }
  const text = `
  SELECT p.* FROM rm_res_placement p
    JOIN rm_res_workload w ON w.workload_id = p.workload_id
    JOIN rm_res_pop o ON o.pop_id = p.pop_id
   WHERE ${where.join('\n     AND ')}`;
  return { text: page ? `${text}\n   ORDER BY p.workload_id COLLATE "C", p.pop_id COLLATE "C" LIMIT ${param(String(page.size))}` : text, params };
}

interface PlacementRow<E> {
  workload_id: string;
  pop_id: string;
  role: PlacementRole;
  withdrawn_at: Date | string | null;
  effective_at: string;
  evidence: E;
}

interface WorkloadRow<E> {
  workload_id: string;
  tenant: string;
  data_categories: DataCategory[];
  evidence: E;
}

interface PopRow<E> {
  pop_id: string;
  code: string;
  country_code: string;
  evidence: E;
}

/**
 * What a read selects as a view's evidence, aliased `evidence`: the whole reference (json, for the
 * report) or the event's id alone (a text column, for the CSV: nothing to parse per row).
 */
export interface EvidenceColumn<E> {
  select: 'evidence' | 'event_id AS evidence';
  /** Only the type: the rows carry it. */
  readonly of?: E;
}
export const EVIDENCE_REFS: EvidenceColumn<EvidenceRef> = { select: 'evidence' };
export const EVENT_IDS: EvidenceColumn<string> = { select: 'event_id AS evidence' };

/** A row of rm_res_policy, as both the report and the outbox's violation check read it. */
export interface PolicyRow {
  policy_id: string;
  name: string;
  kind: ResidencyPolicyKind;
  data_category: DataCategory;
  tenant: string | null;
  allowed_countries: string[];
  allowed_groups: string[];
  denied_countries: string[];
  citation: string | null;
  retired_at: Date | string | null;
  evidence: EvidenceRef;
}

const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/**
 * Loads the evaluation's input, narrowed in SQL to the filter: the placements present at asOf (of the
 * tenant, with the category, in the country), their workloads and PoPs, and the policies in force at
 * asOf that can apply. With a category filter each workload carries only that category, so that the
 * evaluation yields only its rows. The four reads are independent (a pool runs them side by side).
 * With a page, only that page's placements and workloads; `shared` (from loadResidencySharedViews) spares
 * each page the policy read and the PoP read, which would read the same PoPs again on every page.
 */
export async function loadResidencyInput<E = EvidenceRef>(
  sql: SqlQueryable,
  filter: ResidencyFilter,
  page?: PlacementPage,
  shared?: ResidencySharedViews<E>,
  evidence: EvidenceColumn<E> = EVIDENCE_REFS as EvidenceColumn<E>,
): Promise<ResidencyInput<E>> {
  const { text: present, params } = presentPlacements(filter, page);
  const [placements, workloads, pops, policies] = await Promise.all([
    sql.query<PlacementRow<E>>(`SELECT workload_id, pop_id, role, withdrawn_at, effective_at, ${evidence.select} FROM (${present}) p`, params),
    sql.query<WorkloadRow<E>>(
      `SELECT workload_id, tenant, data_categories, ${evidence.select} FROM rm_res_workload
        WHERE workload_id IN (SELECT workload_id FROM (${present}) p)`,
      params,
    ),
    shared?.pops ?? readPops(sql, evidence, `pop_id IN (SELECT pop_id FROM (${present}) p)`, params),
    shared?.policies ?? loadResidencyPolicies(sql, filter),
  ]);

  return {
    asOf: filter.asOf,
    placements: placements.rows.map(
      (row): PlacementView<E> => ({
        workloadId: row.workload_id,
        popId: row.pop_id,
        role: row.role,
        placedAt: row.effective_at,
        withdrawnAt: isoOrNull(row.withdrawn_at),
        evidence: row.evidence,
      }),
    ),
    workloads: workloads.rows.map(
      (row): WorkloadView<E> => ({
        workloadId: row.workload_id,
        tenant: row.tenant,
        dataCategories: filter.dataCategory === null ? row.data_categories : [filter.dataCategory],
        evidence: row.evidence,
      }),
    ),
    pops,
    policies,
  };
}

/** What every page of one report reads alike: the policies that can apply and the PoPs in the filter's country. */
export interface ResidencySharedViews<E = EvidenceRef> {
  policies: readonly PolicyView[];
  pops: readonly PopView<E>[];
}

/**
 * The policies and PoPs for a report read page by page. All PoPs of the filter's country, whether any
 * page places a workload there or not: they are as many as the network's PoPs, whatever the report's size,
 * and each page would otherwise read most of them again.
 */
export async function loadResidencySharedViews<E>(sql: SqlQueryable, filter: ResidencyFilter, evidence: EvidenceColumn<E>): Promise<ResidencySharedViews<E>> {
  const [policies, pops] = await Promise.all([
    loadResidencyPolicies(sql, filter),
    filter.countryCode === null ? readPops(sql, evidence, 'true', []) : readPops(sql, evidence, 'country_code = $1::text', [filter.countryCode]),
  ]);
  return { policies, pops };
}

async function readPops<E>(sql: SqlQueryable, evidence: EvidenceColumn<E>, where: string, params: unknown[]): Promise<PopView<E>[]> {
  const { rows } = await sql.query<PopRow<E>>(`SELECT pop_id, code, country_code, ${evidence.select} FROM rm_res_pop WHERE ${where}`, params);
  return rows.map((row): PopView<E> => ({ popId: row.pop_id, code: row.code, countryCode: row.country_code, evidence: row.evidence }));
}

/** The policies in force at asOf that can apply within the filter. */
export async function loadResidencyPolicies(sql: SqlQueryable, filter: ResidencyFilter): Promise<PolicyView[]> {
  const { rows } = await sql.query<PolicyRow>(
    `SELECT policy_id, name, kind, data_category, tenant, allowed_countries, allowed_groups, denied_countries,
            citation, retired_at, evidence
       FROM rm_res_policy
      WHERE effective_from <= $1::timestamptz AND (retired_at IS NULL OR retired_at > $1::timestamptz)
        AND ($2::text IS NULL OR tenant IS NULL OR tenant = $2::text)
        AND ($3::text IS NULL OR data_category = $3::text)`,
    [filter.asOf, filter.tenant, filter.dataCategory],
  );
  return rows.map(policyViewOf);
}

/** The evaluation's view of a policy row. */
export function policyViewOf(row: PolicyRow): PolicyView {
  return {
    policyId: row.policy_id,
    name: row.name,
    kind: row.kind,
    dataCategory: row.data_category,
    tenant: row.tenant,
    allowedCountries: row.allowed_countries,
    allowedGroups: row.allowed_groups,
    deniedCountries: row.denied_countries,
    effectiveFrom: row.evidence.effectiveAt,
    retiredAt: isoOrNull(row.retired_at),
    citation: row.citation,
    evidence: row.evidence,
  };
}
