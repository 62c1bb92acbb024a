/** ALLOWED_LOCATIONS: every placement in the allowed set; PRIMARY_COPY_IN: PRIMARY ones in it, others outside denied countries. */
export const RESIDENCY_POLICY_KINDS = ['ALLOWED_LOCATIONS', 'PRIMARY_COPY_IN'] as const;
export type ResidencyPolicyKind = (typeof RESIDENCY_POLICY_KINDS)[number];
