import type {
  DataCategory,
  EvidenceRef,
  PlacementRole,
  PlacementView,
  PolicyView,
  PopView,
  EvaluatedResidencyRow,
  WorkloadView,
} from '../../../src/residency/domain/residency.types';

export const T0 = '2025-01-01T00:00:00.000Z';

const evidence = (type: string, streamId: string, effectiveAt: string, discriminator = ''): EvidenceRef => ({
  eventId: `${type}:${streamId}${discriminator}`,
  type,
  streamId,
  effectiveAt,
  recordedAt: effectiveAt,
  actor: 'tester',
});

export const workload = (workloadId: string, tenant: string, dataCategories: DataCategory[]): WorkloadView => ({
  workloadId,
  tenant,
  dataCategories,
  evidence: evidence('WorkloadRegistered', `workload-${workloadId}`, T0),
});

/** PoP `fra-1` in DE has code `FRA-1`. */
export const pop = (popId: string, countryCode: string): PopView => ({
  popId,
  code: popId.toUpperCase(),
  countryCode,
  evidence: evidence('PopRegistered', `pop-${popId}`, T0),
});

export const placement = (
  workloadId: string,
  popId: string,
  role: PlacementRole,
  placedAt = T0,
  withdrawnAt?: string,
): PlacementView => ({
  workloadId,
  popId,
  role,
  placedAt,
  withdrawnAt,
  evidence: evidence('WorkloadPlaced', `workload-${workloadId}`, placedAt, `@${popId}`),
});

export const policy = (
  policyId: string,
  fields: Partial<Omit<PolicyView, 'policyId' | 'evidence'>> & Pick<PolicyView, 'dataCategory'>,
): PolicyView => {
  const effectiveFrom = fields.effectiveFrom ?? T0;
  return {
    policyId,
    name: policyId,
    kind: 'ALLOWED_LOCATIONS',
    allowedCountries: [],
    allowedGroups: [],
    deniedCountries: [],
    ...fields,
    effectiveFrom,
    evidence: evidence('ResidencyPolicyDefined', `policy-${policyId}`, effectiveFrom),
  };
};

/** A row without its evidence, as one line: easy to read in an assertion. */
export const line = (row: EvaluatedResidencyRow) =>
  [row.workloadId, row.popId, row.role, row.dataCategory, row.policyId, row.outcome, row.reason].join(' | ');
