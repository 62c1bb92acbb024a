import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateResidency, type ResidencyInput } from '../../../src/residency/domain/evaluate-residency.rules';
import { line, placement, policy, pop, T0, workload } from './residency-fixtures';

const NOW = '2026-06-01T00:00:00.000Z';
const POPS = [
  pop('fra-1', 'DE'),
  pop('zrh-1', 'CH'),
  pop('iad-1', 'US'),
  pop('yul-1', 'CA'),
  pop('lhr-1', 'GB'),
  pop('pek-1', 'CN'),
  pop('gru-1', 'BR'),
  pop('bom-1', 'IN'),
];

const evaluate = (input: Partial<ResidencyInput>) =>
  evaluateResidency({ asOf: NOW, workloads: [], placements: [], pops: POPS, policies: [], ...input }).map(line);

describe('evaluateResidency', () => {
  it('judges every placement against ALLOWED_LOCATIONS: group, listed country, outside the set', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL'])],
      placements: [
        placement('crm', 'zrh-1', 'REPLICA'),
        placement('crm', 'iad-1', 'BACKUP'),
        placement('crm', 'fra-1', 'PRIMARY'),
      ],
      policies: [policy('eu-only', { dataCategory: 'PERSONAL', allowedGroups: ['EU'], allowedCountries: ['CH'] })],
    };
    assert.deepEqual(evaluate(input), [
      'crm | fra-1 | PRIMARY | PERSONAL | eu-only | COMPLIANT | ALLOWED_LOCATIONS: DE is in EU (allowed group)',
      'crm | iad-1 | BACKUP | PERSONAL | eu-only | VIOLATION | ALLOWED_LOCATIONS: US is not in the allowed set (allowed: EU, CH)',
      'crm | zrh-1 | REPLICA | PERSONAL | eu-only | COMPLIANT | ALLOWED_LOCATIONS: CH is an allowed country',
    ]);
  });

  it('returns the full row with its evidence: registration, placement, PoP, policy', () => {
    const crm = workload('crm', 'acme', ['PERSONAL']);
    const placed = placement('crm', 'fra-1', 'PRIMARY');
    const euOnly = policy('eu-only', { dataCategory: 'PERSONAL', allowedGroups: ['EU'] });
    const rows = evaluateResidency({ asOf: NOW, workloads: [crm], placements: [placed], pops: POPS, policies: [euOnly] });
    assert.deepEqual(rows, [
      {
        workloadId: 'crm',
        tenant: 'acme',
        dataCategory: 'PERSONAL',
        popId: 'fra-1',
        popCode: 'FRA-1',
        countryCode: 'DE',
        role: 'PRIMARY',
        placedAt: T0,
        policyId: 'eu-only',
        outcome: 'COMPLIANT',
        reason: 'ALLOWED_LOCATIONS: DE is in EU (allowed group)',
        evidence: [crm.evidence, placed.evidence, POPS[0].evidence, euOnly.evidence],
      },
    ]);
    assert.deepEqual(
      rows[0].evidence.map((e) => e.type),
      ['WorkloadRegistered', 'WorkloadPlaced', 'PopRegistered', 'ResidencyPolicyDefined'],
    );
  });

  it('lets a denied country win over an allowed group and an allowed country', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL'])],
      placements: [placement('crm', 'fra-1', 'PRIMARY'), placement('crm', 'zrh-1', 'REPLICA')],
      policies: [
        policy('no-de', {
          dataCategory: 'PERSONAL',
          allowedGroups: ['EU'],
          allowedCountries: ['CH'],
          deniedCountries: ['DE', 'CH'],
        }),
      ],
    };
    assert.deepEqual(evaluate(input), [
      'crm | fra-1 | PRIMARY | PERSONAL | no-de | VIOLATION | ALLOWED_LOCATIONS: DE is a denied country',
      'crm | zrh-1 | REPLICA | PERSONAL | no-de | VIOLATION | ALLOWED_LOCATIONS: CH is a denied country',
    ]);
  });

  it('PRIMARY_COPY_IN: the primary must be in the allowed set, other roles only avoid denied countries', () => {
    const input = {
      workloads: [workload('ledger', 'acme', ['PERSONAL']), workload('shop', 'acme', ['PERSONAL'])],
      placements: [
        placement('ledger', 'fra-1', 'PRIMARY'),
        placement('ledger', 'iad-1', 'BACKUP'),
        placement('shop', 'iad-1', 'PRIMARY'),
        placement('shop', 'pek-1', 'REPLICA'),
      ],
      policies: [
        policy('primary-eea', {
          kind: 'PRIMARY_COPY_IN',
          dataCategory: 'PERSONAL',
          allowedGroups: ['EEA'],
          deniedCountries: ['CN'],
        }),
      ],
    };
    assert.deepEqual(evaluate(input), [
      'ledger | fra-1 | PRIMARY | PERSONAL | primary-eea | COMPLIANT | PRIMARY_COPY_IN: PRIMARY in DE, which is in EEA (allowed group)',
      'ledger | iad-1 | BACKUP | PERSONAL | primary-eea | COMPLIANT | PRIMARY_COPY_IN: BACKUP in US avoids denied countries',
      'shop | iad-1 | PRIMARY | PERSONAL | primary-eea | VIOLATION | PRIMARY_COPY_IN: PRIMARY in US, which is not in the allowed set (allowed: EEA)',
      'shop | pek-1 | REPLICA | PERSONAL | primary-eea | VIOLATION | PRIMARY_COPY_IN: REPLICA in CN, which is a denied country',
    ]);
  });

  it('says "partial adequacy" when a partial member makes a placement compliant', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL', 'TELEMETRY'])],
      placements: [
        placement('crm', 'yul-1', 'PRIMARY'),
        placement('crm', 'iad-1', 'REPLICA'),
        placement('crm', 'lhr-1', 'BACKUP'),
      ],
      policies: [
        policy('adequate', { dataCategory: 'PERSONAL', allowedGroups: ['EEA', 'EU_ADEQUACY'] }),
        // A country listed by name needs no caveat: the policy's author chose it.
        policy('ca-named', { dataCategory: 'TELEMETRY', allowedCountries: ['CA', 'US'] }),
      ],
    };
    assert.deepEqual(evaluate(input), [
      'crm | iad-1 | REPLICA | PERSONAL | adequate | COMPLIANT | ALLOWED_LOCATIONS: US is in EU_ADEQUACY (allowed group, partial adequacy: only organisations certified under the EU-US Data Privacy Framework)',
      'crm | iad-1 | REPLICA | TELEMETRY | ca-named | COMPLIANT | ALLOWED_LOCATIONS: US is an allowed country',
      'crm | lhr-1 | BACKUP | PERSONAL | adequate | COMPLIANT | ALLOWED_LOCATIONS: GB is in EU_ADEQUACY (allowed group)',
      'crm | lhr-1 | BACKUP | TELEMETRY | ca-named | VIOLATION | ALLOWED_LOCATIONS: GB is not in the allowed set (allowed: CA, US)',
      'crm | yul-1 | PRIMARY | PERSONAL | adequate | COMPLIANT | ALLOWED_LOCATIONS: CA is in EU_ADEQUACY (allowed group, partial adequacy: commercial organisations under PIPEDA only)',
      'crm | yul-1 | PRIMARY | TELEMETRY | ca-named | COMPLIANT | ALLOWED_LOCATIONS: CA is an allowed country',
    ]);
  });

  it('reads group membership on the UTC day of asOf: Brazil before and after 2026-01-26', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL'])],
      placements: [placement('crm', 'gru-1', 'PRIMARY')],
      policies: [policy('adequate', { dataCategory: 'PERSONAL', allowedGroups: ['EU_ADEQUACY'] })],
    };
    const before = ['crm | gru-1 | PRIMARY | PERSONAL | adequate | VIOLATION | ALLOWED_LOCATIONS: BR is not in the allowed set (allowed: EU_ADEQUACY)'];
    const after = ['crm | gru-1 | PRIMARY | PERSONAL | adequate | COMPLIANT | ALLOWED_LOCATIONS: BR is in EU_ADEQUACY (allowed group)'];
    assert.deepEqual(evaluate({ ...input, asOf: '2026-01-25T23:59:59.999Z' }), before);
    assert.deepEqual(evaluate({ ...input, asOf: '2026-01-26T00:30:00+01:00' }), before);
    assert.deepEqual(evaluate({ ...input, asOf: '2026-01-26T00:00:00Z' }), after);
  });

  it('applies a tenant-specific policy only to its tenant', () => {
    const input = {
      workloads: [workload('pay-a', 'acme', ['PAYMENT']), workload('pay-g', 'globex', ['PAYMENT'])],
      placements: [placement('pay-a', 'bom-1', 'PRIMARY'), placement('pay-g', 'bom-1', 'PRIMARY')],
      policies: [policy('acme-india', { dataCategory: 'PAYMENT', tenant: 'acme', allowedCountries: ['IN'] })],
    };
    assert.deepEqual(evaluate(input), [
      'pay-a | bom-1 | PRIMARY | PAYMENT | acme-india | COMPLIANT | ALLOWED_LOCATIONS: IN is an allowed country',
      'pay-g | bom-1 | PRIMARY | PAYMENT |  | UNASSESSED | no residency policy applies to PAYMENT for tenant globex',
    ]);
  });

  it('gives one row per applicable policy, ordered by policyId', () => {
    const input = {
      workloads: [workload('pay-a', 'acme', ['PAYMENT'])],
      placements: [placement('pay-a', 'fra-1', 'PRIMARY')],
      policies: [
        policy('z-all-tenants', { dataCategory: 'PAYMENT', allowedGroups: ['EU'] }),
        policy('a-acme', { dataCategory: 'PAYMENT', tenant: 'acme', allowedCountries: ['IN'] }),
        policy('other-category', { dataCategory: 'HEALTH', allowedCountries: ['DE'] }),
      ],
    };
    assert.deepEqual(evaluate(input), [
      'pay-a | fra-1 | PRIMARY | PAYMENT | a-acme | VIOLATION | ALLOWED_LOCATIONS: DE is not in the allowed set (allowed: IN)',
      'pay-a | fra-1 | PRIMARY | PAYMENT | z-all-tenants | COMPLIANT | ALLOWED_LOCATIONS: DE is in EU (allowed group)',
    ]);
  });

  it('applies a policy from its effective time until its retirement', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL'])],
      placements: [placement('crm', 'iad-1', 'PRIMARY')],
      policies: [
        policy('eu-only', {
          dataCategory: 'PERSONAL',
          allowedGroups: ['EU'],
          effectiveFrom: '2025-03-01T00:00:00.000Z',
          retiredAt: '2025-06-01T00:00:00.000Z',
        }),
      ],
    };
    const unassessed = ['crm | iad-1 | PRIMARY | PERSONAL |  | UNASSESSED | no residency policy applies to PERSONAL for tenant acme'];
    const judged = ['crm | iad-1 | PRIMARY | PERSONAL | eu-only | VIOLATION | ALLOWED_LOCATIONS: US is not in the allowed set (allowed: EU)'];
    assert.deepEqual(evaluate({ ...input, asOf: '2025-02-28T23:59:59.999Z' }), unassessed);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-03-01T00:00:00.000Z' }), judged);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-05-31T23:59:59.999Z' }), judged);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-06-01T00:00:00.000Z' }), unassessed);
  });

  it('reports a placement from its placement time until its withdrawal', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PUBLIC'])],
      placements: [placement('crm', 'fra-1', 'CACHE', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z')],
    };
    const present = ['crm | fra-1 | CACHE | PUBLIC |  | UNASSESSED | no residency policy applies to PUBLIC for tenant acme'];
    assert.deepEqual(evaluate({ ...input, asOf: '2025-01-31T23:59:59.999Z' }), []);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-02-01T00:00:00.000Z' }), present);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-02-28T23:59:59.999Z' }), present);
    assert.deepEqual(evaluate({ ...input, asOf: '2025-03-01T00:00:00.000Z' }), []);
  });

  it('gives exactly one UNASSESSED row per (placement, category) without a policy, with three pieces of evidence', () => {
    const crm = workload('crm', 'acme', ['TELEMETRY', 'PERSONAL', 'TELEMETRY']);
    const placed = placement('crm', 'fra-1', 'PRIMARY');
    const rows = evaluateResidency({
      asOf: NOW,
      workloads: [crm],
      placements: [placed],
      pops: POPS,
      policies: [policy('eu-only', { dataCategory: 'PERSONAL', allowedGroups: ['EU'] })],
    });
    assert.deepEqual(rows.map(line), [
      'crm | fra-1 | PRIMARY | PERSONAL | eu-only | COMPLIANT | ALLOWED_LOCATIONS: DE is in EU (allowed group)',
      'crm | fra-1 | PRIMARY | TELEMETRY |  | UNASSESSED | no residency policy applies to TELEMETRY for tenant acme',
    ]);
    assert.equal(rows[1].policyId, null);
    assert.deepEqual(rows[1].evidence, [crm.evidence, placed.evidence, POPS[0].evidence]);
  });

  it('orders rows by workloadId, popId, role, dataCategory, policyId whatever the input order', () => {
    const input = {
      workloads: [workload('b', 'acme', ['PUBLIC', 'HEALTH']), workload('a', 'acme', ['PUBLIC'])],
      placements: [
        placement('b', 'zrh-1', 'PRIMARY'),
        placement('b', 'fra-1', 'REPLICA'),
        placement('a', 'zrh-1', 'BACKUP'),
      ],
    };
    assert.deepEqual(
      evaluate(input).map((l) => l.split(' | ').slice(0, 4).join(' ')),
      ['a zrh-1 BACKUP PUBLIC', 'b fra-1 REPLICA HEALTH', 'b fra-1 REPLICA PUBLIC', 'b zrh-1 PRIMARY HEALTH', 'b zrh-1 PRIMARY PUBLIC'],
    );
  });

  it('leaves out placements whose workload or PoP is not in the input (the caller sets the scope)', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PUBLIC'])],
      placements: [placement('crm', 'nowhere-1', 'PRIMARY'), placement('other', 'fra-1', 'PRIMARY')],
    };
    assert.deepEqual(evaluate(input), []);
  });

  it('treats an unknown group name as contributing no country', () => {
    const input = {
      workloads: [workload('crm', 'acme', ['PERSONAL'])],
      placements: [placement('crm', 'fra-1', 'PRIMARY')],
      policies: [policy('odd', { dataCategory: 'PERSONAL', allowedGroups: ['NATO'] })],
    };
    assert.deepEqual(evaluate(input), [
      'crm | fra-1 | PRIMARY | PERSONAL | odd | VIOLATION | ALLOWED_LOCATIONS: DE is not in the allowed set (allowed: NATO)',
    ]);
  });

  it('rejects an asOf that is not an instant', () => {
    assert.throws(() => evaluate({ asOf: 'yesterday' }), RangeError);
  });

  it('evaluates 10,000 placements', () => {
    const countries = ['DE', 'FR', 'US', 'CA', 'IN', 'CN', 'CH', 'BR'];
    const pops = Array.from({ length: 40 }, (_, i) => pop(`pop-${i}`, countries[i % countries.length]));
    const workloads = Array.from({ length: 5_000 }, (_, i) =>
      workload(`w-${i}`, `tenant-${i % 7}`, ['PERSONAL', 'PAYMENT', 'TELEMETRY']),
    );
    const roles = ['PRIMARY', 'BACKUP'] as const;
    const placements = workloads.flatMap((w, i) =>
      roles.map((role, r) => placement(w.workloadId, `pop-${(i + r * 3) % pops.length}`, role)),
    );
    const policies = [
      policy('personal-eu', { dataCategory: 'PERSONAL', allowedGroups: ['EU', 'EU_ADEQUACY'], deniedCountries: ['CN'] }),
      policy('personal-primary', { kind: 'PRIMARY_COPY_IN', dataCategory: 'PERSONAL', allowedGroups: ['EEA'] }),
      policy('payment-in', { dataCategory: 'PAYMENT', allowedCountries: ['IN'] }),
      policy('payment-t0', { dataCategory: 'PAYMENT', tenant: 'tenant-0', allowedGroups: ['EU'] }),
    ];
    const rows = evaluateResidency({ asOf: NOW, workloads, placements, pops, policies });

    const tenant0Placements = placements.filter((p) => Number(p.workloadId.slice(2)) % 7 === 0).length;
    assert.equal(placements.length, 10_000);
    // PERSONAL: 2 policies, PAYMENT: 1 (+1 for tenant-0), TELEMETRY: unassessed.
    assert.equal(rows.length, 10_000 * 4 + tenant0Placements);
    assert.equal(rows.filter((row) => row.outcome === 'UNASSESSED').length, 10_000);
  });
});
