/** Workload and policy stream names (docs/domain.md, "Streams and time"); ids are client-supplied. */
export const WORKLOAD_STREAM_PREFIX = 'workload-';
export const POLICY_STREAM_PREFIX = 'policy-';
export const workloadStream = (workloadId: string): string => `${WORKLOAD_STREAM_PREFIX}${workloadId}`;
export const policyStream = (policyId: string): string => `${POLICY_STREAM_PREFIX}${policyId}`;
