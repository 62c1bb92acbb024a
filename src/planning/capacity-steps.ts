import { isRedundant, RackFeedTotals, rackUsableKw } from '../domain/capacity/capacity-math';
import { CapacityTotals } from '../domain/capacity/pop-capacity-at';
import { CapacityResource, CIRCUIT_TYPES, CircuitType } from '../domain/pop/pop.enums';
import { MetricType, StepTable } from './step-table';

/**
 * Capacity totals of each PoP as step functions of effective time (DESIGN section 5), kept by the
 * inventory projection so that many PoPs' totals at an instant are one index probe each.
 *
 * Linear sums change by the amount of each item that starts or ends. A rack's usable power is not
 * linear in its feeds (min of the sides, maxPowerKw cap), so feeds are summed per rack and side
 * (`rm_rack_step`), and each change of a rack's steps changes the PoP's `racks_usable_kw` (and the
 * count of fed racks that are not redundant) by the difference of the domain's figures before and
 * after, from that point on.
 */

export const POP_STEP_TABLE = 'rm_pop_step';
export const RACK_STEP_TABLE = 'rm_rack_step';

export function circuitColumns(type: CircuitType): { mbps: string; count: string } {
  const base = type.toLowerCase();
  return { mbps: `${base}_mbps`, count: `${base}_circuits` };
}

export const RESERVED_COLUMN: Record<CapacityResource, string> = { SPACE_U: 'reserved_u', POWER_KW: 'reserved_kw', BANDWIDTH_MBPS: 'reserved_mbps' };

const POP_STEP_METRICS: Record<string, MetricType> = {
  total_u: 'int',
  used_u: 'int',
  reserved_u: 'float8',
  provisioned_kw: 'float8',
  racks_usable_kw: 'float8',
  /** Racks with feeds on one side only. */
  nonredundant_racks: 'int',
  allocated_kw: 'float8',
  reserved_kw: 'float8',
  /** Σ contractedPowerKw of the active leases that set it, and how many do. */
  contracted_kw: 'float8',
  contracting_leases: 'int',
  reserved_mbps: 'float8',
  ...Object.fromEntries(CIRCUIT_TYPES.flatMap((type) => [[circuitColumns(type).mbps, 'float8'], [circuitColumns(type).count, 'int']])),
};

const RACK_STEP_METRICS = { a_kw: 'float8', b_kw: 'float8', a_feeds: 'int', b_feeds: 'int' } as const satisfies Record<string, MetricType>;

export type PopSteps = StepTable<string>;
export type RackSteps = StepTable<keyof typeof RACK_STEP_METRICS>;

export const newPopSteps = (): PopSteps => new StepTable(POP_STEP_TABLE, ['pop_id'], POP_STEP_METRICS);
export const newRackSteps = (): RackSteps => new StepTable(RACK_STEP_TABLE, ['pop_id', 'rack_id'], RACK_STEP_METRICS);

/** A changed point of `rm_rack_step`, before (`old_*`) and after, with its rack's cap. */
interface RackStepChange {
  pop_id: string;
  rack_id: string;
  at: Date | string;
  max_power_kw: number | null;
  old_a_kw: number;
  old_b_kw: number;
  old_a_feeds: number;
  old_b_feeds: number;
  a_kw: number;
  b_kw: number;
  a_feeds: number;
  b_feeds: number;
}

/** What `RackSteps.write` must return for `popChangesOf`, given the rack table's name. */
export const rackStepReturning = (rackTable: string) => ({
  extraJoin: `JOIN ${rackTable} AS k ON k.pop_id = x.pop_id AND k.rack_id = x.rack_id`,
  columns: `s.pop_id, s.rack_id, s.at, k.max_power_kw, o.a_kw AS old_a_kw, o.b_kw AS old_b_kw, o.a_feeds AS old_a_feeds,
    o.b_feeds AS old_b_feeds, s.a_kw, s.b_kw, s.a_feeds, s.b_feeds`,
});

/**
 * Adds to `popSteps` what the rack step changes do to the PoPs' usable power and redundancy: at
 * each changed point, the change of (after − before) since the rack's previous changed point.
 * Points before a rack's first changed one are unchanged.
 */
export function addRackChanges(changes: RackStepChange[], popSteps: PopSteps): void {
  const sorted = [...changes].sort((a, b) => compare(a.pop_id, b.pop_id) || compare(a.rack_id, b.rack_id) || instant(a.at) - instant(b.at));
  let previous: { rack: string; usable: number; nonRedundant: number } | null = null;
  for (const change of sorted) {
    const rack = `${change.pop_id}\u0000${change.rack_id}`;
    const before = { aKw: change.old_a_kw, bKw: change.old_b_kw, aFeeds: change.old_a_feeds, bFeeds: change.old_b_feeds };
    const after = { aKw: change.a_kw, bKw: change.b_kw, aFeeds: change.a_feeds, bFeeds: change.b_feeds };
    const usable = rackUsableKw(after, change.max_power_kw) - rackUsableKw(before, change.max_power_kw);
    const nonRedundant = nonRedundantCount(after) - nonRedundantCount(before);
    const base = previous?.rack === rack ? previous : { usable: 0, nonRedundant: 0 };
    popSteps.add([change.pop_id], new Date(change.at).toISOString(), {
      racks_usable_kw: usable - base.usable,
      nonredundant_racks: nonRedundant - base.nonRedundant,
    });
    previous = { rack, usable, nonRedundant };
  }
}

function nonRedundantCount(feeds: RackFeedTotals): number {
  return feeds.aFeeds + feeds.bFeeds > 0 && !isRedundant(feeds) ? 1 : 0;
}

/** A row of `rm_pop_step`: its metrics by column name. */
export type PopStepRow = Readonly<Record<string, unknown>>;

/** The totals a PoP step row holds (zero before the PoP's first point). */
export function totalsOfStep(row: PopStepRow | null): CapacityTotals {
  const value = (column: string) => (row ? (row[column] as number) : 0);
  return {
    totalU: value('total_u'),
    usedU: value('used_u'),
    provisionedKw: value('provisioned_kw'),
    racksUsableKw: value('racks_usable_kw'),
    allocatedKw: value('allocated_kw'),
    redundant: value('nonredundant_racks') === 0,
    reserved: { SPACE_U: value('reserved_u'), POWER_KW: value('reserved_kw'), BANDWIDTH_MBPS: value('reserved_mbps') },
    contractedKw: value('contracted_kw'),
    contractingLeases: value('contracting_leases'),
    circuitTypes: [...CIRCUIT_TYPES]
      .sort(compare)
      .map((type) => ({ type, capacityMbps: value(circuitColumns(type).mbps), circuits: value(circuitColumns(type).count) }))
      .filter((entry) => entry.circuits > 0),
  };
}

function instant(value: Date | string): number {
  return new Date(value).getTime();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
