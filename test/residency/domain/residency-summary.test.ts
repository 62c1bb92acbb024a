import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateResidency } from '../../../src/residency/domain/evaluate-residency.rules';
import { summarize } from '../../../src/residency/domain/residency-summary.math';
import { placement, policy, pop, workload } from './residency-fixtures';

describe('summarize', () => {
  it('counts rows by outcome, overall and per country sorted by country code', () => {
    const rows = evaluateResidency({
      asOf: '2026-06-01T00:00:00.000Z',
      workloads: [workload('crm', 'acme', ['PERSONAL', 'TELEMETRY'])],
      pops: [pop('fra-1', 'DE'), pop('iad-1', 'US'), pop('zrh-1', 'CH')],
      placements: [
        placement('crm', 'zrh-1', 'REPLICA'),
        placement('crm', 'iad-1', 'BACKUP'),
        placement('crm', 'fra-1', 'PRIMARY'),
      ],
      policies: [policy('eu-only', { dataCategory: 'PERSONAL', allowedGroups: ['EU'] })],
    });
    assert.deepEqual(summarize(rows), {
      compliant: 1,
      violations: 2,
      unassessed: 3,
      byCountry: [
        { countryCode: 'CH', compliant: 0, violations: 1, unassessed: 1 },
        { countryCode: 'DE', compliant: 1, violations: 0, unassessed: 1 },
        { countryCode: 'US', compliant: 0, violations: 1, unassessed: 1 },
      ],
    });
  });

  it('summarizes an empty report as zeros', () => {
    assert.deepEqual(summarize([]), { compliant: 0, violations: 0, unassessed: 0, byCountry: [] });
  });
});
