import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateResidency } from '../../../src/residency/domain/evaluate-residency.rules';
import { PlacementSubject, violationTimeline } from '../../../src/residency/domain/residency-violations.rules';
import { placement as placementView, policy, pop, workload } from './residency-fixtures';

const subject = (fields: Partial<PlacementSubject>): PlacementSubject => ({
  placementKey: 'p1',
  workloadId: 'crm',
  tenant: 'acme',
  dataCategories: ['PERSONAL'],
  popId: 'lon-1',
  popCode: 'LON-1',
  countryCode: 'GB',
  role: 'PRIMARY',
  placedAt: '2019-06-01T00:00:00.000Z',
  withdrawnAt: null,
  ...fields,
});

const euOnly = policy('eu-only', { dataCategory: 'PERSONAL', allowedGroups: ['EU'], effectiveFrom: '2019-01-01T00:00:00.000Z' });
const changes = (list: ReturnType<typeof violationTimeline>) => list.map(({ at, open }) => `${at} ${open ? 'OPEN' : 'CLOSED'}`);

describe('violation timeline of a placement under a policy (outbound RESIDENCY_VIOLATION_*)', () => {
  it('opens when the country leaves an allowed group: GB left the EU on 2020-02-01', () => {
    const timeline = violationTimeline(subject({}), 'PERSONAL', euOnly);
    assert.deepEqual(changes(timeline), ['2020-02-01T00:00:00.000Z OPEN']);
    assert.match(timeline[0].reason, /GB is not in the allowed set/);
  });

  it('closes when the country joins an allowed group (BR adequacy from 2026-01-26) and at a withdrawal', () => {
    const adequacy = policy('adequate', { dataCategory: 'PERSONAL', allowedGroups: ['EU', 'EU_ADEQUACY'], effectiveFrom: '2025-01-01T00:00:00.000Z' });
    const brazil = subject({ countryCode: 'BR', popId: 'sao-1', placedAt: '2025-06-01T00:00:00.000Z' });
    assert.deepEqual(changes(violationTimeline(brazil, 'PERSONAL', adequacy)), ['2025-06-01T00:00:00.000Z OPEN', '2026-01-26T00:00:00.000Z CLOSED']);
    const withdrawn = { ...brazil, withdrawnAt: '2025-09-01T00:00:00.000Z' };
    const timeline = violationTimeline(withdrawn, 'PERSONAL', adequacy);
    assert.deepEqual(changes(timeline), ['2025-06-01T00:00:00.000Z OPEN', '2025-09-01T00:00:00.000Z CLOSED']);
    assert.match(timeline[1].reason, /withdrawn/);
  });

  it('lasts while both the placement is present and the policy in force', () => {
    const retired = { ...euOnly, effectiveFrom: '2021-01-01T00:00:00.000Z', retiredAt: '2022-01-01T00:00:00.000Z' };
    const timeline = violationTimeline(subject({}), 'PERSONAL', retired);
    assert.deepEqual(changes(timeline), ['2021-01-01T00:00:00.000Z OPEN', '2022-01-01T00:00:00.000Z CLOSED']);
    assert.match(timeline[1].reason, /policy eu-only retired/);
    assert.deepEqual(violationTimeline(subject({ withdrawnAt: '2019-07-01T00:00:00.000Z' }), 'PERSONAL', euOnly), []);
  });

  it('ignores other categories, other tenants and compliant placements', () => {
    assert.deepEqual(violationTimeline(subject({}), 'PAYMENT', euOnly), []);
    assert.deepEqual(violationTimeline(subject({}), 'PERSONAL', { ...euOnly, tenant: 'other' }), []);
    assert.deepEqual(violationTimeline(subject({ countryCode: 'DE' }), 'PERSONAL', euOnly), []);
  });

  it('agrees with the residency report at every day around the changes', () => {
    const adequacy = policy('adequate', { dataCategory: 'PERSONAL', kind: 'PRIMARY_COPY_IN', allowedGroups: ['EU_ADEQUACY'], deniedCountries: ['US'], effectiveFrom: '2025-03-01T00:00:00.000Z', retiredAt: '2026-06-01T00:00:00.000Z' });
    for (const [country, role] of [['BR', 'PRIMARY'], ['US', 'REPLICA'], ['GB', 'PRIMARY'], ['SG', 'CACHE']] as const) {
      const placedAt = '2025-01-15T00:00:00.000Z';
      const withdrawnAt = '2026-04-01T00:00:00.000Z';
      const timeline = violationTimeline(subject({ countryCode: country, popId: 'x', role, placedAt, withdrawnAt }), 'PERSONAL', adequacy);
      for (let t = Date.parse('2025-01-01T00:00:00Z'); t < Date.parse('2026-07-01T00:00:00Z'); t += 5 * 86_400_000) {
        const asOf = new Date(t).toISOString();
        const rows = evaluateResidency({
          asOf,
          workloads: [workload('crm', 'acme', ['PERSONAL'])],
          pops: [pop('x', country)],
          placements: [placementView('crm', 'x', role, placedAt, withdrawnAt)],
          policies: [adequacy],
        });
        const reported = rows.some((row) => row.outcome === 'VIOLATION');
        const open = timeline.filter((change) => change.at <= asOf).reduce((_, change) => change.open, false);
        assert.equal(open, reported, `${country} ${role} at ${asOf}`);
      }
    }
  });
});
