import { isAssignedCountryCode } from '../../kernel/country-codes.util';
import { isGroupName } from '../../kernel/country-groups.util';
import { InvalidInputError, NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { instantMs, isoOf } from '../../kernel/time.util';
import { DefineResidencyPolicy, PolicyCommand, RetireResidencyPolicy } from './policy.commands';
import { PolicyEvent, ResidencyPolicyDefined, ResidencyPolicyRetired } from './policy.events';
import { PolicyState } from './policy.state';

/** Decides a policy command without mutating `state`. A policy applies from its definition's effective time. */
export function decidePolicy(command: PolicyCommand, state: PolicyState): PolicyEvent[] {
  switch (command.type) {
    case 'DefineResidencyPolicy':
      return [defineResidencyPolicy(command, state)];
    case 'RetireResidencyPolicy':
      return [retireResidencyPolicy(command, state)];
    default: {
      const unhandled: never = command;
      throw new Error(`Unhandled policy command ${(unhandled as PolicyCommand).type}`);
    }
  }
}

/** A policy id is defined once; to change a policy, retire it and define a new one. */
function defineResidencyPolicy(command: DefineResidencyPolicy, state: PolicyState): ResidencyPolicyDefined {
  const d = command.data;
  if (state !== null) throw new RuleViolationError('DUPLICATE_ID', `residency policy ${d.policyId} is already defined`);
  const data = {
    policyId: d.policyId,
    name: d.name,
    kind: d.kind,
    dataCategory: d.dataCategory,
    tenant: d.tenant ?? null,
    allowedCountries: countries(d.allowedCountries, 'allowedCountries'),
    allowedGroups: unique(d.allowedGroups).map((group) => {
      if (!isGroupName(group)) throw new InvalidInputError('allowedGroups', `unknown country group "${group}"`);
      return group;
    }),
    deniedCountries: countries(d.deniedCountries, 'deniedCountries'),
    citation: d.citation ?? null,
  };
  return { type: 'ResidencyPolicyDefined', data, effectiveAt: isoOf(instantMs(command.effectiveAt, 'effectiveAt')) };
}

function retireResidencyPolicy(command: RetireResidencyPolicy, state: PolicyState): ResidencyPolicyRetired {
  const { policyId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  if (state === null) throw new NotFoundError(`residency policy ${policyId} does not exist`);
  if (state.retiredAt !== null) throw new RuleViolationError('INVALID_TRANSITION', `residency policy ${policyId} is already retired at ${isoOf(state.retiredAt)}`);
  if (at < state.definedAt) {
    throw new RuleViolationError('INVALID_TRANSITION', `residency policy ${policyId} applies only from ${isoOf(state.definedAt)}; it cannot retire at ${isoOf(at)}`);
  }
  return { type: 'ResidencyPolicyRetired', data: { policyId }, effectiveAt: isoOf(at) };
}

function countries(codes: string[] | null | undefined, field: string): string[] {
  return unique(codes).map((code) => {
    if (!isAssignedCountryCode(code)) throw new InvalidInputError(field, `"${code}" is not an ISO 3166-1 alpha-2 country code`);
    return code;
  });
}

function unique(values: string[] | null | undefined): string[] {
  return [...new Set(values ?? [])];
}
