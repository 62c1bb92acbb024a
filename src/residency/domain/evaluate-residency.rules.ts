import { compareText } from '../../kernel/compare-text.util';
import { memoize } from '../../kernel/memoize.util';
import { compileRule, groupsOnDay, type Judge } from './residency-policy.rules';
import type {
  DataCategory,
  EvidenceRef,
  PlacementView,
  PolicyView,
  PopView,
  ResidencyOutcome,
  EvaluatedResidencyRow,
  WorkloadView,
} from './residency.types';

export interface ResidencyInput<E = EvidenceRef> {
  /** ISO 8601 instant; group membership is read on its UTC calendar day. */
  asOf: string;
  workloads: readonly WorkloadView<E>[];
  placements: readonly PlacementView<E>[];
  pops: readonly PopView<E>[];
  policies: readonly PolicyView[];
}

interface Rule {
  policy: PolicyView;
  judge: Judge;
}

/** Takes one evaluated row, given by its parts (the CSV writes them out without building a row object). */
export type ResidencyRowSink<E> = (
  workload: WorkloadView<E>,
  placement: PlacementView<E>,
  pop: PopView<E>,
  dataCategory: DataCategory,
  policy: PolicyView | null,
  outcome: ResidencyOutcome,
  reason: string,
) => void;

/**
 * One row per (placement present at asOf, data category of its workload, applicable policy); a
 * (placement, category) that no policy covers gets one UNASSESSED row, never a COMPLIANT one.
 *
 * The inputs set the scope: a placement whose workload or PoP is not among them is left out, so a
 * caller filters by tenant or country by passing only those workloads or PoPs.
 *
 * Rows are ordered by workloadId, popId, role, dataCategory, policyId (code-unit order).
 */
export function evaluateResidency(input: ResidencyInput): EvaluatedResidencyRow[] {
  const rows: EvaluatedResidencyRow[] = [];
  // Object literals with a fixed shape (no spreads): a report builds tens of thousands of rows.
  forEachResidencyRow(input, (workload, placement, pop, dataCategory, policy, outcome, reason) =>
    rows.push({
      workloadId: workload.workloadId,
      tenant: workload.tenant,
      dataCategory,
      popId: pop.popId,
      popCode: pop.code,
      countryCode: pop.countryCode,
      role: placement.role,
      placedAt: placement.placedAt,
      policyId: policy === null ? null : policy.policyId,
      outcome,
      reason,
      evidence:
        policy === null
          ? [workload.evidence, placement.evidence, pop.evidence]
          : [workload.evidence, placement.evidence, pop.evidence, policy.evidence],
    }),
  );
  return rows;
}

/** evaluateResidency's rows, in its order, handed to `sink` one by one instead of collected. */
export function forEachResidencyRow<E>(input: ResidencyInput<E>, sink: ResidencyRowSink<E>): void {
  const asOf = Date.parse(input.asOf);
  if (Number.isNaN(asOf)) throw new RangeError(`asOf is not an ISO 8601 instant: "${input.asOf}"`);

  const workloads = new Map(input.workloads.map((workload) => [workload.workloadId, workload]));
  const pops = new Map(input.pops.map((pop) => [pop.popId, pop]));
  const rulesFor = applicableRules(input.policies, asOf);
  // Looked up once per workload rather than per placement and category: a workload has several placements.
  const judgedCategoriesOf = memoize((workloadId: string) => {
    const { dataCategories, tenant } = workloads.get(workloadId)!;
    return [...new Set(dataCategories)].sort(compareText).map((dataCategory) => {
      const rules = rulesFor(dataCategory, tenant);
      const unassessed = rules.length === 0 ? `no residency policy applies to ${dataCategory} for tenant ${tenant}` : null;
      return { dataCategory, rules, unassessed };
    });
  });

  const placements = input.placements
    .filter(
      (placement) =>
        isPresent(placement, asOf) && workloads.has(placement.workloadId) && pops.has(placement.popId),
    )
    .sort(byPlacementKey);

  for (const placement of placements) {
    const workload = workloads.get(placement.workloadId)!;
    const pop = pops.get(placement.popId)!;
    for (const { dataCategory, rules, unassessed } of judgedCategoriesOf(workload.workloadId)) {
      if (unassessed !== null) sink(workload, placement, pop, dataCategory, null, 'UNASSESSED', unassessed);
      for (const { policy, judge } of rules) {
        const { outcome, reason } = judge(pop.countryCode, placement.role);
        sink(workload, placement, pop, dataCategory, policy, outcome, reason);
      }
    }
  }
}

/** Policies in force at asOf, compiled once and indexed by (category, tenant), sorted by policyId. */
function applicableRules(
  policies: readonly PolicyView[],
  asOf: number,
): (category: DataCategory, tenant: string) => readonly Rule[] {
  const groups = groupsOnDay(new Date(asOf).toISOString().slice(0, 10));
  const byCategory = new Map<DataCategory, Rule[]>();
  for (const policy of policies) {
    if (!isInForce(policy, asOf)) continue;
    const rules = byCategory.get(policy.dataCategory) ?? [];
    rules.push({ policy, judge: compileRule(policy, groups) });
    byCategory.set(policy.dataCategory, rules);
  }
  const forCategory = memoize((category: DataCategory) =>
    memoize((tenant: string) =>
      (byCategory.get(category) ?? [])
        .filter(({ policy }) => policy.tenant == null || policy.tenant === tenant)
        .sort((a, b) => compareText(a.policy.policyId, b.policy.policyId)),
    ),
  );
  return (category, tenant) => forCategory(category)(tenant);
}

/** from <= at < until, with no end when `until` is absent. */
const during = (from: string, until: string | null | undefined, at: number) =>
  Date.parse(from) <= at && (until == null || at < Date.parse(until));

const isInForce = (policy: PolicyView, asOf: number) => during(policy.effectiveFrom, policy.retiredAt, asOf);
const isPresent = (placement: PlacementView<unknown>, asOf: number) =>
  during(placement.placedAt, placement.withdrawnAt, asOf);

const byPlacementKey = (a: PlacementView<unknown>, b: PlacementView<unknown>) =>
  compareText(a.workloadId, b.workloadId) ||
  compareText(a.popId, b.popId) ||
  compareText(a.role, b.role) ||
  compareText(a.placedAt, b.placedAt);
