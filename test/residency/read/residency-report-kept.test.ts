import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryBus } from '@nestjs/cqrs';
import { ResidencyReportQuery } from '../../../src/residency/read/residency-report.query';
import type { ResidencyReport } from '../../../src/residency/read/residency-report.types';
import { MetricsService } from '../../../src/platform/observability/metrics.service';
import { KEYS, PATIENT_READS, startTestApp, TestApp } from '../../support/test-app';
import { REPORT_QUERY, ResidencyWorld, T } from './residency-world';

/** Two reports in one document, aliased, with different row fields: two kept lists in one answer. */
const TWO_REPORTS = `query Two($asOf: DateTime) {
  early: residencyReport(asOf: "2026-01-20T00:00:00Z") { asOf byRow: rows { workloadId popId outcome } }
  late: residencyReport(asOf: $asOf, tenant: "acme") { summary { compliant } rows { reason evidence { eventId } } asOf } }`;

/** The kept report: the same rows while nothing can change them, new rows when an event or asOf could. */
describe('residency report kept between requests', () => {
  let app: TestApp;
  let world: ResidencyWorld;
  const report = (asOf: string, tenant: string | null = null): Promise<ResidencyReport> =>
    app.app.get(QueryBus).execute(new ResidencyReportQuery({ asOf, tenant, dataCategory: null, countryCode: null }));
  const keys = (rows: ResidencyReport['rows']) => rows.map((row) => `${row.workloadId}@${row.popId} ${row.dataCategory} ${row.policyId} ${row.outcome}`);

  async function raw(query: string, variables: Record<string, unknown>): Promise<{ status: number; contentType: string | null; length: string | null; body: string }> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.compliance}` },
      body: JSON.stringify({ query, variables }),
    });
    const length = response.headers.get('content-length');
    return { status: response.status, contentType: response.headers.get('content-type'), length, body: await response.text() };
  }
  /** Answers sent from kept bytes so far (popledger_kept_answer_bytes_total). */
  async function sent(): Promise<number> {
    const metric = await app.app.get(MetricsService).registry.getSingleMetric('popledger_kept_answer_bytes_total')?.get();
    return metric?.values.find((value) => value.labels.outcome === 'sent')?.value ?? 0;
  }

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    world = new ResidencyWorld(app);
    await world.record();
  });
  after(() => app.close());

  it('answers later instants of the span from the kept rows, each with its own asOf', async () => {
    const first = await report('2026-02-10T00:00:00.000Z');
    const later = await report('2026-02-10T23:59:59.999Z');
    assert.equal(later.rows, first.rows);
    assert.equal(later.summary, first.summary);
    assert.equal(later.asOf, '2026-02-10T23:59:59.999Z');
    // Another filter has rows of its own; an earlier instant than the kept one is read anew.
    assert.notEqual((await report('2026-02-10T12:00:00.000Z', 'acme')).rows, first.rows);
    assert.notEqual((await report('2026-02-09T23:59:59.999Z')).rows, first.rows);
  });

  it('reads anew from the next UTC day (group membership is read by day) and at a placement that ends', async () => {
    const before = await report(T.beforeWithdrawal);
    const nextDay = await report('2026-02-16T00:00:00.000Z');
    assert.notEqual(nextDay.rows, before.rows);
    const kept = await report('2026-02-15T11:00:00.000Z');
    const withdrawn = await report(T.withdrawal);
    assert.notEqual(withdrawn.rows, kept.rows);
    assert.ok(keys(kept.rows).includes('crm@sin PERSONAL gdpr VIOLATION'));
    assert.ok(!keys(withdrawn.rows).includes('crm@sin PERSONAL gdpr VIOLATION'));
  });

  it('reads anew when a policy takes effect within the span or an event is projected', async () => {
    await world.run('defineResidencyPolicy', {
      policyId: 'public-nl', name: 'Policy public-nl', kind: 'ALLOWED_LOCATIONS', dataCategory: 'PUBLIC', allowedCountries: ['NL'], effectiveAt: '2026-03-10T12:00:00.000Z',
    });
    const morning = await report('2026-03-10T06:00:00.000Z');
    const noon = await report('2026-03-10T12:00:00.000Z');
    assert.ok(!keys(morning.rows).includes('edge@ams PUBLIC public-nl COMPLIANT'));
    assert.ok(keys(noon.rows).includes('edge@ams PUBLIC public-nl COMPLIANT'));

    assert.equal((await report('2026-03-10T13:00:00.000Z')).rows, noon.rows);
    await world.run('placeWorkload', { workloadId: 'pay', popId: 'ams', role: 'REPLICA', effectiveAt: '2026-03-01T00:00:00.000Z' }, 'planner');
    const placed = await report('2026-03-10T13:00:00.000Z');
    assert.notEqual(placed.rows, noon.rows);
    assert.deepEqual(keys(placed.rows).filter((key) => key.startsWith('pay@ams')), ['pay@ams PAYMENT pay-acme COMPLIANT']);
  });

  it('sends the rows of a repeated request as the bytes of the uncached answer, asOf its own', async () => {
    for (const [query, variables] of [
      [REPORT_QUERY, { asOf: T.february }],
      [REPORT_QUERY, {}],
      [TWO_REPORTS, { asOf: T.replaced }],
    ] as const) {
      const before = await sent();
      const first = await raw(query, variables);
      const again = [await raw(query, variables), await raw(query, variables)];
      // The same question in another text has a key of its own: written anew from the same kept rows.
      const twin = await raw(`${query} `, variables);
      // Only the instants of "now" may differ: asOf when not given, generatedAt always.
      const comparable = (answer: typeof first) => ({ ...answer, body: answer.body.replace(/"generatedAt":"[^"]*"/g, '').replace('asOf' in variables ? /^$/ : /"asOf":"[^"]*"/g, '') });
      for (const answer of [first, ...again, twin]) assert.equal(answer.length, String(Buffer.byteLength(answer.body)), 'sent with its length');
      for (const answer of [...again, twin]) assert.deepEqual({ ...comparable(answer), length: null }, { ...comparable(first), length: null }, query);
      if (!('asOf' in variables)) assert.ok(JSON.parse(again[1].body).data.residencyReport.asOf > JSON.parse(first.body).data.residencyReport.asOf);
      assert.equal(first.status, 200);
      assert.equal(JSON.parse(first.body).errors, undefined, first.body);
      const lists = query === TWO_REPORTS ? 2 : 1;
      assert.equal((await sent()) - before, 2 * lists, 'the repeated requests are sent the kept bytes');
    }
  });
});
