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
 * The placements present at asOf within the filter (and the page), as a subquery with its parameters;
 * `columns`: what it selects.
 * Only the filters given are written into the text, never as `$n IS NULL OR ...`: the server keeps a
 * generic plan of a named statement, which cannot drop such a condition and read a 100,000-row CSV six
 * times slower than a plan made for the values.
 */
function presentPlacements(filter: ResidencyFilter, page?: PlacementPage, columns = 'p.*'): { text: string; params: unknown[] } {
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
  SELECT ${columns} FROM rm_res_placement p
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
interface EvidenceColumn<E> {
  select: 'evidence' | 'event_id AS evidence';
  /** Only the type: the rows carry it. */
  readonly of?: E;
}
const EVIDENCE_REFS: EvidenceColumn<EvidenceRef> = { select: 'evidence' };
const EVENT_IDS: EvidenceColumn<string> = { select: 'event_id AS evidence' };

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
 */
export async function loadResidencyInput(sql: SqlQueryable, filter: ResidencyFilter): Promise<ResidencyInput> {
  const { text: present, params } = presentPlacements(filter);
  const [placements, workloads, pops, policies] = await Promise.all([
    sql.query<PlacementRow<EvidenceRef>>(`SELECT workload_id, pop_id, role, withdrawn_at, effective_at, evidence FROM (${present}) p`, params),
    sql.query<WorkloadRow<EvidenceRef>>(
      `SELECT workload_id, tenant, data_categories, evidence FROM rm_res_workload
        WHERE workload_id IN (SELECT workload_id FROM (${present}) p)`,
      params,
    ),
    readPops(sql, EVIDENCE_REFS, `pop_id IN (SELECT pop_id FROM (${present}) p)`, params),
    loadResidencyPolicies(sql, filter),
  ]);
  return {
    asOf: filter.asOf,
    placements: placements.rows.map(placementView),
    workloads: workloads.rows.map((row) => workloadView(filter, row, row.data_categories)),
    pops,
    policies,
  };
}

/** A page's placement with its workload's columns, from the join that filters by the workload anyway. */
interface PagedPlacementRow extends PlacementRow<string> {
  tenant: string;
  /** The jsonb as text: parsed once per workload rather than once per placement. */
  data_categories: string;
  workload_evidence: string;
}

const PAGE_COLUMNS = `p.workload_id, p.pop_id, p.role, p.withdrawn_at, p.effective_at, p.event_id AS evidence,
         w.tenant, w.data_categories::text AS data_categories, w.event_id AS workload_evidence`;

/**
 * One page of the streamed CSV's input, evidence as event ids, in one statement: the page's placements in
 * key order, each with its workload's columns. Reading the workloads by a second statement had the server
 * find the page's placements twice and scan every workload to join them (about half its CPU per download).
 * `shared` (from loadResidencySharedViews) spares each page the policy and PoP reads.
 */
export async function loadResidencyPage(
  sql: SqlQueryable,
  filter: ResidencyFilter,
  page: PlacementPage,
  shared: ResidencySharedViews,
): Promise<ResidencyInput<string>> {
  const { text, params } = presentPlacements(filter, page, PAGE_COLUMNS);
  const { rows } = await sql.query<PagedPlacementRow>(text, params);
  const workloads: WorkloadView<string>[] = [];
  for (const row of rows) {
    // In key order, a workload's placements come one after another.
    if (workloads.at(-1)?.workloadId === row.workload_id) continue;
    const categories = JSON.parse(row.data_categories) as DataCategory[];
    workloads.push(workloadView(filter, { workload_id: row.workload_id, tenant: row.tenant, evidence: row.workload_evidence }, categories));
  }
  return { asOf: filter.asOf, placements: rows.map(placementView), workloads, pops: shared.pops, policies: shared.policies };
}

function placementView<E>(row: PlacementRow<E>): PlacementView<E> {
  return {
    workloadId: row.workload_id,
    popId: row.pop_id,
    role: row.role,
    placedAt: row.effective_at,
    withdrawnAt: isoOrNull(row.withdrawn_at),
    evidence: row.evidence,
  };
}

/** With a category filter a workload carries only that category (its rows are the only ones the filter keeps). */
function workloadView<E>(filter: ResidencyFilter, row: Omit<WorkloadRow<E>, 'data_categories'>, categories: DataCategory[]): WorkloadView<E> {
  return {
    workloadId: row.workload_id,
    tenant: row.tenant,
    dataCategories: filter.dataCategory === null ? categories : [filter.dataCategory],
    evidence: row.evidence,
  };
}

/** What every page of one CSV reads alike: the policies that can apply and the PoPs in the filter's country (evidence as event ids). */
export interface ResidencySharedViews {
  policies: readonly PolicyView[];
  pops: readonly PopView<string>[];
}

/**
 * The policies and PoPs for a report read page by page. All PoPs of the filter's country, whether any
 * page places a workload there or not: they are as many as the network's PoPs, whatever the report's size,
 * and each page would otherwise read most of them again.
 */
export async function loadResidencySharedViews(sql: SqlQueryable, filter: ResidencyFilter): Promise<ResidencySharedViews> {
  const [policies, pops] = await Promise.all([
    loadResidencyPolicies(sql, filter),
    filter.countryCode === null ? readPops(sql, EVENT_IDS, 'true', []) : readPops(sql, EVENT_IDS, 'country_code = $1::text', [filter.countryCode]),
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
