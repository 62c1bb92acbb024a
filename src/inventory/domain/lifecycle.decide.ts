import { isAssignedCountryCode } from '../../kernel/country-codes.util';
import { InvalidInputError, RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { requireNonNegative, requireNonNegativeInteger } from '../../kernel/number.guards';
import { dateOf, dayStartMs, instantMs, isoOf } from '../../kernel/time.util';
import { LeaseSite, LifecycleCommand, RegisterPop, TerminateLease } from './pop.commands';
import { LeaseTerminated, PopRegistered, SiteLeased, TransitionEvent } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { assertNewId, assertNotClosed, assertPhysical } from './pop.guards';
import { currentStatus, lastTransitionAt, lifecycleStep } from './pop-lifecycle.rules';
import { assertPopInvariants } from './pop-timeline.rules';
import { PopAggregate, PopState } from './pop.state';

/** Registration, leases and lifecycle transitions. */

export function registerPop(command: RegisterPop, state: PopState): PopRegistered[] {
  const d = command.data;
  if (state !== null) throw new RuleViolationError('DUPLICATE_ID', `PoP ${d.popId} is already registered`);
  if (!isAssignedCountryCode(d.countryCode)) throw new InvalidInputError('countryCode', `"${d.countryCode}" is not an ISO 3166-1 alpha-2 country code`);
  const data = {
    popId: d.popId,
    code: d.code,
    name: d.name,
    kind: d.kind,
    operatorModel: d.operatorModel,
    countryCode: d.countryCode,
    city: d.city ?? null,
    region: d.region ?? null,
    latitude: d.latitude ?? null,
    longitude: d.longitude ?? null,
    provider: d.provider ?? null,
    cloudRegion: d.cloudRegion ?? null,
    monthlyCost: d.monthlyCost ?? null,
  };
  return [{ type: 'PopRegistered', data, effectiveAt: isoOf(instantMs(command.effectiveAt, 'effectiveAt')) }];
}

/** The first lease moves a PLANNED PoP to LEASED; later ones add space and power (RACK_LIMIT, POWER_EXCEEDED re-checked). */
export function leaseSite(command: LeaseSite, pop: PopAggregate): SiteLeased[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const subject = `lease ${d.leaseId}`;
  assertPhysical(pop, subject);
  assertNewId(lookup(pop.leases, d.leaseId) !== undefined, d.leaseId, 'lease', pop.popId);
  const startsAt = dayStartMs(d.startsOn, 'startsOn');
  if (d.endsOn != null) assertEndsOnOrAfter(dayStartMs(d.endsOn, 'endsOn'), startsAt, d.leaseId);
  assertNotClosed(pop, subject, at, startsAt);
  const data = {
    popId: d.popId,
    leaseId: d.leaseId,
    lessor: d.lessor ?? null,
    startsOn: d.startsOn,
    endsOn: d.endsOn ?? null,
    monthlyCost: d.monthlyCost,
    oneOffCost: d.oneOffCost ?? null,
    contractedPowerKw: d.contractedPowerKw == null ? null : requireNonNegative(d.contractedPowerKw, 'contractedPowerKw'),
    maxRacks: d.maxRacks == null ? null : requireNonNegativeInteger(d.maxRacks, 'maxRacks'),
  };
  const event: SiteLeased = { type: 'SiteLeased', data, effectiveAt: isoOf(at) };
  assertPopInvariants(pop, effectsOf(pop, event).pop);
  return [event];
}

/**
 * Sets a lease's inclusive last day. The lease must be signed and not yet ended at the
 * command's effective time; what it stops providing is re-checked from the new end on.
 */
export function terminateLease(command: TerminateLease, pop: PopAggregate): LeaseTerminated[] {
  const { popId, leaseId, endsOn } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const lease = lookup(pop.leases, leaseId);
  if (!lease) throw new RuleViolationError('UNKNOWN_ID', `lease ${leaseId} does not exist in PoP ${pop.popId}`);
  if (at < lease.signedAt) throw new RuleViolationError('UNKNOWN_ID', `lease ${leaseId} is signed only at ${isoOf(lease.signedAt)}, not at ${isoOf(at)}`);
  if (lease.to !== null && at >= lease.to) throw new RuleViolationError('UNKNOWN_ID', `lease ${leaseId} is no longer active at ${isoOf(at)}: it ended at ${isoOf(lease.to)}`);
  assertEndsOnOrAfter(dayStartMs(endsOn, 'endsOn'), lease.from, leaseId);
  const event: LeaseTerminated = { type: 'LeaseTerminated', data: { popId, leaseId, endsOn }, effectiveAt: isoOf(at) };
  assertPopInvariants(pop, effectsOf(pop, event).pop);
  return [event];
}

const TRANSITION_EVENTS = {
  StartBuildOut: 'BuildOutStarted',
  ActivatePop: 'PopActivated',
  StartDecommission: 'DecommissionStarted',
  ClosePop: 'PopClosed',
} as const satisfies Record<LifecycleCommand['type'], TransitionEvent['type']>;

/** Strictly in lifecycle order, each effective at or after the latest transition; a close after every addition. */
export function transition(command: LifecycleCommand, pop: PopAggregate): TransitionEvent[] {
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const type = TRANSITION_EVENTS[command.type];
  const step = lifecycleStep(pop.kind, type);
  const status = currentStatus(pop);
  if (!step) throw new RuleViolationError('INVALID_TRANSITION', `PoP ${pop.popId} is ${pop.kind}: ${command.type} does not apply`);
  if (status !== step.from) throw new RuleViolationError('INVALID_TRANSITION', `PoP ${pop.popId} is ${status}; ${command.type} needs ${step.from}`);
  const latest = lastTransitionAt(pop);
  if (latest !== null && at < latest) {
    throw new RuleViolationError('INVALID_TRANSITION', `PoP ${pop.popId} became ${status} at ${isoOf(latest)}; ${command.type} at ${isoOf(at)} would precede it`);
  }
  if (type === 'PopClosed' && pop.lastAdditionAt !== null && pop.lastAdditionAt >= at) {
    throw new RuleViolationError(
      'INVALID_TRANSITION',
      `PoP ${pop.popId} has something added or starting at ${isoOf(pop.lastAdditionAt)}; it cannot close at ${isoOf(at)}`,
    );
  }
  return [{ type, data: { popId: command.data.popId }, effectiveAt: isoOf(at) }];
}

function assertEndsOnOrAfter(endsOnStart: number, startsAt: number, leaseId: string): void {
  if (endsOnStart < startsAt) {
    throw new InvalidInputError('endsOn', `lease ${leaseId} would end on ${dateOf(endsOnStart)}, before it starts on ${dateOf(startsAt)}`);
  }
}
