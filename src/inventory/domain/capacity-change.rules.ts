import { dayStart, isoOf } from '../../kernel/time.util';
import { CapacityStatus, capacityStatus, CapacityThresholds, popUsableKw, round4, utilizationPercent } from './capacity.math';
import { CapacityTotals } from './pop-capacity-at.math';
import { CapacityResource } from './pop.enums';
import { PopEvent } from './pop.events';

/** A resource's status at an instant and the utilization it was judged on (rounded to 4 decimals). */
export interface ResourceStatus {
  status: CapacityStatus;
  utilizationPercent: number;
}

export type ResourceStatuses = Record<CapacityResource, ResourceStatus>;

/** What no capacity at all gives: utilization 0, OK (docs/domain.md, "Capacity formulas", Status). */
export const EMPTY_STATUSES: ResourceStatuses = {
  SPACE_U: { status: 'OK', utilizationPercent: 0 },
  POWER_KW: { status: 'OK', utilizationPercent: 0 },
  BANDWIDTH_MBPS: { status: 'OK', utilizationPercent: 0 },
};

/**
 * The status of each resource for a PoP's totals at one instant: the same utilizations and thresholds as
 * `capacity` (space: used + reserved U over total U; power: allocated + reserved kW over usable kW; network:
 * reserved Mbps over circuit Mbps).
 */
export function resourceStatuses(totals: CapacityTotals, thresholds: CapacityThresholds): ResourceStatuses {
  const usableKw = popUsableKw(totals.racksUsableKw, totals.contractedKw, totals.contractingLeases);
  const of = (demand: number, capacity: number): ResourceStatus => {
    const utilization = utilizationPercent(demand, capacity);
    return { status: capacityStatus(utilization, thresholds), utilizationPercent: round4(utilization) };
  };
  return {
    SPACE_U: of(totals.usedU + totals.reserved.SPACE_U, totals.totalU),
    POWER_KW: of(totals.allocatedKw + totals.reserved.POWER_KW, usableKw),
    BANDWIDTH_MBPS: of(totals.reserved.BANDWIDTH_MBPS, totals.capacityMbps),
  };
}

/**
 * The status of each resource that every totals between `low` and `high` share (each figure anywhere within
 * its bounds, independently of the others), or null when two of them can differ. Utilization rises with
 * demand and, at a positive capacity, moves away from zero as capacity falls, so its bounds are at the corners;
 * a capacity that can be zero or below can give 100 (some demand) or any utilization of demand's sign.
 */
export function steadyStatuses(low: CapacityTotals, high: CapacityTotals, thresholds: CapacityThresholds): Record<CapacityResource, CapacityStatus> | null {
  const usable = (totals: CapacityTotals, leases: number) => popUsableKw(totals.racksUsableKw, totals.contractedKw, leases);
  const statuses = {
    SPACE_U: steadyStatus([low.usedU + low.reserved.SPACE_U, high.usedU + high.reserved.SPACE_U], [low.totalU, high.totalU], thresholds),
    POWER_KW: steadyStatus(
      [low.allocatedKw + low.reserved.POWER_KW, high.allocatedKw + high.reserved.POWER_KW],
      // A contracting lease caps usable power at the contracted figure: the least with one if any can have one, the greatest without one if any can lack one.
      [usable(low, high.contractingLeases), usable(high, low.contractingLeases)],
      thresholds,
    ),
    BANDWIDTH_MBPS: steadyStatus([low.reserved.BANDWIDTH_MBPS, high.reserved.BANDWIDTH_MBPS], [low.capacityMbps, high.capacityMbps], thresholds),
  };
  return Object.values(statuses).every((status) => status !== null) ? (statuses as Record<CapacityResource, CapacityStatus>) : null;
}

function steadyStatus([demandLow, demandHigh]: number[], [capacityLow, capacityHigh]: number[], thresholds: CapacityThresholds): CapacityStatus | null {
  let least: number;
  let greatest: number;
  if (capacityLow > 0) {
    least = Math.min(utilizationPercent(demandLow, capacityLow), utilizationPercent(demandLow, capacityHigh));
    greatest = Math.max(utilizationPercent(demandHigh, capacityLow), utilizationPercent(demandHigh, capacityHigh));
  } else {
    const somePositive = capacityHigh > 0;
    least = demandLow > 0 ? (somePositive ? Math.min(100, utilizationPercent(demandLow, capacityHigh)) : 100) : demandLow < 0 && somePositive ? -Infinity : 0;
    greatest = demandHigh > 0 ? (somePositive ? Infinity : 100) : 0;
  }
  const status = capacityStatus(least, thresholds);
  return capacityStatus(greatest, thresholds) === status ? status : null;
}

/**
 * The earliest effective instant whose capacity an event can change: its totals are unchanged before it.
 * `null`: possibly any instant (a lease end moved, earlier or later than the event's own time);
 * `undefined`: the event changes no capacity total (registration, lifecycle transitions).
 */
export function capacityAffectedFrom(event: PopEvent): string | null | undefined {
  switch (event.type) {
    case 'PopRegistered':
    case 'BuildOutStarted':
    case 'PopActivated':
    case 'DecommissionStarted':
    case 'PopClosed':
      return undefined;
    case 'SiteLeased':
      return isoOf(dayStart(event.data.startsOn));
    case 'LeaseTerminated':
      return null;
    case 'CapacityReserved':
      return isoOf(Math.min(Date.parse(event.data.from), Date.parse(event.effectiveAt)));
    default:
      // Racks, feeds, devices and circuits change from their effective time; a release from the later of it and the reservation's start.
      return isoOf(Date.parse(event.effectiveAt));
  }
}
