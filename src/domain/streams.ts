/** Stream ids (DESIGN section 2); entity ids are client-supplied. */

export const popStream = (popId: string): string => `pop-${popId}`;
export const workloadStream = (workloadId: string): string => `workload-${workloadId}`;
export const policyStream = (policyId: string): string => `policy-${policyId}`;
export const FX_STREAM = 'fx-rates';
