import { lookup } from '../../kernel/id-index.util';
import { requireNonNegativeInteger, requirePositive } from '../../kernel/number.guards';
import { instantMs, isoOf } from '../../kernel/time.util';
import { ConnectCarrier, DisconnectCarrier } from './pop.commands';
import { CarrierConnected, CarrierDisconnected } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { assertNewId, assertNotClosed, requireRemovable } from './pop.guards';
import { assertPopInvariants } from './pop-timeline.rules';
import { PopAggregate } from './pop.state';

/** Carrier circuits, on physical and virtual PoPs alike. */

export function connectCarrier(command: ConnectCarrier, pop: PopAggregate): CarrierConnected[] {
  const d = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  assertNewId(lookup(pop.circuits, d.circuitId) !== undefined, d.circuitId, 'circuit', pop.popId);
  assertNotClosed(pop, `circuit ${d.circuitId}`, at);
  const data = {
    popId: d.popId,
    circuitId: d.circuitId,
    carrier: d.carrier,
    type: d.type,
    bandwidthMbps: requirePositive(d.bandwidthMbps, 'bandwidthMbps'),
    monthlyCost: d.monthlyCost,
    oneOffCost: d.oneOffCost ?? null,
    termMonths: d.termMonths == null ? null : requireNonNegativeInteger(d.termMonths, 'termMonths'),
  };
  return [{ type: 'CarrierConnected', data, effectiveAt: isoOf(at) }];
}

/** BANDWIDTH_EXCEEDED when reservations from then on would exceed the remaining circuits. */
export function disconnectCarrier(command: DisconnectCarrier, pop: PopAggregate): CarrierDisconnected[] {
  const { popId, circuitId } = command.data;
  const at = instantMs(command.effectiveAt, 'effectiveAt');
  requireRemovable(lookup(pop.circuits, circuitId), circuitId, 'circuit', pop.popId, at);
  const event: CarrierDisconnected = { type: 'CarrierDisconnected', data: { popId, circuitId }, effectiveAt: isoOf(at) };
  assertPopInvariants(pop, effectsOf(pop, event).pop);
  return [event];
}
