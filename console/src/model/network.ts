// The network view's model: each PoP with its capacity and cost at asOf, filtered and sorted.
import { membersAt, type GroupName } from '../../../src/kernel/country-groups.util';
import type { MoneyValue } from './format';

export type Status = 'OK' | 'WARNING' | 'CRITICAL';

export interface PopNode {
  popId: string;
  code: string;
  name: string;
  kind: 'PHYSICAL' | 'VIRTUAL';
  status: string;
  countryCode: string;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface CapacityNode {
  popId: string;
  overall: Status;
  space: { totalU: number; usedU: number; utilizationPercent: number; status: Status };
  power: { usableKw: number; allocatedKw: number; utilizationPercent: number; status: Status };
  network: { capacityMbps: number; utilizationPercent: number; status: Status };
}

export interface CostGroupNode {
  key: string;
  monthlyRecurring: MoneyValue[];
  converted: MoneyValue | null;
}

export interface NetworkRow {
  popId: string;
  code: string;
  name: string;
  kind: PopNode['kind'];
  status: string;
  countryCode: string;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Worst capacity status; null when the PoP has no capacity figures at asOf. */
  worst: Status | null;
  spacePercent: number | null;
  powerPercent: number | null;
  networkPercent: number | null;
  /** Monthly recurring cost converted into the chosen currency (null: none or not converted). */
  monthlyCost: MoneyValue | null;
}

/** Joins the three answers by popId; a PoP absent from an answer gets nulls there. */
export function networkRows(pops: readonly PopNode[], capacities: readonly CapacityNode[], costs: readonly CostGroupNode[] | null): NetworkRow[] {
  const capacityOf = new Map(capacities.map((capacity) => [capacity.popId, capacity]));
  const costOf = new Map((costs ?? []).map((group) => [group.key, group]));
  return pops.map((pop) => {
    const capacity = capacityOf.get(pop.popId);
    const cost = costOf.get(pop.popId);
    return {
      popId: pop.popId,
      code: pop.code,
      name: pop.name,
      kind: pop.kind,
      status: pop.status,
      countryCode: pop.countryCode,
      city: pop.city,
      latitude: pop.latitude,
      longitude: pop.longitude,
      worst: capacity?.overall ?? null,
      spacePercent: capacity?.space.utilizationPercent ?? null,
      powerPercent: capacity?.power.utilizationPercent ?? null,
      networkPercent: capacity?.network.utilizationPercent ?? null,
      monthlyCost: cost?.converted ?? null,
    };
  });
}

export interface NetworkFilter {
  country?: string;
  group?: string;
  status?: string;
  kind?: string;
  /** Worst capacity status. */
  capacity?: string;
}

export const COUNTRY_GROUPS: readonly GroupName[] = ['EU', 'EEA', 'EU_ADEQUACY'];

/** Rows matching every filter set; a country group is taken with its members on asOf's date. */
export function filterRows(rows: readonly NetworkRow[], filter: NetworkFilter, asOf: string): NetworkRow[] {
  const members = filter.group && (COUNTRY_GROUPS as readonly string[]).includes(filter.group)
    ? new Set(membersAt(filter.group as GroupName, asOf.slice(0, 10)).map((member) => member.country))
    : null;
  return rows.filter(
    (row) =>
      (!filter.country || row.countryCode === filter.country) &&
      (!members || members.has(row.countryCode)) &&
      (!filter.status || row.status === filter.status) &&
      (!filter.kind || row.kind === filter.kind) &&
      (!filter.capacity || row.worst === filter.capacity),
  );
}

export type SortKey = 'code' | 'countryCode' | 'status' | 'worst' | 'spacePercent' | 'powerPercent' | 'networkPercent' | 'monthlyCost';

const SEVERITY: Record<Status, number> = { OK: 0, WARNING: 1, CRITICAL: 2 };

function sortValue(row: NetworkRow, key: SortKey): number | string | null {
  if (key === 'worst') return row.worst === null ? null : SEVERITY[row.worst];
  if (key === 'monthlyCost') return row.monthlyCost === null ? null : Number(row.monthlyCost.amount);
  return row[key];
}

/** Sorted by one column; rows without a value go last either way, ties by code. */
export function sortRows(rows: readonly NetworkRow[], key: SortKey, descending: boolean): NetworkRow[] {
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? a.code.localeCompare(b.code) : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (descending ? -order : order) || a.code.localeCompare(b.code);
  });
}

/** Distinct values of a column, sorted, for a filter's choices. */
export function choices(rows: readonly NetworkRow[], pick: (row: NetworkRow) => string): string[] {
  return [...new Set(rows.map(pick))].sort();
}

/** How many PoPs have each worst status: the map's legend. */
export function statusCounts(rows: readonly NetworkRow[]): Record<Status | 'NONE', number> {
  const counts = { OK: 0, WARNING: 0, CRITICAL: 0, NONE: 0 };
  for (const row of rows) counts[row.worst ?? 'NONE'] += 1;
  return counts;
}
