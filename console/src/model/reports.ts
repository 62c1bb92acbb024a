// The residency, cost and scenario views' models.
import type { MoneyValue } from './format';

export interface ResidencyRowNode {
  workloadId: string;
  tenant: string;
  dataCategory: string;
  popId: string;
  popCode: string;
  countryCode: string;
  role: string;
  placedAt: string;
  policyId: string | null;
  outcome: 'COMPLIANT' | 'VIOLATION' | 'UNASSESSED';
  reason: string | null;
  evidence: Array<{ eventId: string; type: string; streamId: string; effectiveAt: string; recordedAt: string; actor: string }>;
}

const OUTCOME_ORDER = { VIOLATION: 0, UNASSESSED: 1, COMPLIANT: 2 } as const;

/** Violations first, then unassessed, then compliant rows; within each, by workload then PoP code. */
export function residencyRows(rows: readonly ResidencyRowNode[]): ResidencyRowNode[] {
  return [...rows].sort(
    (a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome] || a.workloadId.localeCompare(b.workloadId) || a.popCode.localeCompare(b.popCode),
  );
}

/** The report endpoints (docs/api.md, "Residency report") with the view's filters as query parameters. */
export function reportUrl(format: 'csv' | 'json', filter: { asOf?: string | null; dataCategory?: string; countryCode?: string; tenant?: string }): string {
  const params = new URLSearchParams();
  if (filter.asOf) params.set('asOf', filter.asOf);
  if (filter.dataCategory) params.set('dataCategory', filter.dataCategory);
  if (filter.countryCode) params.set('countryCode', filter.countryCode);
  if (filter.tenant) params.set('tenant', filter.tenant);
  const query = params.toString();
  return `/reports/residency.${format}${query ? `?${query}` : ''}`;
}

export interface CostGroupRow {
  key: string;
  popCount: number;
  monthlyRecurring: MoneyValue[];
  converted: MoneyValue | null;
  /** converted as a number (0 when not converted), for the chart. */
  value: number;
}

/** Groups by converted amount, largest first (unconverted ones last, by key). */
export function costRows(groups: ReadonlyArray<Omit<CostGroupRow, 'value'>>): CostGroupRow[] {
  return groups
    .map((group) => ({ ...group, value: group.converted ? Number(group.converted.amount) : 0 }))
    .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
}

/** The sum of the converted amounts (all in one currency). */
export function costTotal(rows: readonly CostGroupRow[], currency: string): MoneyValue {
  const cents = rows.reduce((total, row) => total + Math.round(row.value * 100), 0);
  return { amount: (cents / 100).toFixed(2), currency };
}

interface CapacitySide {
  space: { freeU: number; usedU: number };
  power: { headroomKw: number; allocatedKw: number };
  network: { headroomMbps: number };
}

export interface ImpactNode {
  popId: string;
  code: string;
  before: CapacitySide;
  after: CapacitySide;
  costBefore: { converted: MoneyValue | null; monthlyRecurring: MoneyValue[] } | null;
  costAfter: { converted: MoneyValue | null; monthlyRecurring: MoneyValue[] } | null;
}

export interface ImpactRow {
  popId: string;
  code: string;
  freeU: [number, number, number];
  headroomKw: [number, number, number];
  headroomMbps: [number, number, number];
}

/** Before, after and the change, per PoP a plan touches. */
export function impactRows(impact: readonly ImpactNode[]): ImpactRow[] {
  const triple = (before: number, after: number): [number, number, number] => [before, after, Math.round((after - before) * 1000) / 1000];
  return impact.map((pop) => ({
    popId: pop.popId,
    code: pop.code,
    freeU: triple(pop.before.space.freeU, pop.after.space.freeU),
    headroomKw: triple(pop.before.power.headroomKw, pop.after.power.headroomKw),
    headroomMbps: triple(pop.before.network.headroomMbps, pop.after.network.headroomMbps),
  }));
}
