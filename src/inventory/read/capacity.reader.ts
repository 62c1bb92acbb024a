import { SqlQueryable } from '../../platform/database/sql-client.port';
import { CapacityTotals, CircuitTypeCapacityFigures, PopWideTallies, RackTally } from '../domain/pop-capacity-at.math';
import { CircuitType, POP_STATUSES, PopStatus } from '../domain/pop.enums';
import { POP_STEP_METRIC_COLUMNS, POP_STEP_TABLE, PopStepRow, totalsOfStep } from './capacity-steps.table';
import { INVENTORY_TABLES as T, statusRank } from './inventory.projection';

/**
 * Set-based reads of the inventory at one effective instant: a fixed number of statements whatever
 * the number of PoPs, each filtering rows by their effective interval. The capacity figures are
 * then computed by the domain (src/inventory/domain/pop-capacity-at.math.ts) from these sums.
 */

export interface PopHeader {
  popId: string;
  code: string;
  countryCode: string;
  /** Status at the instant. */
  status: PopStatus;
}

export interface PopWideRead extends PopHeader {
  popWide: PopWideTallies;
}

/** Which PoPs to read; an absent list does not filter. */
export interface PopSelection {
  popIds?: string[];
  countryCodes?: string[];
  regions?: string[];
  /** Status at the instant. */
  statuses?: PopStatus[];
}

/** A filter list, or undefined when absent or empty (an empty list does not filter). */
export function nonEmpty<T>(list: T[] | null | undefined): T[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

/** Present at $1 (the instant): effective on [valid_from, valid_to). */
export const presentAt = (alias: string) => `${alias}.valid_from <= $1 AND (${alias}.valid_to IS NULL OR ${alias}.valid_to > $1)`;

/** The status rank at $1 of PoP `p`: the highest status reached by then (the lifecycle never goes back). */
export const STATUS_RANK_AT = `coalesce((SELECT max(s.rank) FROM ${T.status} s WHERE s.pop_id = p.pop_id AND s.effective_at <= $1), 0)`;

/**
 * A statement's parameters ($1 = the instant) and the conditions a selection puts on PoPs. Only
 * the filters given appear in the SQL, so that the planner sees plain conditions.
 */
export class PopFilter {
  readonly params: unknown[];
  /** Conditions on `rm_pop p` other than the ids. */
  private readonly conditions: string[] = [];
  /** What a selected row's pop_id is compared with. */
  private ids?: string;

  constructor(asOf: string) {
    this.params = [asOf];
  }

  /** Adds a parameter; returns its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** Adds a condition on `rm_pop p`. */
  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  select(selection: PopSelection): this {
    // One PoP is compared by equality: PostgreSQL's generic plan of a prepared statement then expects one row,
    // as a custom plan does, and is kept; with ANY of an array it expects more, so every execution was planned
    // afresh (0.35–0.45 ms of the server's CPU, twice what executing the capacity query's statement costs).
    if (selection.popIds) this.ids = selection.popIds.length === 1 ? `= ${this.param(selection.popIds[0])}::text` : `= ANY(${this.param(selection.popIds)}::text[])`;
    if (selection.countryCodes) this.where(`p.country_code = ANY(${this.param(selection.countryCodes)}::text[])`);
    if (selection.regions) this.where(`p.region = ANY(${this.param(selection.regions)}::text[])`);
    if (selection.statuses) this.where(`${STATUS_RANK_AT} = ANY(${this.param(selection.statuses.map(statusRank))}::int[])`);
    return this;
  }

  /** Restricts `alias`'s rows (of any table with a pop_id) to the selected PoPs; TRUE when nothing is filtered. */
  on(alias: string): string {
    const parts = [];
    if (this.ids) parts.push(`${alias}.pop_id ${this.ids}`);
    if (this.conditions.length > 0) {
      parts.push(alias === 'p' ? this.conditions.join(' AND ') : `${alias}.pop_id IN (SELECT p.pop_id FROM ${T.pop} p WHERE ${this.conditions.join(' AND ')})`);
    }
    return parts.length > 0 ? parts.join(' AND ') : 'TRUE';
  }
}

interface PopWideRow {
  pop_id: string;
  code: string;
  country_code: string;
  status_rank: number;
  contracted_kw: number;
  contracting: number;
  space_u: number;
  power_kw: number;
  bandwidth_mbps: number;
  circuit_types: CircuitTypeCapacityFigures[] | null;
}

/** PoP `p`'s circuits present at $1 per type, ordered by type (JSON, null when none). */
const CIRCUIT_TYPES_AT = `(
  SELECT json_agg(json_build_object('type', c.type, 'capacityMbps', c.capacity_mbps, 'circuits', c.circuits) ORDER BY c.type)
    FROM (SELECT c.type, sum(c.bandwidth_mbps) AS capacity_mbps, count(*) AS circuits
            FROM ${T.circuit} c WHERE c.pop_id = p.pop_id AND ${presentAt('c')} GROUP BY c.type) c)`;

/** Headers and PoP-wide sums (leases, reservations, circuits per type) of the selected PoPs, by popId. */
function popWideSql(filter: PopFilter): string {
  return `SELECT p.pop_id, p.code, p.country_code, ${STATUS_RANK_AT} AS status_rank,
            coalesce(l.contracted_kw, 0) AS contracted_kw, l.contracting,
            coalesce(r.space_u, 0) AS space_u, coalesce(r.power_kw, 0) AS power_kw, coalesce(r.bandwidth_mbps, 0) AS bandwidth_mbps,
            c.circuit_types
       FROM ${T.pop} p
       CROSS JOIN LATERAL (
             SELECT sum(l.contracted_power_kw) AS contracted_kw, count(l.contracted_power_kw)::int AS contracting
               FROM ${T.lease} l WHERE l.pop_id = p.pop_id AND ${presentAt('l')}) l
       CROSS JOIN LATERAL (
             SELECT sum(r.amount) FILTER (WHERE r.resource = 'SPACE_U') AS space_u,
                    sum(r.amount) FILTER (WHERE r.resource = 'POWER_KW') AS power_kw,
                    sum(r.amount) FILTER (WHERE r.resource = 'BANDWIDTH_MBPS') AS bandwidth_mbps
               FROM ${T.reservation} r WHERE r.pop_id = p.pop_id AND ${presentAt('r')}) r
       CROSS JOIN LATERAL (SELECT ${CIRCUIT_TYPES_AT} AS circuit_types) c
      WHERE ${filter.on('p')}
      ORDER BY p.pop_id`;
}

function toPopWideRead(row: PopWideRow): PopWideRead {
  return {
    popId: row.pop_id,
    code: row.code,
    countryCode: row.country_code,
    status: POP_STATUSES[row.status_rank],
    popWide: {
      reserved: { SPACE_U: row.space_u, POWER_KW: row.power_kw, BANDWIDTH_MBPS: row.bandwidth_mbps },
      contractedKw: row.contracted_kw,
      contractingLeases: row.contracting,
      circuitTypes: row.circuit_types ?? [],
    },
  };
}

interface RackRow {
  pop_id: string;
  rack_id: string;
  height_u: number;
  max_power_kw: number | null;
  a_kw: number;
  b_kw: number;
  a_feeds: number;
  b_feeds: number;
  used_u: number;
  allocated_kw: number;
}

/** Racks present at the instant with their present feeds and devices, per PoP, ordered by rackId. */
export async function readRackTallies(sql: SqlQueryable, asOf: string, popIds: string[]): Promise<Map<string, RackTally[]>> {
  const filter = new PopFilter(asOf).select({ popIds });
  const { rows } = await sql.query<RackRow>(rackTalliesSql(filter), filter.params);
  return groupByPop(rows, toRackTally);
}

/**
 * What the capacity of one PoP needs, in one statement (one round trip): its PoP-wide sums and its
 * racks' tallies; null for an unknown PoP.
 */
export async function readPopCapacityInputs(sql: SqlQueryable, asOf: string, popId: string): Promise<{ pop: PopWideRead; racks: RackTally[] } | null> {
  const filter = new PopFilter(asOf).select({ popIds: [popId] });
  const { rows } = await sql.query<PopWideRow & { racks: RackRow[] | null }>(
    `SELECT w.*, (SELECT json_agg(r) FROM (${rackTalliesSql(filter)}) r) AS racks FROM (${popWideSql(filter)}) w`,
    filter.params,
  );
  return rows.length === 0 ? null : { pop: toPopWideRead(rows[0]), racks: (rows[0].racks ?? []).map(toRackTally) };
}

function rackTalliesSql(filter: PopFilter): string {
  return `WITH f AS (
       SELECT f.pop_id, f.rack_id,
              sum(f.kw) FILTER (WHERE f.side = 'A') AS a_kw, sum(f.kw) FILTER (WHERE f.side = 'B') AS b_kw,
              count(*) FILTER (WHERE f.side = 'A')::int AS a_feeds, count(*) FILTER (WHERE f.side = 'B')::int AS b_feeds
         FROM ${T.feed} f WHERE ${filter.on('f')} AND ${presentAt('f')}
        GROUP BY f.pop_id, f.rack_id),
     d AS (
       SELECT d.pop_id, d.rack_id, sum(d.height_u)::int AS used_u, sum(d.draw_kw) AS allocated_kw
         FROM ${T.device} d WHERE ${filter.on('d')} AND ${presentAt('d')}
        GROUP BY d.pop_id, d.rack_id)
     SELECT r.pop_id, r.rack_id, r.height_u, r.max_power_kw,
            coalesce(f.a_kw, 0) AS a_kw, coalesce(f.b_kw, 0) AS b_kw, coalesce(f.a_feeds, 0) AS a_feeds, coalesce(f.b_feeds, 0) AS b_feeds,
            coalesce(d.used_u, 0) AS used_u, coalesce(d.allocated_kw, 0) AS allocated_kw
       FROM ${T.rack} r
       LEFT JOIN f ON f.pop_id = r.pop_id AND f.rack_id = r.rack_id
       LEFT JOIN d ON d.pop_id = r.pop_id AND d.rack_id = r.rack_id
      WHERE ${filter.on('r')} AND ${presentAt('r')}
      ORDER BY r.pop_id, r.rack_id`;
}

function toRackTally(row: RackRow): RackTally {
  return {
    rackId: row.rack_id,
    heightU: row.height_u,
    maxPowerKw: row.max_power_kw,
    aKw: row.a_kw,
    bKw: row.b_kw,
    aFeeds: row.a_feeds,
    bFeeds: row.b_feeds,
    usedU: row.used_u,
    allocatedKw: row.allocated_kw,
  };
}

type StepTotalsRow = PopStepRow & {
  pop_id: string;
  code: string;
  country_code: string;
  region: string | null;
  status_rank: number;
  /** Whether the PoP has a step row at the instant. */
  stepped: boolean;
  circuit_types?: CircuitTypeCapacityFigures[] | null;
  next_at?: Date | null;
};

export interface PopTotalsRead extends PopHeader {
  region: string | null;
  totals: CapacityTotals;
}

/**
 * PoP `p`'s first change after $1: of its capacity steps or of its status. A circuit's start and end
 * are step points too (capacity_mbps changes there), so its circuits by type cannot change in between.
 */
const NEXT_CHANGE = `least(
  (SELECT n.at FROM ${POP_STEP_TABLE} n WHERE n.pop_id = p.pop_id AND n.at > $1 ORDER BY n.at LIMIT 1),
  (SELECT min(n.effective_at) FROM ${T.status} n WHERE n.pop_id = p.pop_id AND n.effective_at > $1))`;

const STEP_METRICS = POP_STEP_METRIC_COLUMNS.map((column) => `s.${column}`).join(', ');

/**
 * The selected PoPs' totals at the instant from the capacity steps the projection keeps: one index
 * probe per PoP for its step row (and one for its status), ordered by popId. With `circuitTypes`,
 * their circuits by type too, in the same statement (for a few PoPs: it reads their circuits). With
 * `until`, also the first instant after this one at which any of what was read changes (null: none).
 */
export async function readStepTotals(sql: SqlQueryable, asOf: string, selection: PopSelection, options?: { circuitTypes?: boolean }): Promise<PopTotalsRead[]>;
export async function readStepTotals(
  sql: SqlQueryable,
  asOf: string,
  selection: PopSelection,
  options: { circuitTypes?: boolean; until: true },
): Promise<{ pops: PopTotalsRead[]; until: Date | null }>;
export async function readStepTotals(
  sql: SqlQueryable,
  asOf: string,
  selection: PopSelection,
  { circuitTypes = false, until = false }: { circuitTypes?: boolean; until?: boolean } = {},
): Promise<PopTotalsRead[] | { pops: PopTotalsRead[]; until: Date | null }> {
  const filter = new PopFilter(asOf).select(selection);
  const { rows } = await sql.query<StepTotalsRow>(
    `SELECT ${STEP_METRICS}, s.at IS NOT NULL AS stepped, p.pop_id, p.code, p.country_code, p.region, ${STATUS_RANK_AT} AS status_rank${circuitTypes ? `, ${CIRCUIT_TYPES_AT} AS circuit_types` : ''}${until ? `, ${NEXT_CHANGE} AS next_at` : ''}
       FROM ${T.pop} p
       LEFT JOIN LATERAL (SELECT * FROM ${POP_STEP_TABLE} s WHERE s.pop_id = p.pop_id AND s.at <= $1 ORDER BY s.at DESC LIMIT 1) s ON true
      WHERE ${filter.on('p')}
      ORDER BY p.pop_id`,
    filter.params,
  );
  const pops = rows.map((row) => ({
    popId: row.pop_id,
    code: row.code,
    countryCode: row.country_code,
    region: row.region,
    status: POP_STATUSES[row.status_rank],
    totals: { ...totalsOfStep(row.stepped ? row : null), circuitTypes: row.circuit_types ?? [] },
  }));
  if (!until) return pops;
  const next = rows.reduce<Date | null>((first, { next_at }) => (next_at && (!first || next_at < first) ? next_at : first), null);
  return { pops, until: next };
}

/** Present circuits per type of each PoP, ordered by type. */
export async function readCircuitTypes(sql: SqlQueryable, asOf: string, popIds: string[]): Promise<Map<string, CircuitTypeCapacityFigures[]>> {
  const { rows } = await sql.query<{ pop_id: string; type: CircuitType; capacity_mbps: number; circuits: number }>(
    `SELECT c.pop_id, c.type, sum(c.bandwidth_mbps) AS capacity_mbps, count(*)::int AS circuits
       FROM ${T.circuit} c WHERE c.pop_id = ANY($2::text[]) AND ${presentAt('c')}
      GROUP BY c.pop_id, c.type ORDER BY c.pop_id, c.type`,
    [asOf, popIds],
  );
  return groupByPop(rows, ({ type, capacity_mbps, circuits }) => ({ type, capacityMbps: capacity_mbps, circuits }));
}

/** Rows mapped and grouped by PoP, in row order. */
function groupByPop<R extends { pop_id: string }, V>(rows: R[], value: (row: R) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const row of rows) {
    const group = groups.get(row.pop_id);
    if (group) group.push(value(row));
    else groups.set(row.pop_id, [value(row)]);
  }
  return groups;
}
