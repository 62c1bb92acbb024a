import { COUNTRY_GROUPS, isGroupName } from '../../kernel/country-groups.util';
import { dateOf, dayStart, isoOf } from '../../kernel/time.util';
import { compileRule, groupsOnDay } from './residency-policy.rules';
import type { DataCategory, PlacementRole, PolicyView } from './residency.types';

/** A placement as the violation timeline needs it: where, in which role, for which tenant, and when. */
export interface PlacementSubject {
  /** Stable id of the stay: the global-log position of its WorkloadPlaced. */
  placementKey: string;
  workloadId: string;
  tenant: string;
  dataCategories: readonly DataCategory[];
  popId: string;
  popCode: string;
  countryCode: string;
  role: PlacementRole;
  placedAt: string;
  withdrawnAt: string | null;
}

/** From `at` on, the placement breaks (`open`) or does not break the policy, and why. */
export interface ViolationChange {
  at: string;
  open: boolean;
  reason: string;
}

/**
 * When one placement breaks one policy for one data category, over effective time, as the residency
 * report would judge it at each instant (docs/domain.md, "Evaluation at asOf"): while the placement is
 * present and the policy in force, on the country groups of each day. Group membership of the PoP's
 * country changes only on the dates of its entries, so the verdict is taken once per stretch between
 * them. Starts closed; the changes are in time order, each differing from the one before.
 */
export function violationTimeline(placement: PlacementSubject, category: DataCategory, policy: PolicyView): ViolationChange[] {
  if (policy.dataCategory !== category || !placement.dataCategories.includes(category)) return [];
  if (policy.tenant != null && policy.tenant !== placement.tenant) return [];
  const start = Math.max(Date.parse(placement.placedAt), Date.parse(policy.effectiveFrom));
  const withdrawn = placement.withdrawnAt === null ? Infinity : Date.parse(placement.withdrawnAt);
  const retired = policy.retiredAt == null ? Infinity : Date.parse(policy.retiredAt);
  const end = Math.min(withdrawn, retired);
  if (!(start < end)) return [];

  const boundaries = new Set<number>();
  for (const group of policy.allowedGroups.filter(isGroupName)) {
    for (const member of COUNTRY_GROUPS[group]) {
      if (member.country !== placement.countryCode) continue;
      for (const date of [member.from, member.to]) {
        const at = date === undefined ? NaN : dayStart(date);
        if (at > start && at < end) boundaries.add(at);
      }
    }
  }
  const starts = [start, ...[...boundaries].sort((a, b) => a - b)];
  const changes: ViolationChange[] = [];
  let open = false;
  for (const at of starts) {
    const verdict = compileRule(policy, groupsOnDay(dateOf(at)))(placement.countryCode, placement.role);
    const breaks = verdict.outcome === 'VIOLATION';
    if (breaks !== open) changes.push({ at: isoOf(at), open: breaks, reason: verdict.reason });
    open = breaks;
  }
  if (open && end !== Infinity) {
    changes.push({ at: isoOf(end), open: false, reason: withdrawn <= retired ? `placement of ${placement.workloadId} at ${placement.popId} withdrawn` : `policy ${policy.policyId} retired` });
  }
  return changes;
}
