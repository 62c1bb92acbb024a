import { InvalidInputError, RuleViolationError } from '../../kernel/domain.errors';
import { requirePositive } from '../../kernel/number.guards';
import { findRecord, rowOf } from '../../kernel/record-table.util';
import { instantMs, isoOf } from '../../kernel/time.util';
import { ReleaseReservation, ReserveCapacity } from './pop.commands';
import { CapacityReserved, ReservationReleased } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { assertNewId, assertNotClosed, assertPhysical } from './pop.guards';
import { assertPopInvariants } from './pop-timeline.rules';
import { PopAggregate, reservationAt } from './pop.state';

/**
 * Reservations hold capacity on [from, until) against everything else; to use reserved capacity,
 * release the reservation first.
 */

const UNITS = { SPACE_U: 'U', POWER_KW: 'kW', BANDWIDTH_MBPS: 'Mbps' } as const;

/** RESERVATION_EXCEEDED unless the amount fits the resource's headroom at every instant of [from, until). */
export function reserveCapacity(command: ReserveCapacity, pop: PopAggregate): CapacityReserved[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const subject = `reservation ${d.reservationId}`;
  if (d.resource !== 'BANDWIDTH_MBPS') assertPhysical(pop, `a ${d.resource} ${subject}`);
  assertNewId(rowOf(pop.reservations, d.reservationId) >= 0, d.reservationId, 'reservation', pop.popId);
  const from = d.from == null ? at : instantMs(d.from, 'from');
  const until = d.until == null ? null : instantMs(d.until, 'until');
  if (until !== null && until <= from) throw new InvalidInputError('until', `${subject} must end after it starts (${isoOf(from)}), not at ${isoOf(until)}`);
  assertNotClosed(pop, subject, at, from);
  const data = {
    popId: d.popId,
    reservationId: d.reservationId,
    resource: d.resource,
    amount: requirePositive(d.amount, 'amount'),
    from: isoOf(from),
    until: until === null ? null : isoOf(until),
    note: d.note ?? null,
  };
  const event: CapacityReserved = { type: 'CapacityReserved', data, effectiveAt: isoOf(at) };
  const span = `[${data.from}, ${data.until ?? 'open end'})`;
  assertPopInvariants(pop, effectsOf(pop, event).pop, `${subject} of ${data.amount} ${UNITS[d.resource]} over ${span}`);
  return [event];
}

/**
 * Releasing at t ends the reservation at t (before `from`, it cancels it). It must be recorded by
 * t, not yet released, and not expired.
 */
export function releaseReservation(command: ReleaseReservation, pop: PopAggregate): ReservationReleased[] {
  const { popId, reservationId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  const reservation = findRecord(pop.reservations, reservationId, reservationAt);
  const unknown = (why: string) => new RuleViolationError('UNKNOWN_ID', `reservation ${reservationId} ${why}`);
  if (!reservation) throw unknown(`does not exist in PoP ${pop.popId}`);
  if (reservation.releasedAt !== null) throw unknown(`is already released at ${isoOf(reservation.releasedAt)}`);
  if (at < reservation.reservedAt) throw unknown(`is recorded only at ${isoOf(reservation.reservedAt)}, not at ${isoOf(at)}`);
  if (reservation.until !== null && at >= reservation.until) throw unknown(`is no longer active at ${isoOf(at)}: it expired at ${isoOf(reservation.until)}`);
  return [{ type: 'ReservationReleased', data: { popId, reservationId }, effectiveAt: isoOf(at) }];
}
