import { Decider } from '../../kernel/decider.types';
import { PolicyCommand } from './policy.commands';
import { decidePolicy } from './policy.decide';
import { PolicyEvent } from './policy.events';
import { evolvePolicy, initialPolicyState, PolicyState } from './policy.state';

/** A residency policy (stream `policy-<policyId>`). */
export const policyDecider: Decider<PolicyCommand, PolicyState, PolicyEvent> = {
  decide: decidePolicy,
  evolve: evolvePolicy,
  initialState: initialPolicyState,
};
