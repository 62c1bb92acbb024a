import { popUsableKw, rackUsableKw } from '../../src/inventory/domain/capacity.math';
import {
  deviceAt,
  DeviceRecord,
  FeedRecord,
  PopAggregate,
  POP_METRIC_SET,
  POP_METRICS,
  PopMetric,
  popTotalsOf,
  Presence,
  RACK_METRIC_SET,
  RACK_METRICS,
  RackMetric,
  RackRecord,
  rackTotalsOf,
  reservationAt,
  ReservationRecord,
} from '../../src/inventory/domain/pop.state';
import { pointAt } from '../../src/kernel/step-timeline.util';

/**
 * An independent, slow check of a PoP state: every invariant of docs/domain.md, "Inventory rules" evaluated from
 * the records at every instant where anything starts or ends, without the decision indexes;
 * and a comparison of those indexes with totals recomputed from the records.
 */

const EPSILON = 1e-6;

/** The PoP's device records, read out of their rows. */
export function allDevices(pop: PopAggregate): DeviceRecord[] {
  return pop.devices.ids.map((_, row) => deviceAt(pop.devices, row));
}

export function allReservations(pop: PopAggregate): ReservationRecord[] {
  return pop.reservations.ids.map((_, row) => reservationAt(pop.reservations, row));
}

export function bruteForceViolations(pop: PopAggregate): string[] {
  const violations: string[] = [];
  const contents = contentsByRack(pop);
  for (const t of instantsOf(pop)) {
    const at = new Date(t).toISOString();
    for (const rack of Object.values(pop.racks)) {
      const { values, devices } = rackAt(contents, rack, t);
      if (!isPresent(rack, t)) {
        if (values.aFeeds + values.bFeeds + devices.length > 0) violations.push(`UNKNOWN_RACK ${rack.rackId} at ${at}`);
        continue;
      }
      const usable = rackUsableKw(values, rack.maxPowerKw);
      if (values.drawKw > usable + EPSILON) violations.push(`POWER_EXCEEDED rack ${rack.rackId} ${values.drawKw} > ${usable} at ${at}`);
      for (const device of devices) {
        if (device.positionU + device.heightU - 1 > rack.heightU) violations.push(`OUT_OF_RACK ${device.deviceId}`);
        for (const other of devices) {
          const overlap = device.positionU <= other.positionU + other.heightU - 1 && other.positionU <= device.positionU + device.heightU - 1;
          if (device.deviceId < other.deviceId && overlap) violations.push(`SPACE_OVERLAP ${device.deviceId} ${other.deviceId} at ${at}`);
        }
      }
    }
    const v = popAt(pop, contents, t);
    if (v.allocatedKw + v.reservedKw > popUsableKw(v.racksUsableKw, v.contractedKw, v.contractLeases) + EPSILON) violations.push(`POWER_EXCEEDED PoP at ${at}`);
    if (v.usedU + v.reservedU > v.totalU + EPSILON) violations.push(`SPACE_EXCEEDED at ${at}`);
    if (v.reservedMbps > v.capacityMbps + EPSILON) violations.push(`BANDWIDTH_EXCEEDED at ${at}`);
    if (v.rackLimitLeases > 0 && v.racks > v.rackLimit) violations.push(`RACK_LIMIT at ${at}`);
  }
  return violations;
}

/** Differences between the decision indexes (timelines) and the same totals recomputed from the records. */
export function indexMismatches(pop: PopAggregate): string[] {
  const mismatches: string[] = [];
  const compare = <K extends string>(what: string, keys: readonly K[], index: Record<K, number>, records: Record<K, number>, t: number) => {
    for (const key of keys) {
      if (Math.abs(index[key] - records[key]) > EPSILON) mismatches.push(`${what} ${key} at ${new Date(t).toISOString()}: index ${index[key]}, records ${records[key]}`);
    }
  };
  const contents = contentsByRack(pop);
  for (const t of instantsOf(pop)) {
    compare('PoP', POP_METRICS, popTotalsOf(pointAt(pop.timeline, POP_METRIC_SET, t)), popAt(pop, contents, t), t);
    for (const rack of Object.values(pop.racks)) compare(`rack ${rack.rackId}`, RACK_METRICS, rackTotalsOf(pointAt(rack.timeline, RACK_METRIC_SET, t)), rackAt(contents, rack, t).values, t);
  }
  return mismatches;
}

function isPresent(item: Presence, t: number): boolean {
  return item.from <= t && (item.to === null || t < item.to);
}

type RackContents = Map<string, { feeds: FeedRecord[]; devices: DeviceRecord[] }>;

function contentsByRack(pop: PopAggregate): RackContents {
  const contents: RackContents = new Map(Object.values(pop.racks).map((rack) => [rack.rackId, { feeds: [], devices: [] }]));
  for (const feed of Object.values(pop.feeds)) contents.get(feed.rackId)?.feeds.push(feed);
  for (const device of allDevices(pop)) contents.get(device.rackId)?.devices.push(device);
  return contents;
}

function rackAt(contents: RackContents, rack: RackRecord, t: number): { values: Record<RackMetric, number>; devices: DeviceRecord[] } {
  const all = contents.get(rack.rackId) as { feeds: FeedRecord[]; devices: DeviceRecord[] };
  const feeds = all.feeds.filter((feed) => isPresent(feed, t));
  const devices = all.devices.filter((device) => isPresent(device, t));
  const side = (name: 'A' | 'B') => feeds.filter((feed) => feed.side === name);
  return {
    values: {
      aKw: sum(side('A').map((feed) => feed.kw)),
      bKw: sum(side('B').map((feed) => feed.kw)),
      aFeeds: side('A').length,
      bFeeds: side('B').length,
      drawKw: sum(devices.map((device) => device.drawKw)),
    },
    devices,
  };
}

function popAt(pop: PopAggregate, contents: RackContents, t: number): Record<PopMetric, number> {
  const present = (item: Presence) => isPresent(item, t);
  const racks = Object.values(pop.racks).filter(present);
  const devices = allDevices(pop).filter(present);
  const leases = Object.values(pop.leases).filter(present);
  const reservations = allReservations(pop).filter(present);
  const reservedOf = (resource: string) => sum(reservations.filter((reservation) => reservation.resource === resource).map((reservation) => reservation.amount));
  return {
    racks: racks.length,
    rackLimit: sum(leases.map((lease) => lease.maxRacks ?? 0)),
    rackLimitLeases: leases.filter((lease) => lease.maxRacks !== null).length,
    totalU: sum(racks.map((rack) => rack.heightU)),
    usedU: sum(devices.map((device) => device.heightU)),
    reservedU: reservedOf('SPACE_U'),
    racksUsableKw: sum(racks.map((rack) => rackUsableKw(rackAt(contents, rack, t).values, rack.maxPowerKw))),
    contractedKw: sum(leases.map((lease) => lease.contractedPowerKw ?? 0)),
    contractLeases: leases.filter((lease) => lease.contractedPowerKw !== null).length,
    allocatedKw: sum(devices.map((device) => device.drawKw)),
    reservedKw: reservedOf('POWER_KW'),
    capacityMbps: sum(Object.values(pop.circuits).filter(present).map((circuit) => circuit.bandwidthMbps)),
    reservedMbps: reservedOf('BANDWIDTH_MBPS'),
  };
}

function instantsOf(pop: PopAggregate): number[] {
  const records: Presence[] = [
    ...Object.values(pop.leases),
    ...Object.values(pop.racks),
    ...Object.values(pop.feeds),
    ...allDevices(pop),
    ...Object.values(pop.circuits),
    ...allReservations(pop),
  ];
  const instants = new Set<number>();
  for (const record of records) {
    instants.add(record.from);
    if (record.to !== null) instants.add(record.to);
  }
  return [...instants].sort((a, b) => a - b);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
