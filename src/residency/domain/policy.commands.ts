import { DomainCommand } from '../../kernel/decider.types';
import { DataCategory } from './workload.enums';
import { ResidencyPolicyKind } from './policy.enums';

/** Commands on a policy stream (`policy-<policyId>`). */

export interface DefineResidencyPolicyData {
  policyId: string;
  name: string;
  kind: ResidencyPolicyKind;
  dataCategory: DataCategory;
  /** null: every tenant. */
  tenant?: string | null;
  /** ISO 3166-1 alpha-2 codes. */
  allowedCountries?: string[] | null;
  /** Country group names (EU, EEA, EU_ADEQUACY). */
  allowedGroups?: string[] | null;
  deniedCountries?: string[] | null;
  citation?: string | null;
}

export interface RetireResidencyPolicyData {
  policyId: string;
}

export type DefineResidencyPolicy = DomainCommand<'DefineResidencyPolicy', DefineResidencyPolicyData>;
export type RetireResidencyPolicy = DomainCommand<'RetireResidencyPolicy', RetireResidencyPolicyData>;

export type PolicyCommand = DefineResidencyPolicy | RetireResidencyPolicy;
