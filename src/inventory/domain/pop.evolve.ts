import { feedKw } from './capacity.math';
import { lookup, store } from '../../kernel/id-index.util';
import { addRow, emptyTable, rowOf } from '../../kernel/record-table.util';
import { applyChanges, emptyTimeline } from '../../kernel/step-timeline.util';
import { DAY_MS, dayStart, eventInstant } from '../../kernel/time.util';
import { CAPACITY_RESOURCES, CapacityResource } from './pop.enums';
import { PopEvent, PopRegistered } from './pop.events';
import { effectsOf } from './pop-effects.evolve';
import { nextStatus, TransitionEventType } from './pop-lifecycle.rules';
import {
  CircuitRecord,
  DeviceFields,
  deviceRemovedAt,
  feedRemovedAt,
  FeedRecord,
  LeaseRecord,
  PopAggregate,
  POP_METRIC_SET,
  PopState,
  rackMetricSet,
  RackRecord,
  ReservationFields,
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
  record(state, event, eventInstant(event.effectiveAt));
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
    devices: emptyTable<DeviceFields>({ rackId: [], positionU: [], heightU: [], drawKw: [], from: [], to: [], purchaseCost: [] }),
    circuits: {},
    reservations: emptyTable<ReservationFields>({ resource: [], amount: [], reservedAt: [], from: [], until: [], to: [], releasedAt: [] }),
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
        openDevices: [],
        openFeedIds: [],
        removedDevices: [],
        removedFeedIds: [],
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
      close(rack.openFeedIds, rack.removedFeedIds, feed.feedId, feedRemovedAt(pop));
      return;
    }
    case 'DeviceInstalled': {
      const { deviceId, rackId, positionU, heightU, powerDrawWatts, purchaseCost } = event.data;
      const rack = lookup(pop.racks, rackId) as RackRecord;
      const fields = { rackId: rack.rackId, positionU, heightU, drawKw: powerDrawWatts / 1000, from: at, to: null, purchaseCost: purchaseCost ?? null };
      rack.openDevices.push(addRow(pop.devices, deviceId, fields));
      added(pop, at);
      return;
    }
    case 'DeviceRemoved': {
      const row = rowOf(pop.devices, event.data.deviceId);
      const { to, rackId } = pop.devices.columns;
      to[row] = at;
      const rack = lookup(pop.racks, rackId[row]) as RackRecord;
      close(rack.openDevices, rack.removedDevices, row, deviceRemovedAt(pop));
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
      // The enum's own string: one parsed from each event's JSON would be a copy per reservation.
      const known = CAPACITY_RESOURCES.find((name) => name === resource) as CapacityResource;
      addRow(pop.reservations, reservationId, { resource: known, amount, reservedAt: at, from, until, to: until, releasedAt: null });
      added(pop, Math.max(at, from));
      return;
    }
    case 'ReservationReleased': {
      const row = rowOf(pop.reservations, event.data.reservationId);
      const { releasedAt, to, from, until } = pop.reservations.columns;
      releasedAt[row] = at;
      const end = until[row];
      to[row] = Math.max(from[row], end === null ? at : Math.min(at, end));
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

/** Moves a removed item (its removal already recorded: `toOf`) from the open list to the removed list, keeping the latter sorted by removal time. */
function close<T>(open: T[], removed: T[], item: T, toOf: (item: T) => number): void {
  open.splice(open.indexOf(item), 1);
  const at = toOf(item);
  let index = removed.length;
  while (index > 0 && toOf(removed[index - 1]) > at) index--;
  removed.splice(index, 0, item);
}
