import { feedKw, rackUsableKw } from './capacity.math';
import { lookup } from '../../kernel/id-index.util';
import { findRecord } from '../../kernel/record-table.util';
import { StepChange, sweep } from '../../kernel/step-timeline.util';
import { DAY_MS, dayStart, eventInstant } from '../../kernel/time.util';
import { CapacityResource, FeedSide } from './pop.enums';
import { PopEvent } from './pop.events';
import {
  CircuitRecord,
  deviceAt,
  DeviceRecord,
  FeedRecord,
  LeaseRecord,
  PopAggregate,
  PopMetric,
  PopTotals,
  RACK_METRIC_SET,
  RackMetric,
  rackTotalsOf,
  RackRecord,
  reservationAt,
  ReservationRecord,
} from './pop.state';

/**
 * What an event changes on the timelines, computed from the state before it. `decide` checks
 * these changes against the invariants without applying them; `evolve` applies the same ones,
 * so the two can never disagree.
 */
export interface PopEffects {
  pop: StepChange<PopMetric>[];
  rack: { rack: RackRecord; changes: StepChange<RackMetric>[] } | null;
}

const RESERVED_METRIC: Record<CapacityResource, PopMetric> = {
  SPACE_U: 'reservedU',
  POWER_KW: 'reservedKw',
  BANDWIDTH_MBPS: 'reservedMbps',
};

/** Deltas smaller than this are float noise, not a change of usable power. */
const NOISE = 1e-9;

export function effectsOf(pop: PopAggregate, event: PopEvent): PopEffects {
  const at = eventInstant(event.effectiveAt);
  switch (event.type) {
    case 'SiteLeased': {
      const { startsOn, endsOn, contractedPowerKw, maxRacks } = event.data;
      const from = dayStart(startsOn);
      return popOnly([{ from, until: endsOn === null ? Infinity : dayStart(endsOn) + DAY_MS, delta: leaseDelta({ contractedPowerKw, maxRacks }, 1) }]);
    }
    case 'LeaseTerminated': {
      const lease = lookup(pop.leases, event.data.leaseId) as LeaseRecord;
      const oldEnd = lease.to ?? Infinity;
      const newEnd = dayStart(event.data.endsOn) + DAY_MS;
      return popOnly(
        newEnd < oldEnd
          ? [{ from: newEnd, until: oldEnd, delta: leaseDelta(lease, -1) }]
          : [{ from: oldEnd, until: newEnd, delta: leaseDelta(lease, 1) }],
      );
    }
    case 'RackInstalled':
      return popOnly([{ from: at, until: Infinity, delta: { racks: 1, totalU: event.data.heightU } }]);
    case 'RackRemoved': {
      const rack = lookup(pop.racks, event.data.rackId) as RackRecord;
      return popOnly([{ from: at, until: Infinity, delta: { racks: -1, totalU: -rack.heightU } }]);
    }
    case 'PowerFeedAdded':
      return feedEffects(lookup(pop.racks, event.data.rackId) as RackRecord, event.data.side, feedKw(event.data), at, 1);
    case 'PowerFeedRemoved': {
      const feed = lookup(pop.feeds, event.data.feedId) as FeedRecord;
      return feedEffects(lookup(pop.racks, feed.rackId) as RackRecord, feed.side, feed.kw, at, -1);
    }
    case 'DeviceInstalled': {
      const { rackId, heightU, powerDrawWatts } = event.data;
      return deviceEffects(lookup(pop.racks, rackId) as RackRecord, heightU, powerDrawWatts / 1000, at, 1);
    }
    case 'DeviceRemoved': {
      const device = findRecord(pop.devices, event.data.deviceId, deviceAt) as DeviceRecord;
      return deviceEffects(lookup(pop.racks, device.rackId) as RackRecord, device.heightU, device.drawKw, at, -1);
    }
    case 'CarrierConnected':
      return popOnly([{ from: at, until: Infinity, delta: { capacityMbps: event.data.bandwidthMbps } }]);
    case 'CarrierDisconnected': {
      const circuit = lookup(pop.circuits, event.data.circuitId) as CircuitRecord;
      return popOnly([{ from: at, until: Infinity, delta: { capacityMbps: -circuit.bandwidthMbps } }]);
    }
    case 'CapacityReserved': {
      const { resource, amount, from, until } = event.data;
      return popOnly([{ from: Date.parse(from), until: until === null ? Infinity : Date.parse(until), delta: { [RESERVED_METRIC[resource]]: amount } }]);
    }
    case 'ReservationReleased': {
      const reservation = findRecord(pop.reservations, event.data.reservationId, reservationAt) as ReservationRecord;
      const delta = { [RESERVED_METRIC[reservation.resource]]: -reservation.amount };
      return popOnly([{ from: Math.max(reservation.from, at), until: reservation.to ?? Infinity, delta }]);
    }
    default:
      return popOnly([]);
  }
}

function popOnly(changes: StepChange<PopMetric>[]): PopEffects {
  return { pop: changes, rack: null };
}

function leaseDelta(lease: Pick<LeaseRecord, 'contractedPowerKw' | 'maxRacks'>, sign: 1 | -1): Partial<PopTotals> {
  const delta: Partial<PopTotals> = {};
  if (lease.contractedPowerKw !== null) Object.assign(delta, { contractedKw: sign * lease.contractedPowerKw, contractLeases: sign });
  if (lease.maxRacks !== null) Object.assign(delta, { rackLimit: sign * lease.maxRacks, rackLimitLeases: sign });
  return delta;
}

function deviceEffects(rack: RackRecord, heightU: number, drawKw: number, at: number, sign: 1 | -1): PopEffects {
  return {
    pop: [{ from: at, until: Infinity, delta: { usedU: sign * heightU, allocatedKw: sign * drawKw } }],
    rack: { rack, changes: [{ from: at, until: Infinity, delta: { drawKw: sign * drawKw } }] },
  };
}

function feedEffects(rack: RackRecord, side: FeedSide, kw: number, at: number, sign: 1 | -1): PopEffects {
  const delta = side === 'A' ? { aKw: sign * kw, aFeeds: sign } : { bKw: sign * kw, bFeeds: sign };
  const changes: StepChange<RackMetric>[] = [{ from: at, until: Infinity, delta }];
  return { pop: usableChanges(rack, changes), rack: { rack, changes } };
}

/**
 * A feed change alters the rack's usable power non-linearly (A/B minimum, maxPowerKw), so the
 * PoP's Σ usable changes by a different amount on each stretch of the rack's timeline.
 */
function usableChanges(rack: RackRecord, changes: StepChange<RackMetric>[]): StepChange<PopMetric>[] {
  const steps: { at: number; delta: number }[] = [];
  sweep(rack.timeline, RACK_METRIC_SET, changes, (at, before, after) => {
    steps.push({ at, delta: rackUsableKw(rackTotalsOf(after), rack.maxPowerKw) - rackUsableKw(rackTotalsOf(before), rack.maxPowerKw) });
    return undefined;
  });
  const end = Math.max(...changes.map((change) => change.until));
  const result: StepChange<PopMetric>[] = [];
  for (let index = 0; index < steps.length; ) {
    const { at, delta } = steps[index++];
    while (index < steps.length && Math.abs(steps[index].delta - delta) <= NOISE) index++;
    if (Math.abs(delta) > NOISE) result.push({ from: at, until: index < steps.length ? steps[index].at : end, delta: { racksUsableKw: delta } });
  }
  return result;
}
