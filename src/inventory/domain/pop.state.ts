import { Filled } from '../../kernel/decider.types';
import { IdIndex, lookup } from '../../kernel/id-index.util';
import { Money } from '../../kernel/money.types';
import { RecordTable } from '../../kernel/record-table.util';
import { linearBound, MetricSet, metricSet, StepPoint, StepTimeline, TimelineBound } from '../../kernel/step-timeline.util';
import { rackUsableKw } from './capacity.math';
import { RegisterPopData } from './pop.commands';
import { CapacityResource, CircuitType, FeedSide, PopKind, PopStatus } from './pop.enums';

/**
 * State of one PoP stream: the records the rules need (not names), with each item's costs (so that
 * a plan's cost can be computed from the state, docs/domain.md, "Cost formulas"), plus two indexes
 * kept by `evolvePop` so that a decision never replays history:
 * - `timeline`: PoP-wide totals as step functions of business time;
 * - per rack, its own timeline (feeds per side, device draw) and its devices split into open
 *   ones and removed ones sorted by removal time.
 * Devices and reservations, a record per event of a long history, are kept by column (record-table.util.ts).
 * All instants are epoch milliseconds. Plain JSON throughout (snapshots).
 */

/** PoP-wide totals; `*Leases` count the active leases that set the matching limit. */
export const POP_METRICS = [
  'racks',
  'rackLimit',
  'rackLimitLeases',
  'totalU',
  'usedU',
  'reservedU',
  'racksUsableKw',
  'contractedKw',
  'contractLeases',
  'allocatedKw',
  'reservedKw',
  'capacityMbps',
  'reservedMbps',
] as const;
export type PopMetric = (typeof POP_METRICS)[number];

export const RACK_METRICS = ['aKw', 'bKw', 'aFeeds', 'bFeeds', 'drawKw'] as const;
export type RackMetric = (typeof RACK_METRICS)[number];

export type PopTotals = Record<PopMetric, number>;
export type RackTotals = Record<RackMetric, number>;

/**
 * The margins of the PoP-wide invariants (pop-timeline.rules.ts): each is above zero, give or take the
 * rules' tolerance, wherever its invariant is broken. Power is over both the racks' usable power and,
 * while leases set it, their contracted power (usable power is the smaller of the two).
 */
const POP_BOUNDS: TimelineBound<PopMetric>[] = [
  linearBound(POP_METRICS, { usedU: 1, reservedU: 1, totalU: -1 }),
  linearBound(POP_METRICS, { reservedMbps: 1, capacityMbps: -1 }),
  linearBound(POP_METRICS, { allocatedKw: 1, reservedKw: 1, racksUsableKw: -1 }),
  linearBound(POP_METRICS, { allocatedKw: 1, reservedKw: 1, contractedKw: -1 }, 'contractLeases'),
  linearBound(POP_METRICS, { racks: 1, rackLimit: -1 }, 'rackLimitLeases'),
];

export const POP_METRIC_SET = metricSet(POP_METRICS, POP_BOUNDS);
/** The rack metrics without bounds, for reads (a rack's bound depends on its maxPowerKw: `rackMetricSet`). */
export const RACK_METRIC_SET = metricSet(RACK_METRICS);

const P = POP_METRIC_SET.position;
const R = RACK_METRIC_SET.position;

/**
 * The rack metrics with the margin of the rack's power invariant: device draw over usable power (non-linear
 * in the feeds, so only a change of draw alone moves it uniformly). Every change of a rack's timeline uses it.
 */
export function rackMetricSet(maxPowerKw: number | null): MetricSet<RackMetric> {
  let set = rackSets.get(maxPowerKw);
  if (!set) {
    const bound: TimelineBound<RackMetric> = {
      margin: (point) => point[R.drawKw] - rackUsableKw(rackTotalsOf(point), maxPowerKw),
      shift: (delta) => (Object.keys(delta).every((key) => key === 'drawKw') ? (delta.drawKw ?? 0) : null),
    };
    set = metricSet(RACK_METRICS, [bound]);
    rackSets.set(maxPowerKw, set);
  }
  return set;
}

/** Per maxPowerKw (racks share a few values). */
const rackSets = new Map<number | null, MetricSet<RackMetric>>();

/** A PoP timeline point by name (an object literal: cheap enough to build for every point a check visits). */
export function popTotalsOf(point: StepPoint): PopTotals {
  return {
    racks: point[P.racks],
    rackLimit: point[P.rackLimit],
    rackLimitLeases: point[P.rackLimitLeases],
    totalU: point[P.totalU],
    usedU: point[P.usedU],
    reservedU: point[P.reservedU],
    racksUsableKw: point[P.racksUsableKw],
    contractedKw: point[P.contractedKw],
    contractLeases: point[P.contractLeases],
    allocatedKw: point[P.allocatedKw],
    reservedKw: point[P.reservedKw],
    capacityMbps: point[P.capacityMbps],
    reservedMbps: point[P.reservedMbps],
  };
}

export function rackTotalsOf(point: StepPoint): RackTotals {
  return { aKw: point[R.aKw], bKw: point[R.bKw], aFeeds: point[R.aFeeds], bFeeds: point[R.bFeeds], drawKw: point[R.drawKw] };
}

/** Present on [from, to); `to` null: open-ended. */
export interface Presence {
  from: number;
  to: number | null;
}

/** The rows of a table's records that are present at `t`, in row order. */
export function rowsPresentAt(table: RecordTable<Presence>, t: number): number[] {
  const { from, to } = table.columns;
  const rows: number[] = [];
  for (let row = 0; row < from.length; row++) {
    const end = to[row];
    if (from[row] <= t && (end === null || t < end)) rows.push(row);
  }
  return rows;
}

/** Active on [startsOn 00:00Z, day after endsOn 00:00Z). */
export interface LeaseRecord extends Presence {
  leaseId: string;
  signedAt: number;
  contractedPowerKw: number | null;
  maxRacks: number | null;
  monthlyCost: Money;
  /** Counts at `signedAt`. */
  oneOffCost: Money | null;
}

export interface RackRecord extends Presence {
  rackId: string;
  heightU: number;
  maxPowerKw: number | null;
  /** Devices (rows of `PopAggregate.devices`) and feeds with no removal recorded (including planned ones). */
  openDevices: number[];
  openFeedIds: string[];
  /** Removed ones, sorted by removal time: the ones still present after t are a suffix. */
  removedDevices: number[];
  removedFeedIds: string[];
  timeline: StepTimeline;
}

export interface FeedRecord extends Presence {
  feedId: string;
  rackId: string;
  side: FeedSide;
  kw: number;
  monthlyCost: Money | null;
  /** Counts at `from`. */
  oneOffCost: Money | null;
}

/** A device's row; its id is `deviceId`. */
export interface DeviceFields extends Presence {
  /** The rack record's own string (one per rack, not one per device). */
  rackId: string;
  positionU: number;
  heightU: number;
  drawKw: number;
  /** Counts at `from`. */
  purchaseCost: Money | null;
}

export interface DeviceRecord extends DeviceFields {
  deviceId: string;
}

/** A device read out of its row (a copy); each column read on its own (record-table.util.ts). */
export function deviceAt({ ids, columns: c }: RecordTable<DeviceFields>, row: number): DeviceRecord {
  const placement = { rackId: c.rackId[row], positionU: c.positionU[row], heightU: c.heightU[row], drawKw: c.drawKw[row] };
  return { deviceId: ids[row], ...placement, from: c.from[row], to: c.to[row], purchaseCost: c.purchaseCost[row] };
}

export interface CircuitRecord extends Presence {
  circuitId: string;
  type: CircuitType;
  bandwidthMbps: number;
  monthlyCost: Money;
  /** Counts at `from`. */
  oneOffCost: Money | null;
}

/** A reservation's row, present on [from, min(until, release)); its id is `reservationId`. */
export interface ReservationFields extends Presence {
  resource: CapacityResource;
  amount: number;
  reservedAt: number;
  until: number | null;
  releasedAt: number | null;
}

export interface ReservationRecord extends ReservationFields {
  reservationId: string;
}

export function reservationAt({ ids, columns: c }: RecordTable<ReservationFields>, row: number): ReservationRecord {
  const held = { resource: c.resource[row], amount: c.amount[row], reservedAt: c.reservedAt[row] };
  return { reservationId: ids[row], ...held, from: c.from[row], until: c.until[row], to: c.to[row], releasedAt: c.releasedAt[row] };
}

export interface Transition {
  status: PopStatus;
  at: number;
}

export interface PopAggregate {
  popId: string;
  kind: PopKind;
  profile: Filled<RegisterPopData>;
  registeredAt: number;
  /** Lifecycle transitions in order (PLANNED, the initial status, is not one). */
  transitions: Transition[];
  leases: IdIndex<LeaseRecord>;
  racks: IdIndex<RackRecord>;
  feeds: IdIndex<FeedRecord>;
  devices: RecordTable<DeviceFields>;
  circuits: IdIndex<CircuitRecord>;
  reservations: RecordTable<ReservationFields>;
  timeline: StepTimeline;
  /** Latest instant at which something was added or starts: a close must come after it. */
  lastAdditionAt: number | null;
}

export type PopState = PopAggregate | null;

/** When a removed feed (by id) was removed: the order of `RackRecord.removedFeedIds`. */
export function feedRemovedAt(pop: PopAggregate): (feedId: string) => number {
  return (feedId) => (lookup(pop.feeds, feedId) as FeedRecord).to as number;
}

/** When a removed device (by row) was removed: the order of `RackRecord.removedDevices`. */
export function deviceRemovedAt(pop: PopAggregate): (row: number) => number {
  const { to } = pop.devices.columns;
  return (row) => to[row] as number;
}

export function initialPopState(): PopState {
  return null;
}
