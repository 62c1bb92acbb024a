import { PolicyEvent } from './policy.events';

export interface Policy {
  policyId: string;
  definedAt: number;
  retiredAt: number | null;
}

export type PolicyState = Policy | null;

export function initialPolicyState(): PolicyState {
  return null;
}

/** Updates `state` in place (see Decider) and returns it. */
export function evolvePolicy(state: PolicyState, event: PolicyEvent): PolicyState {
  const at = Date.parse(event.effectiveAt);
  switch (event.type) {
    case 'ResidencyPolicyDefined':
      return { policyId: event.data.policyId, definedAt: at, retiredAt: null };
    case 'ResidencyPolicyRetired':
      (state as Policy).retiredAt = at;
      return state;
  }
}
