import { instantMs } from '../../kernel/time.util';
import { popStatusAt } from './pop-lifecycle.rules';
import { CapacityResource, CircuitType, PopStatus } from './pop.enums';
import { CircuitRecord, PopAggregate, Presence, rowsPresentAt } from './pop.state';
import {
  CapacityStatus,
  capacityStatus,
  CapacityThresholds,
  isRedundant,
  popUsableKw,
  RackFeedTotals,
  rackProvisionedKw,
  rackUsableKw,
  round4,
  utilizationPercent,
  worstStatus,
} from './capacity.math';

/**
 * A PoP's capacity at an instant, in the GraphQL shapes (docs/api.md, "GraphQL overview"). Computed directly
 * from the state's records, not from the decision indexes: it is the reference the SQL read
 * models are checked against. Racks are ordered by rackId and circuit types by name
 * (code-point order, like SQL's "C" collation).
 */

export interface RackCapacityFigures {
  rackId: string;
  totalU: number;
  usedU: number;
  freeU: number;
  provisionedKw: number;
  usableKw: number;
  allocatedKw: number;
}

export interface SpaceCapacityFigures {
  totalU: number;
  usedU: number;
  reservedU: number;
  freeU: number;
  utilizationPercent: number;
  status: CapacityStatus;
  racks: RackCapacityFigures[];
}

export interface PowerCapacityFigures {
  provisionedKw: number;
  usableKw: number;
  allocatedKw: number;
  reservedKw: number;
  headroomKw: number;
  utilizationPercent: number;
  redundant: boolean;
  status: CapacityStatus;
}

export interface CircuitTypeCapacityFigures {
  type: CircuitType;
  capacityMbps: number;
  circuits: number;
}

export interface NetworkCapacityFigures {
  capacityMbps: number;
  reservedMbps: number;
  headroomMbps: number;
  utilizationPercent: number;
  status: CapacityStatus;
  byType: CircuitTypeCapacityFigures[];
}

export interface PopCapacityFigures {
  space: SpaceCapacityFigures;
  power: PowerCapacityFigures;
  network: NetworkCapacityFigures;
  overall: CapacityStatus;
}

/** A rack present at the instant, with the sums of its present feeds and devices. */
export interface RackTally extends RackFeedTotals {
  rackId: string;
  heightU: number;
  maxPowerKw: number | null;
  usedU: number;
  allocatedKw: number;
}

export type ReservedAmounts = Record<CapacityResource, number>;

/** PoP-wide sums at one instant that do not come from racks. */
export interface PopWideTallies {
  /** Active reservations per resource. */
  reserved: ReservedAmounts;
  /** Σ contractedPowerKw of the active leases that set it, and how many do. */
  contractedKw: number;
  contractingLeases: number;
  /** Present circuits per type, ordered by type (unrounded sums). */
  circuitTypes: CircuitTypeCapacityFigures[];
}

/**
 * Everything the figures are computed from. The reference below sums the state's records; the read
 * models sum SQL rows (one PoP) or keep these totals as step functions of time (many PoPs).
 */
export interface CapacityTotals extends PopWideTallies {
  totalU: number;
  usedU: number;
  provisionedKw: number;
  /** Σ racks' usable kW, before the leases' cap. */
  racksUsableKw: number;
  allocatedKw: number;
  /** Every rack that has feeds has them on both sides. */
  redundant: boolean;
  /** Σ present circuits' bandwidth (`circuitTypes` may be left empty when the split is not needed). */
  capacityMbps: number;
}

/** What `capacity(popId, asOf)` answers, in full (with the racks and circuit types). */
export interface PopCapacityAnswer extends PopCapacityFigures {
  popId: string;
  code: string;
  countryCode: string;
  /** Lifecycle status at asOf. */
  status: PopStatus;
  asOf: string;
}

/**
 * The `capacity` answer computed from the state: the reference the planning read model is proven equal
 * to (test/inventory/read/capacity-equivalence.test.ts), and what a plan's capacity is computed with.
 */
export function popCapacityAnswer(pop: PopAggregate, asOf: string, thresholds: CapacityThresholds): PopCapacityAnswer {
  const { popId, code, countryCode } = pop.profile;
  return { popId, code, countryCode, status: popStatusAt(pop, instantMs(asOf, 'asOf')), asOf, ...popCapacityAt(pop, asOf, thresholds) };
}

export function popCapacityAt(pop: PopAggregate, at: string, thresholds: CapacityThresholds): PopCapacityFigures {
  const { racks, popWide } = tallyAt(pop, at);
  return capacityFigures(totalsOf(racks, popWide), racks.map(rackCapacity), thresholds);
}

export function totalsOf(racks: readonly RackTally[], popWide: PopWideTallies): CapacityTotals {
  return {
    ...popWide,
    totalU: sum(racks.map((tally) => tally.heightU)),
    usedU: sum(racks.map((tally) => tally.usedU)),
    provisionedKw: sum(racks.map(rackProvisionedKw)),
    racksUsableKw: sum(racks.map(usableOf)),
    allocatedKw: sum(racks.map((tally) => tally.allocatedKw)),
    redundant: racks.every((tally) => tally.aFeeds + tally.bFeeds === 0 || isRedundant(tally)),
    capacityMbps: sum(popWide.circuitTypes.map((entry) => entry.capacityMbps)),
  };
}

export function rackCapacity(tally: RackTally): RackCapacityFigures {
  return {
    rackId: tally.rackId,
    totalU: tally.heightU,
    usedU: tally.usedU,
    freeU: tally.heightU - tally.usedU,
    provisionedKw: round4(rackProvisionedKw(tally)),
    usableKw: round4(usableOf(tally)),
    allocatedKw: round4(tally.allocatedKw),
  };
}

/** `racks`: the present racks' figures, ordered by rackId. */
export function capacityFigures(totals: CapacityTotals, racks: RackCapacityFigures[], thresholds: CapacityThresholds): PopCapacityFigures {
  const space = spaceOf(totals, racks, thresholds);
  const power = powerOf(totals, thresholds);
  const network = networkOf(totals, thresholds);
  return { space, power, network, overall: worstStatus([space.status, power.status, network.status]) };
}

function tallyAt(pop: PopAggregate, at: string): { racks: RackTally[]; popWide: PopWideTallies } {
  const t = instantMs(at, 'asOf');
  const present = (item: Presence) => item.from <= t && (item.to === null || t < item.to);
  const reserved: ReservedAmounts = { SPACE_U: 0, POWER_KW: 0, BANDWIDTH_MBPS: 0 };
  const { resource, amount } = pop.reservations.columns;
  for (const row of rowsPresentAt(pop.reservations, t)) reserved[resource[row]] += amount[row];
  const contracting = Object.values(pop.leases).filter((lease) => present(lease) && lease.contractedPowerKw !== null);
  return {
    racks: tallyRacks(pop, t, present),
    popWide: {
      reserved,
      contractedKw: sum(contracting.map((lease) => lease.contractedPowerKw as number)),
      contractingLeases: contracting.length,
      circuitTypes: tallyCircuits(Object.values(pop.circuits).filter(present)),
    },
  };
}

/** Racks present at the instant with their present feeds and devices, ordered by rackId. */
function tallyRacks(pop: PopAggregate, t: number, present: (item: Presence) => boolean): RackTally[] {
  const tallies = new Map<string, RackTally>();
  for (const { rackId, heightU, maxPowerKw } of Object.values(pop.racks).filter(present)) {
    tallies.set(rackId, { rackId, heightU, maxPowerKw, aKw: 0, bKw: 0, aFeeds: 0, bFeeds: 0, usedU: 0, allocatedKw: 0 });
  }
  for (const feed of Object.values(pop.feeds).filter(present)) {
    const tally = tallies.get(feed.rackId) as RackTally;
    if (feed.side === 'A') {
      tally.aKw += feed.kw;
      tally.aFeeds += 1;
    } else {
      tally.bKw += feed.kw;
      tally.bFeeds += 1;
    }
  }
  const { rackId, heightU, drawKw } = pop.devices.columns;
  for (const row of rowsPresentAt(pop.devices, t)) {
    const tally = tallies.get(rackId[row]) as RackTally;
    tally.usedU += heightU[row];
    tally.allocatedKw += drawKw[row];
  }
  return [...tallies.values()].sort((a, b) => byCodePoint(a.rackId, b.rackId));
}

function tallyCircuits(circuits: CircuitRecord[]): CircuitTypeCapacityFigures[] {
  const byType = new Map<CircuitType, CircuitTypeCapacityFigures>();
  for (const circuit of circuits) {
    const entry = byType.get(circuit.type) ?? { type: circuit.type, capacityMbps: 0, circuits: 0 };
    entry.capacityMbps += circuit.bandwidthMbps;
    entry.circuits += 1;
    byType.set(circuit.type, entry);
  }
  return [...byType.values()].sort((a, b) => byCodePoint(a.type, b.type));
}

function spaceOf(totals: CapacityTotals, racks: RackCapacityFigures[], thresholds: CapacityThresholds): SpaceCapacityFigures {
  const { totalU, usedU, reserved } = totals;
  const utilization = utilizationPercent(usedU + reserved.SPACE_U, totalU);
  return {
    totalU,
    usedU,
    reservedU: round4(reserved.SPACE_U),
    freeU: round4(totalU - usedU - reserved.SPACE_U),
    utilizationPercent: round4(utilization),
    status: capacityStatus(utilization, thresholds),
    racks,
  };
}

function powerOf(totals: CapacityTotals, thresholds: CapacityThresholds): PowerCapacityFigures {
  const { allocatedKw, reserved } = totals;
  const usableKw = popUsableKw(totals.racksUsableKw, totals.contractedKw, totals.contractingLeases);
  const utilization = utilizationPercent(allocatedKw + reserved.POWER_KW, usableKw);
  return {
    provisionedKw: round4(totals.provisionedKw),
    usableKw: round4(usableKw),
    allocatedKw: round4(allocatedKw),
    reservedKw: round4(reserved.POWER_KW),
    headroomKw: round4(usableKw - allocatedKw - reserved.POWER_KW),
    utilizationPercent: round4(utilization),
    redundant: totals.redundant,
    status: capacityStatus(utilization, thresholds),
  };
}

function networkOf(totals: CapacityTotals, thresholds: CapacityThresholds): NetworkCapacityFigures {
  const { circuitTypes, reserved, capacityMbps } = totals;
  const utilization = utilizationPercent(reserved.BANDWIDTH_MBPS, capacityMbps);
  return {
    capacityMbps: round4(capacityMbps),
    reservedMbps: round4(reserved.BANDWIDTH_MBPS),
    headroomMbps: round4(capacityMbps - reserved.BANDWIDTH_MBPS),
    utilizationPercent: round4(utilization),
    status: capacityStatus(utilization, thresholds),
    byType: circuitTypes.map((entry) => ({ ...entry, capacityMbps: round4(entry.capacityMbps) })),
  };
}

function usableOf(tally: RackTally): number {
  return rackUsableKw(tally, tally.maxPowerKw);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
