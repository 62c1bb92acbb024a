import { NotFoundError, RuleViolationError } from '../../kernel/domain.errors';
import { lookup } from '../../kernel/id-index.util';
import { isoOf } from '../../kernel/time.util';
import { closedAt } from './pop-lifecycle.rules';
import { PopAggregate, PopState, Presence, RackRecord } from './pop.state';

/** Checks shared by the PoP commands; each throws the rule's error with a message naming ids and times. */

export function requirePop(state: PopState, popId: string): PopAggregate {
  if (state === null) throw new NotFoundError(`PoP ${popId} does not exist`);
  return state;
}

/** Nothing physical (lease, rack, feed, device, space or power) on a VIRTUAL PoP. */
export function assertPhysical(pop: PopAggregate, subject: string): void {
  if (pop.kind === 'VIRTUAL') throw new RuleViolationError('INVALID_TRANSITION', `PoP ${pop.popId} is VIRTUAL and cannot take ${subject}`);
}

/** Nothing is added to a CLOSED PoP: every instant at which the addition takes effect precedes the close. */
export function assertNotClosed(pop: PopAggregate, subject: string, ...instants: number[]): void {
  const closed = closedAt(pop);
  const latest = Math.max(...instants);
  if (closed !== null && latest >= closed) {
    throw new RuleViolationError('INVALID_TRANSITION', `PoP ${pop.popId} is CLOSED from ${isoOf(closed)}; ${subject} would take effect at ${isoOf(latest)}`);
  }
}

/** Ids are unique per PoP and kind forever, removed ones included: `taken` when a record has the id. */
export function assertNewId(taken: boolean, id: string, kind: string, popId: string): void {
  if (taken) throw new RuleViolationError('DUPLICATE_ID', `${kind} ${id} already exists in PoP ${popId}`);
}

/** Something to remove at `at`: present then, with no removal recorded yet. `record`: the one with the id, if any. */
export function requireRemovable<T extends Presence>(record: T | undefined, id: string, kind: string, popId: string, at: number): T {
  if (!record) throw new RuleViolationError('UNKNOWN_ID', `${kind} ${id} does not exist in PoP ${popId}`);
  if (record.to !== null) throw new RuleViolationError('UNKNOWN_ID', `${kind} ${id} is already removed from ${isoOf(record.to)}`);
  if (at < record.from) throw new RuleViolationError('UNKNOWN_ID', `${kind} ${id} is present only from ${isoOf(record.from)}, not at ${isoOf(at)}`);
  return record;
}

/** The rack a new feed or device goes into: present at `at` and as long as the (open-ended) newcomer. */
export function requireRackFor(pop: PopAggregate, rackId: string, subject: string, at: number): RackRecord {
  const rack = lookup(pop.racks, rackId);
  if (!rack) throw new RuleViolationError('UNKNOWN_RACK', `${subject} references rack ${rackId}, which does not exist in PoP ${pop.popId}`);
  if (at < rack.from) {
    throw new RuleViolationError('UNKNOWN_RACK', `rack ${rackId} is installed only from ${isoOf(rack.from)}; ${subject} is effective at ${isoOf(at)}`);
  }
  if (rack.to !== null) {
    const reason = at >= rack.to ? `was removed at ${isoOf(rack.to)}` : `is removed at ${isoOf(rack.to)} while ${subject} would stay`;
    throw new RuleViolationError('UNKNOWN_RACK', `rack ${rackId} ${reason}; ${subject} is effective at ${isoOf(at)}`);
  }
  return rack;
}
