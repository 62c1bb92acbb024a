import { compareText } from '../../kernel/compare-text.util';
import type { ResidencyCounts, ResidencyOutcome, EvaluatedResidencyRow, EvaluatedResidencySummary } from './residency.types';

const COUNTER: Record<ResidencyOutcome, keyof ResidencyCounts> = {
  COMPLIANT: 'compliant',
  VIOLATION: 'violations',
  UNASSESSED: 'unassessed',
};

/** Counts rows (not placements: a placement under two policies counts twice), overall and per country. */
export function summarize(rows: readonly EvaluatedResidencyRow[]): EvaluatedResidencySummary {
  const total: ResidencyCounts = { compliant: 0, violations: 0, unassessed: 0 };
  const byCountry = new Map<string, { countryCode: string } & ResidencyCounts>();
  for (const { countryCode, outcome } of rows) {
    let country = byCountry.get(countryCode);
    if (country === undefined) {
      country = { countryCode, compliant: 0, violations: 0, unassessed: 0 };
      byCountry.set(countryCode, country);
    }
    total[COUNTER[outcome]] += 1;
    country[COUNTER[outcome]] += 1;
  }
  return { ...total, byCountry: [...byCountry.values()].sort((a, b) => compareText(a.countryCode, b.countryCode)) };
}
