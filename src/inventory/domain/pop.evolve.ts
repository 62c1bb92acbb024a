import { feedKw } from './capacity.math';
import { lookup, store } from '../../kernel/id-index.util';
import { applyChanges, emptyTimeline } from '../../kernel/step-timeline.util';
import { DAY_MS, dayStart } from '../../kernel/time.util';
import { PopEvent, PopRegistered } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { nextStatus, TransitionEventType } from './pop-lifecycle.rules';
import {
  CircuitRecord,
  DeviceRecord,
  FeedRecord,
  LeaseRecord,
  PopAggregate,
  POP_METRIC_SET,
  PopState,
  rackMetricSet,
  RackRecord,
  RemovedRef,
  ReservationRecord,
} from './pop.state';

/**
 * Applies one event. Updates `state` in place and returns it (except for the first event, which
 * creates it): the application keeps one state per stream and applies each new event once.
 */
export function evolvePop(state: PopState, event: PopEvent): PopState {
  if (event.type === 'PopRegistered') return registeredPop(event);
  if (state === null) return state;
  const effects = effectsOf(state, event);
  applyChanges(state.timeline, POP_METRIC_SET, effects.pop);
  if (effects.rack) applyChanges(effects.rack.rack.timeline, rackMetricSet(effects.rack.rack.maxPowerKw), effects.rack.changes);
  record(state, event, Date.parse(event.effectiveAt));
  return state;
}

function registeredPop(event: PopRegistered): PopAggregate {
  return {
    popId: event.data.popId,
    kind: event.data.kind,
    profile: event.data,
    registeredAt: Date.parse(event.effectiveAt),
    transitions: [],
    leases: {},
    racks: {},
    feeds: {},
    devices: {},
    circuits: {},
    reservations: {},
    timeline: emptyTimeline(),
    lastAdditionAt: null,
  };
}

/** Updates the records after the timelines (effects read the records as they were). */
function record(pop: PopAggregate, event: Exclude<PopEvent, PopRegistered>, at: number): void {
  switch (event.type) {
    case 'SiteLeased': {
      const { leaseId, startsOn, endsOn, contractedPowerKw, maxRacks, monthlyCost, oneOffCost } = event.data;
      const from = dayStart(startsOn);
      store(pop.leases, leaseId, { leaseId, signedAt: at, from, to: endOfDay(endsOn), contractedPowerKw, maxRacks, monthlyCost, oneOffCost: oneOffCost ?? null });
      transition(pop, 'SiteLeased', at);
      added(pop, Math.max(at, from));
      return;
    }
    case 'LeaseTerminated':
      (lookup(pop.leases, event.data.leaseId) as LeaseRecord).to = endOfDay(event.data.endsOn);
      return;
    case 'BuildOutStarted':
    case 'PopActivated':
    case 'DecommissionStarted':
    case 'PopClosed':
      transition(pop, event.type, at);
      return;
    case 'RackInstalled': {
      const { rackId, heightU, maxPowerKw } = event.data;
      store(pop.racks, rackId, {
        rackId,
        heightU,
        maxPowerKw,
        from: at,
        to: null,
        openDeviceIds: [],
        openFeedIds: [],
        removedDevices: [],
        removedFeeds: [],
        timeline: emptyTimeline(),
      });
      added(pop, at);
      return;
    }
    case 'RackRemoved':
      (lookup(pop.racks, event.data.rackId) as RackRecord).to = at;
      return;
    case 'PowerFeedAdded': {
      const { feedId, rackId, side, monthlyCost, oneOffCost } = event.data;
      store(pop.feeds, feedId, { feedId, rackId, side, kw: feedKw(event.data), from: at, to: null, monthlyCost: monthlyCost ?? null, oneOffCost: oneOffCost ?? null });
      (lookup(pop.racks, rackId) as RackRecord).openFeedIds.push(feedId);
      added(pop, at);
      return;
    }
    case 'PowerFeedRemoved': {
      const feed = lookup(pop.feeds, event.data.feedId) as FeedRecord;
      feed.to = at;
      const rack = lookup(pop.racks, feed.rackId) as RackRecord;
      close(rack.openFeedIds, rack.removedFeeds, feed.feedId, at);
      return;
    }
    case 'DeviceInstalled': {
      const { deviceId, rackId, positionU, heightU, powerDrawWatts, purchaseCost } = event.data;
      store(pop.devices, deviceId, { deviceId, rackId, positionU, heightU, drawKw: powerDrawWatts / 1000, from: at, to: null, purchaseCost: purchaseCost ?? null });
      (lookup(pop.racks, rackId) as RackRecord).openDeviceIds.push(deviceId);
      added(pop, at);
      return;
    }
    case 'DeviceRemoved': {
      const device = lookup(pop.devices, event.data.deviceId) as DeviceRecord;
      device.to = at;
      const rack = lookup(pop.racks, device.rackId) as RackRecord;
      close(rack.openDeviceIds, rack.removedDevices, device.deviceId, at);
      return;
    }
    case 'CarrierConnected': {
      const { circuitId, type, bandwidthMbps, monthlyCost, oneOffCost } = event.data;
      store(pop.circuits, circuitId, { circuitId, type, bandwidthMbps, from: at, to: null, monthlyCost, oneOffCost: oneOffCost ?? null });
      added(pop, at);
      return;
    }
    case 'CarrierDisconnected':
      (lookup(pop.circuits, event.data.circuitId) as CircuitRecord).to = at;
      return;
    case 'CapacityReserved': {
      const { reservationId, resource, amount } = event.data;
      const from = Date.parse(event.data.from);
      const until = event.data.until === null ? null : Date.parse(event.data.until);
      store(pop.reservations, reservationId, { reservationId, resource, amount, reservedAt: at, from, until, to: until, releasedAt: null });
      added(pop, Math.max(at, from));
      return;
    }
    case 'ReservationReleased': {
      const reservation = lookup(pop.reservations, event.data.reservationId) as ReservationRecord;
      reservation.releasedAt = at;
      reservation.to = Math.max(reservation.from, reservation.until === null ? at : Math.min(at, reservation.until));
      return;
    }
  }
}

function endOfDay(date: string | null): number | null {
  return date === null ? null : dayStart(date) + DAY_MS;
}

function transition(pop: PopAggregate, eventType: TransitionEventType, at: number): void {
  const status = nextStatus(pop, eventType);
  if (status) pop.transitions.push({ status, at });
}

function added(pop: PopAggregate, at: number): void {
  if (pop.lastAdditionAt === null || at > pop.lastAdditionAt) pop.lastAdditionAt = at;
}

/** Moves an id from the open list to the removed list, keeping the latter sorted by removal time. */
function close(open: string[], removed: RemovedRef[], id: string, at: number): void {
  open.splice(open.indexOf(id), 1);
  let index = removed.length;
  while (index > 0 && removed[index - 1].to > at) index--;
  removed.splice(index, 0, { id, to: at });
}
