import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { text } from 'node:stream/consumers';
import { QueryBus } from '@nestjs/cqrs';
import { parse } from 'csv-parse/sync';
import { ResidencyCsvQuery } from '../../../src/residency/read/residency-report.query';
import { PATIENT_READS, startTestApp, TestApp } from '../../support/test-app';
import { REPORT_QUERY, ResidencyWorld, Row, T } from './residency-world';

const GDPR_OUTSIDE = (country: string) => `ALLOWED_LOCATIONS: ${country} is not in the allowed set (allowed: EEA, EU_ADEQUACY)`;
const counts = (compliant: number, violations: number, unassessed: number) => ({ compliant, violations, unassessed });
const country = (countryCode: string, compliant: number, violations: number, unassessed: number) => ({ countryCode, ...counts(compliant, violations, unassessed) });
const withoutGeneratedAt = ({ generatedAt: _generatedAt, ...report }: { generatedAt: string }) => report;

describe('residency report', () => {
  let app: TestApp;
  let world: ResidencyWorld;
  /** The rows at T.beforeBrazil, in report order (workload, PoP, role, category, policy). */
  let january: Row[];

  before(async () => {
    app = await startTestApp({}, PATIENT_READS); // ResidencyWorld asserts projected: true
    world = new ResidencyWorld(app);
    await world.record();
    const r = world.row.bind(world);
    january = [
      r('crm', 'gru', 'PRIMARY', 'PAYMENT', 'pay-acme', 'VIOLATION', 'PRIMARY_COPY_IN: PRIMARY in BR, which is not in the allowed set (allowed: DE)'),
      r('crm', 'gru', 'PRIMARY', 'PERSONAL', 'gdpr', 'VIOLATION', GDPR_OUTSIDE('BR')),
      r('crm', 'iad', 'REPLICA', 'PAYMENT', 'pay-acme', 'COMPLIANT', 'PRIMARY_COPY_IN: REPLICA in US avoids denied countries'),
      r('crm', 'iad', 'REPLICA', 'PERSONAL', 'gdpr', 'COMPLIANT',
        'ALLOWED_LOCATIONS: US is in EU_ADEQUACY (allowed group, partial adequacy: only organisations certified under the EU-US Data Privacy Framework)'),
      r('crm', 'sin', 'BACKUP', 'PAYMENT', 'pay-acme', 'VIOLATION', 'PRIMARY_COPY_IN: BACKUP in SG, which is a denied country'),
      r('crm', 'sin', 'BACKUP', 'PERSONAL', 'gdpr', 'VIOLATION', GDPR_OUTSIDE('SG')),
      r('edge', 'ams', 'CACHE', 'PUBLIC', null, 'UNASSESSED', 'no residency policy applies to PUBLIC for tenant initech'),
      r('hr', 'ams', 'REPLICA', 'HEALTH', 'health', 'COMPLIANT', 'ALLOWED_LOCATIONS: NL is in EU (allowed group)'),
      r('hr', 'fra', 'PRIMARY', 'HEALTH', 'health', 'VIOLATION', 'ALLOWED_LOCATIONS: DE is a denied country'),
      r('hr', 'osl', 'CACHE', 'HEALTH', 'health', 'VIOLATION', 'ALLOWED_LOCATIONS: NO is not in the allowed set (allowed: EU)'),
      r('logs', 'sin', 'PROCESSING', 'PAYMENT', null, 'UNASSESSED', 'no residency policy applies to PAYMENT for tenant globex'),
      r('logs', 'sin', 'PROCESSING', 'PUBLIC', null, 'UNASSESSED', 'no residency policy applies to PUBLIC for tenant globex'),
      r('logs', 'sin', 'PROCESSING', 'TELEMETRY', 'tele', 'COMPLIANT', 'ALLOWED_LOCATIONS: SG is an allowed country'),
      r('pay', 'fra', 'PRIMARY', 'PAYMENT', 'pay-acme', 'COMPLIANT', 'PRIMARY_COPY_IN: PRIMARY in DE, which is an allowed country'),
    ];
  });
  after(() => app.close());

  /** `january` with crm's PERSONAL row in Brazil compliant (adequacy from 2026-01-26). */
  const withBrazil = (rows: Row[]) =>
    rows.map((row) =>
      row.popId === 'gru' && row.dataCategory === 'PERSONAL'
        ? { ...row, outcome: 'COMPLIANT', reason: 'ALLOWED_LOCATIONS: BR is in EU_ADEQUACY (allowed group)' }
        : row,
    );
  const withoutCrmInSingapore = (rows: Row[]) => rows.filter((row) => !(row.workloadId === 'crm' && row.popId === 'sin'));

  it('gives every outcome and reason with its evidence, and counts them per country', async () => {
    const report = await world.report({ asOf: '2026-01-20T01:00:00+01:00' });
    assert.equal(report.asOf, T.beforeBrazil);
    assert.deepEqual(report.rows, january);
    assert.deepEqual(report.summary, {
      ...counts(5, 6, 3),
      byCountry: [country('BR', 0, 2, 0), country('DE', 1, 1, 0), country('NL', 1, 0, 1), country('NO', 0, 1, 0), country('SG', 1, 2, 2), country('US', 2, 0, 0)],
    });
    // Evidence: registration, placement, PoP registration (its country), policy definition, with time and actor.
    assert.deepEqual(
      report.rows[1].evidence.map(({ type, streamId, effectiveAt, actor }) => ({ type, streamId, effectiveAt, actor })),
      [
        { type: 'WorkloadRegistered', streamId: 'workload-crm', effectiveAt: '2026-01-05T00:00:00.000Z', actor: 'planner' },
        { type: 'WorkloadPlaced', streamId: 'workload-crm', effectiveAt: '2026-01-10T00:00:00.000Z', actor: 'planner' },
        { type: 'PopRegistered', streamId: 'pop-gru', effectiveAt: '2025-12-01T00:00:00.000Z', actor: 'admin' },
        { type: 'ResidencyPolicyDefined', streamId: 'policy-gdpr', effectiveAt: '2025-12-15T00:00:00.000Z', actor: 'admin' },
      ],
    );
    assert.ok(report.generatedAt >= report.rows[1].evidence[3].recordedAt);
  });

  it('reads Brazil as adequate from 2026-01-26 (00:00Z), not the millisecond before', async () => {
    assert.deepEqual((await world.report({ asOf: T.lastDayWithoutBrazil })).rows, january);
    const adequate = await world.report({ asOf: T.brazilAdequate });
    assert.deepEqual(adequate.rows, withBrazil(january));
    assert.deepEqual(adequate.summary.byCountry[0], country('BR', 1, 1, 0));
  });

  it('drops a withdrawn placement at its withdrawal time', async () => {
    assert.deepEqual((await world.report({ asOf: T.beforeWithdrawal })).rows, withBrazil(january));
    const withdrawn = await world.report({ asOf: T.withdrawal });
    assert.deepEqual(withdrawn.rows, withoutCrmInSingapore(withBrazil(january)));
    assert.deepEqual(withdrawn.summary, {
      ...counts(6, 3, 3),
      byCountry: [country('BR', 1, 1, 0), country('DE', 1, 1, 0), country('NL', 1, 0, 1), country('NO', 0, 1, 0), country('SG', 1, 0, 2), country('US', 2, 0, 0)],
    });
  });

  it('leaves data unassessed once its only policy is retired', async () => {
    const retired = await world.report({ asOf: T.retirement, tenant: 'globex' });
    assert.deepEqual(retired.rows, [
      world.row('logs', 'sin', 'PROCESSING', 'PAYMENT', null, 'UNASSESSED', 'no residency policy applies to PAYMENT for tenant globex'),
      world.row('logs', 'sin', 'PROCESSING', 'PUBLIC', null, 'UNASSESSED', 'no residency policy applies to PUBLIC for tenant globex'),
      world.row('logs', 'sin', 'PROCESSING', 'TELEMETRY', null, 'UNASSESSED', 'no residency policy applies to TELEMETRY for tenant globex'),
    ]);
    assert.deepEqual(retired.summary, { ...counts(0, 0, 3), byCountry: [country('SG', 0, 0, 3)] });
  });

  it('follows a placement withdrawn and placed again with another role at the same instant', async () => {
    const edge = (asOf: string) => world.report({ asOf, tenant: 'initech' }).then((report) => report.rows);
    const reason = 'no residency policy applies to PUBLIC for tenant initech';
    assert.deepEqual(await edge('2026-03-31T23:59:59.999Z'), [world.row('edge', 'ams', 'CACHE', 'PUBLIC', null, 'UNASSESSED', reason)]);
    assert.deepEqual(await edge(T.replaced), [world.row('edge', 'ams', 'PRIMARY', 'PUBLIC', null, 'UNASSESSED', reason)]);
  });

  it('reports nothing before anything was placed', async () => {
    const report = await world.report({ asOf: '2026-01-09T23:59:59.999Z' });
    assert.deepEqual({ rows: report.rows, summary: report.summary }, { rows: [], summary: { ...counts(0, 0, 0), byCountry: [] } });
  });

  it('filters by tenant, data category and country, alone and together', async () => {
    const asOf = T.february;
    const all = withBrazil(january);
    const cases: Array<[Record<string, string>, (row: Row) => boolean]> = [
      [{ tenant: 'acme' }, (row) => row.tenant === 'acme'],
      [{ tenant: 'nobody' }, () => false],
      [{ dataCategory: 'PAYMENT' }, (row) => row.dataCategory === 'PAYMENT'],
      [{ countryCode: 'SG' }, (row) => row.countryCode === 'SG'],
      [{ tenant: 'acme', countryCode: 'DE' }, (row) => row.tenant === 'acme' && row.countryCode === 'DE'],
      [{ tenant: 'globex', dataCategory: 'TELEMETRY', countryCode: 'SG' }, (row) => row.workloadId === 'logs' && row.dataCategory === 'TELEMETRY'],
    ];
    for (const [filters, keep] of cases) {
      const report = await world.report({ asOf, ...filters });
      assert.deepEqual(report.rows, all.filter(keep), JSON.stringify(filters));
    }
    const payment = await world.report({ asOf, dataCategory: 'PAYMENT' });
    assert.deepEqual(payment.summary, {
      ...counts(2, 2, 1),
      byCountry: [country('BR', 0, 1, 0), country('DE', 1, 0, 0), country('SG', 0, 1, 1), country('US', 1, 0, 0)],
    });
  });

  it('answers the same report after a rebuild of the read model', async () => {
    const instants = [T.beforeBrazil, T.withdrawal, T.retirement, T.replaced];
    const before = await Promise.all(instants.map((asOf) => world.report({ asOf }).then(withoutGeneratedAt)));
    const rebuilt = await app.gql('mutation { rebuildProjections(names: ["residency"]) { __typename } }');
    assert.equal(rebuilt.errors, undefined, JSON.stringify(rebuilt.errors));
    const afterwards = await Promise.all(instants.map((asOf) => world.report({ asOf }).then(withoutGeneratedAt)));
    assert.deepEqual(afterwards, before);
  });

  it('defaults asOf to now', async () => {
    const sent = new Date().toISOString();
    const report = await world.report({});
    assert.ok(sent <= report.asOf && report.asOf <= report.generatedAt, `${sent} ${report.asOf} ${report.generatedAt}`);
  });

  it('rejects a bad country code or an over-long tenant with BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ countryCode: 'XK' }, ['countryCode']],
      [{ countryCode: 'de' }, ['countryCode']],
      [{ tenant: 'x'.repeat(201), countryCode: 'ZZ' }, ['tenant', 'countryCode']],
      [{ tenant: '' }, ['tenant']],
    ];
    for (const [filters, fields] of cases) {
      const response = await app.gql(REPORT_QUERY, filters, 'compliance');
      assert.equal(response.errors?.[0].extensions.code, 'BAD_USER_INPUT', JSON.stringify(response.errors));
      assert.deepEqual([...new Set(response.errors?.[0].extensions.fields.map((f: { field: string }) => f.field))], fields);
    }
    const badTime = await app.gql(REPORT_QUERY, { asOf: 'yesterday' }, 'compliance');
    assert.equal(badTime.errors?.[0].extensions.code, 'BAD_USER_INPUT');
  });

  it('is for admin, planner and compliance only', async () => {
    for (const role of ['admin', 'planner', 'compliance'] as const) {
      const response = await app.gql(REPORT_QUERY, { asOf: T.beforeBrazil }, role);
      assert.equal(response.data.residencyReport.rows.length, january.length, role);
    }
    for (const role of ['viewer', 'procurement'] as const) {
      const response = await app.gql(REPORT_QUERY, { asOf: T.beforeBrazil }, role);
      assert.equal(response.errors?.[0].extensions.code, 'FORBIDDEN', role);
      assert.equal(response.data, null);
    }
    assert.equal((await app.gql(REPORT_QUERY, {}, {})).errors?.[0].extensions.code, 'UNAUTHENTICATED');
  });

  describe('REST reports', () => {
    it('answers the GraphQL report as JSON for the same filters', async () => {
      const filters = { asOf: T.february, tenant: 'acme', dataCategory: 'PAYMENT' };
      const response = await world.rest('/reports/residency.json', filters);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const json = (await response.json()) as { generatedAt: string; rows: Row[] };
      assert.deepEqual(withoutGeneratedAt(json), withoutGeneratedAt(await world.report(filters)));
      assert.equal(json.rows.length, 4);
    });

    it('answers CSV that a CSV parser reads back as the JSON rows', async () => {
      const params = { asOf: '2026-02-01T00:00:00+00:00' };
      const response = await world.rest('/reports/residency.csv', params, 'planner');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
      assert.equal(response.headers.get('content-disposition'), 'attachment; filename="residency-2026-02-01.csv"');
      const csv = await response.text();
      assert.ok(csv.startsWith('workloadId,tenant,dataCategory,popId,popCode,countryCode,role,placedAt,policyId,outcome,reason,evidence\r\n'));
      assert.ok(csv.endsWith('\r\n'));
      const json = (await (await world.rest('/reports/residency.json', params)).json()) as { rows: Row[] };
      const expected = json.rows.map(({ evidence, policyId, ...row }: Row) => ({
        ...row,
        policyId: policyId ?? '',
        evidence: evidence.map((e) => e.eventId).join(' '),
      }));
      assert.deepEqual(parse(csv, { columns: true }), expected);
      assert.equal(expected.length, withBrazil(january).length);
    });

    it('answers the JSON rows as CSV under a country or tenant filter too (the CSV reads the PoPs once, the report per request)', async () => {
      for (const filter of [{ countryCode: 'SG' }, { tenant: 'acme' }, { countryCode: 'BR', tenant: 'acme' }] as Record<string, string>[]) {
        const params = { asOf: '2026-02-01T00:00:00.000Z', ...filter };
        const json = (await (await world.rest('/reports/residency.json', params)).json()) as { rows: Row[] };
        const csv = await (await world.rest('/reports/residency.csv', params)).text();
        const asCsv = json.rows.map(({ evidence, policyId, ...row }: Row) => ({ ...row, policyId: policyId ?? '', evidence: evidence.map((e) => e.eventId).join(' ') }));
        assert.ok(asCsv.length > 0, `rows for ${JSON.stringify(filter)}`);
        assert.deepEqual(parse(csv, { columns: true }), asCsv, JSON.stringify(filter));
      }
    });

    it('streams the same CSV from keyset pages of placements of any size, filters included', { timeout: 30_000 }, async () => {
      for (const filter of [{ tenant: null, countryCode: null }, { tenant: 'acme', countryCode: null }, { tenant: null, countryCode: 'SG' }]) {
        const params = { asOf: '2026-02-01T00:00:00.000Z', ...Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== null)) } as Record<string, string>;
        const whole = await (await world.rest('/reports/residency.csv', params)).text();
        assert.ok(whole.split('\r\n').length > 3, `a report of several rows for ${JSON.stringify(filter)}`);
        for (const pageSize of [1, 2, 3]) {
          const stream = await app.app.get(QueryBus).execute(new ResidencyCsvQuery({ asOf: params.asOf, dataCategory: null, ...filter }, pageSize));
          assert.equal(await text(stream), whole, `pages of ${pageSize} placements, ${JSON.stringify(filter)}`);
        }
      }
    });

    it('rejects bad filters with 400 problem details naming the fields', async () => {
      const cases: Array<[Record<string, string>, string[]]> = [
        [{ asOf: 'yesterday' }, ['asOf']],
        [{ asOf: '2026-13-01T00:00:00Z', countryCode: 'XK' }, ['asOf', 'countryCode']],
        [{ dataCategory: 'GOSSIP', tenant: 'x'.repeat(201) }, ['tenant', 'dataCategory']],
        [{ color: 'blue' }, ['color']],
      ];
      for (const path of ['/reports/residency.json', '/reports/residency.csv']) {
        for (const [params, fields] of cases) {
          const response = await world.rest(path, params);
          assert.equal(response.status, 400, `${path} ${JSON.stringify(params)}`);
          assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
          const problem = (await response.json()) as { code: string; fields: Array<{ field: string }> };
          assert.equal(problem.code, 'BAD_USER_INPUT');
          assert.deepEqual([...new Set(problem.fields.map((f) => f.field))], fields, JSON.stringify(problem));
        }
      }
    });

    it('answers 401 without a key and 403 to viewer and procurement', async () => {
      for (const path of ['/reports/residency.json', '/reports/residency.csv']) {
        assert.equal((await world.rest(path, {}, null)).status, 401);
        for (const role of ['viewer', 'procurement'] as const) {
          const response = await world.rest(path, {}, role);
          assert.equal(response.status, 403, `${path} ${role}`);
          assert.equal(((await response.json()) as { code: string }).code, 'FORBIDDEN');
        }
      }
    });
  });
});
