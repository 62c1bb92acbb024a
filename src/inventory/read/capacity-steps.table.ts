import { isRedundant, RackFeedTotals, rackUsableKw } from '../domain/capacity.math';
import { CapacityTotals } from '../domain/pop-capacity-at.math';
import { CapacityResource } from '../domain/pop.enums';
import { SqlQueryable } from '../../platform/database/sql-client.port';
import { ChangedPoint, MetricType, StepTable } from '../../platform/projections/step.table';

/**
 * Capacity totals of each PoP as step functions of effective time (docs/domain.md, "Capacity formulas"), kept by the
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

const POP_STEP_METRICS = {
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
  capacity_mbps: 'float8',
  reserved_mbps: 'float8',
} as const satisfies Record<string, MetricType>;

export const RESERVED_COLUMN = {
  SPACE_U: 'reserved_u',
  POWER_KW: 'reserved_kw',
  BANDWIDTH_MBPS: 'reserved_mbps',
} as const satisfies Record<CapacityResource, keyof typeof POP_STEP_METRICS>;

const RACK_STEP_METRICS = { a_kw: 'float8', b_kw: 'float8', a_feeds: 'int', b_feeds: 'int' } as const satisfies Record<string, MetricType>;

/** The metric columns of `rm_pop_step`, which a read selects by name: its timestamps would each be parsed into a Date. */
export const POP_STEP_METRIC_COLUMNS = Object.keys(POP_STEP_METRICS);

export type PopSteps = StepTable<keyof typeof POP_STEP_METRICS>;
export type RackSteps = StepTable<keyof typeof RACK_STEP_METRICS>;

export const newPopSteps = (): PopSteps => new StepTable(POP_STEP_TABLE, ['pop_id'], POP_STEP_METRICS);
export const newRackSteps = (): RackSteps => new StepTable(RACK_STEP_TABLE, ['pop_id', 'rack_id'], RACK_STEP_METRICS);

/**
 * Adds to `popSteps` what the rack step changes do to the PoPs' usable power and redundancy: at
 * each changed point, the change of (after − before) since the rack's previous changed point.
 * Points before a rack's first changed one are unchanged. `caps` holds each rack's maxPowerKw.
 */
export function addRackChanges(rackSteps: RackSteps, changes: ChangedPoint[], caps: Map<string, number | null>, popSteps: PopSteps): void {
  const { a_kw, b_kw, a_feeds, b_feeds } = rackSteps.index;
  const feedTotals = (values: Float64Array): RackFeedTotals => ({ aKw: values[a_kw], bKw: values[b_kw], aFeeds: values[a_feeds], bFeeds: values[b_feeds] });
  let previous: { rack: string; usable: number; nonRedundant: number } | null = null;
  // Points come per rack, in time order.
  for (const { keys, at, before, after } of changes) {
    const rack = keys.join('\u0000');
    const cap = caps.get(rack) ?? null;
    const usable = rackUsableKw(feedTotals(after), cap) - rackUsableKw(feedTotals(before), cap);
    const nonRedundant = nonRedundantCount(feedTotals(after)) - nonRedundantCount(feedTotals(before));
    const base = previous?.rack === rack ? previous : { usable: 0, nonRedundant: 0 };
    popSteps.add([keys[0]], at, { racks_usable_kw: usable - base.usable, nonredundant_racks: nonRedundant - base.nonRedundant });
    previous = { rack, usable, nonRedundant };
  }
}

/** maxPowerKw of the racks whose steps changed, keyed like the steps: `known` ones, the others read. */
export async function readRackCaps(
  tx: SqlQueryable,
  rackTable: string,
  changes: ChangedPoint[],
  known: ReadonlyMap<string, number | null>,
): Promise<Map<string, number | null>> {
  const caps = new Map(known);
  const missing = [...new Map(changes.map(({ keys }) => [keys.join('\u0000'), keys])).entries()].filter(([id]) => !caps.has(id)).map(([, keys]) => keys);
  if (missing.length === 0) return caps;
  const { rows } = await tx.query<{ pop_id: string; rack_id: string; max_power_kw: number | null }>(
    `SELECT k.pop_id, k.rack_id, k.max_power_kw FROM unnest($1::text[], $2::text[]) AS r(pop_id, rack_id)
       JOIN ${rackTable} k ON k.pop_id = r.pop_id AND k.rack_id = r.rack_id`,
    [missing.map((keys) => keys[0]), missing.map((keys) => keys[1])],
  );
  for (const row of rows) caps.set(`${row.pop_id}\u0000${row.rack_id}`, row.max_power_kw);
  return caps;
}

function nonRedundantCount(feeds: RackFeedTotals): number {
  return feeds.aFeeds + feeds.bFeeds > 0 && !isRedundant(feeds) ? 1 : 0;
}

/** A row of `rm_pop_step`: its metrics by column name. */
export type PopStepRow = Readonly<Record<string, unknown>>;

/** The totals a PoP step row holds (zero before the PoP's first point), without the split of circuits by type. */
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
    capacityMbps: value('capacity_mbps'),
    circuitTypes: [],
  };
}
