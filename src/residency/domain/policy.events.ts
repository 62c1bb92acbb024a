import { DomainEvent } from '../../kernel/decider.types';
import { DataCategory } from './workload.enums';
import { RetireResidencyPolicyData } from './policy.commands';
import { ResidencyPolicyKind } from './policy.enums';

/** Lists default to [] (de-duplicated, in input order); tenant and citation to null. */
export interface ResidencyPolicyDefinedData {
  policyId: string;
  name: string;
  kind: ResidencyPolicyKind;
  dataCategory: DataCategory;
  tenant: string | null;
  allowedCountries: string[];
  allowedGroups: string[];
  deniedCountries: string[];
  citation: string | null;
}

export type ResidencyPolicyDefined = DomainEvent<'ResidencyPolicyDefined', ResidencyPolicyDefinedData>;
export type ResidencyPolicyRetired = DomainEvent<'ResidencyPolicyRetired', RetireResidencyPolicyData>;

export type PolicyEvent = ResidencyPolicyDefined | ResidencyPolicyRetired;

export const POLICY_EVENT_TYPES = ['ResidencyPolicyDefined', 'ResidencyPolicyRetired'] as const satisfies readonly PolicyEvent['type'][];
