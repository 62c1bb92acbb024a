import { instantMs } from '../../kernel/time.util';
import { PopKind, PopStatus } from './pop.enums';
import { TransitionEvent } from './pop.events';
import { PopAggregate } from './pop.state';

/**
 * Lifecycle: PHYSICAL goes PLANNED → LEASED → BUILDING → LIVE → DECOMMISSIONING → CLOSED;
 * VIRTUAL skips leasing and build-out. The first lease is the PLANNED → LEASED transition;
 * later leases add capacity without one.
 */

export type TransitionEventType = 'SiteLeased' | TransitionEvent['type'];

interface Step {
  from: PopStatus;
  to: PopStatus;
}

const LATE_LIFE: Partial<Record<TransitionEventType, Step>> = {
  DecommissionStarted: { from: 'LIVE', to: 'DECOMMISSIONING' },
  PopClosed: { from: 'DECOMMISSIONING', to: 'CLOSED' },
};

const STEPS: Record<PopKind, Partial<Record<TransitionEventType, Step>>> = {
  PHYSICAL: {
    SiteLeased: { from: 'PLANNED', to: 'LEASED' },
    BuildOutStarted: { from: 'LEASED', to: 'BUILDING' },
    PopActivated: { from: 'BUILDING', to: 'LIVE' },
    ...LATE_LIFE,
  },
  VIRTUAL: {
    PopActivated: { from: 'PLANNED', to: 'LIVE' },
    ...LATE_LIFE,
  },
};

export function lifecycleStep(kind: PopKind, eventType: TransitionEventType): Step | undefined {
  return STEPS[kind][eventType];
}

/** The status after the latest transition, whatever its effective time. */
export function currentStatus(pop: PopAggregate): PopStatus {
  return pop.transitions.length === 0 ? 'PLANNED' : pop.transitions[pop.transitions.length - 1].status;
}

export function lastTransitionAt(pop: PopAggregate): number | null {
  return pop.transitions.length === 0 ? null : pop.transitions[pop.transitions.length - 1].at;
}

/** Status at `at`: the latest transition effective by then; PLANNED before any (even before registration). */
export function popStatusAt(pop: PopAggregate, at: number): PopStatus {
  for (let index = pop.transitions.length - 1; index >= 0; index--) {
    if (pop.transitions[index].at <= at) return pop.transitions[index].status;
  }
  return 'PLANNED';
}

export function closedAt(pop: PopAggregate): number | null {
  return currentStatus(pop) === 'CLOSED' ? (lastTransitionAt(pop) as number) : null;
}

/** The status an accepted event moves the PoP to, or null (a lease on an already leased PoP). */
export function nextStatus(pop: PopAggregate, eventType: TransitionEventType): PopStatus | null {
  const step = lifecycleStep(pop.kind, eventType);
  return step && step.from === currentStatus(pop) ? step.to : null;
}

/** The status at an ISO instant, or null when the PoP does not exist (the workload context uses this). */
export function popStatusAsOf(state: PopAggregate | null, asOf: string): PopStatus | null {
  return state === null ? null : popStatusAt(state, instantMs(asOf, 'asOf'));
}
