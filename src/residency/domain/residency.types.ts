/**
 * Plain views the residency evaluation reads (built by the read model from the workload, policy and PoP
 * streams) and the report rows it produces. Timestamps are ISO 8601 strings.
 */

import type { ResidencyPolicyKind } from './policy.enums';
import type { DataCategory, PlacementRole } from './workload.enums';

export type { DataCategory, PlacementRole, ResidencyPolicyKind };
export const RESIDENCY_OUTCOMES = ['COMPLIANT', 'VIOLATION', 'UNASSESSED'] as const;
export type ResidencyOutcome = (typeof RESIDENCY_OUTCOMES)[number];

/** The event that established a fact, as shown to compliance officers. */
export interface EvidenceRef {
  eventId: string;
  type: string;
  streamId: string;
  effectiveAt: string;
  recordedAt: string;
  actor: string;
}

/**
 * The views are generic in their evidence: the report reads whole references (EvidenceRef), the CSV only
 * each event's id, from a text column of its own (no JSON to parse per row).
 */
export interface WorkloadView<E = EvidenceRef> {
  workloadId: string;
  tenant: string;
  dataCategories: readonly DataCategory[];
  /** WorkloadRegistered. */
  evidence: E;
}

export interface PlacementView<E = EvidenceRef> {
  workloadId: string;
  popId: string;
  role: PlacementRole;
  /** Present when placedAt <= asOf < withdrawnAt. */
  placedAt: string;
  withdrawnAt?: string | null;
  /** WorkloadPlaced. */
  evidence: E;
}

export interface PopView<E = EvidenceRef> {
  popId: string;
  code: string;
  countryCode: string;
  /** The PoP's registration, which states its country. */
  evidence: E;
}

export interface PolicyView {
  policyId: string;
  name: string;
  kind: ResidencyPolicyKind;
  dataCategory: DataCategory;
  /** null or absent: applies to every tenant. */
  tenant?: string | null;
  allowedCountries: readonly string[];
  /** Group names (see src/kernel/country-groups.util.ts); an unknown name contributes no country. */
  allowedGroups: readonly string[];
  deniedCountries: readonly string[];
  /** Applies when effectiveFrom <= asOf < retiredAt. */
  effectiveFrom: string;
  retiredAt?: string | null;
  citation?: string | null;
  /** ResidencyPolicyDefined. */
  evidence: EvidenceRef;
}

export interface EvaluatedResidencyRow {
  workloadId: string;
  tenant: string;
  dataCategory: DataCategory;
  popId: string;
  popCode: string;
  countryCode: string;
  role: PlacementRole;
  placedAt: string;
  policyId: string | null;
  outcome: ResidencyOutcome;
  reason: string;
  /** Workload registration, placement, PoP registration, policy definition (if any), in that order. */
  evidence: EvidenceRef[];
}

export interface ResidencyCounts {
  compliant: number;
  violations: number;
  unassessed: number;
}

export interface EvaluatedResidencySummary extends ResidencyCounts {
  byCountry: Array<{ countryCode: string } & ResidencyCounts>;
}
