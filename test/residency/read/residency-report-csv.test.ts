import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { PolicyView } from '../../../src/residency/domain/residency.types';
import { ResidencyCsvPage, residencyCsvFileName, residencyCsvStream } from '../../../src/residency/read/residency-report.csv';
import { ResidencyReport, ResidencyRow } from '../../../src/residency/read/residency-report.types';

const tenantsOf = (csv: string) => (parse(csv, { columns: true }) as Array<Record<string, string>>).map((row) => row.tenant);
const evidence = (eventId: string) => ({ eventId, type: 'T', streamId: 's', effectiveAt: '2026-01-01T00:00:00.000Z', recordedAt: '2026-01-01T00:00:00.000Z', actor: 'a' });

function report(rows: Array<Partial<ResidencyRow>>): ResidencyReport {
  const base: ResidencyRow = {
    workloadId: 'w1',
    tenant: 'acme',
    dataCategory: 'PERSONAL',
    popId: 'p1',
    popCode: 'P1',
    countryCode: 'DE',
    role: 'PRIMARY',
    placedAt: '2026-01-10T00:00:00.000Z',
    policyId: 'gdpr',
    outcome: 'COMPLIANT',
    reason: 'ALLOWED_LOCATIONS: DE is in EU (allowed group)',
    evidence: [evidence('e1'), evidence('e2'), evidence('e3'), evidence('e4')],
  };
  return {
    asOf: '2026-02-01T10:00:00.000Z',
    generatedAt: '2026-11-21T00:00:00.000Z',
    rows: rows.map((row) => ({ ...base, ...row })),
    summary: { compliant: 0, violations: 0, unassessed: 0, byCountry: [] },
  };
}

/** A row as the evaluation hands it to the CSV: workload, placement, PoP and policy, each with its event id. */
const handOver = (row: ResidencyRow): Parameters<Parameters<ResidencyCsvPage>[0]> => {
  const [workload, placement, pop, policy] = row.evidence.map((ref) => ref.eventId);
  return [
    { workloadId: row.workloadId, tenant: row.tenant, dataCategories: [row.dataCategory], evidence: workload },
    { workloadId: row.workloadId, popId: row.popId, role: row.role, placedAt: row.placedAt, evidence: placement },
    { popId: row.popId, code: row.popCode, countryCode: row.countryCode, evidence: pop },
    row.dataCategory,
    row.policyId === null ? null : ({ policyId: row.policyId, evidence: evidence(policy) } as PolicyView),
    row.outcome,
    row.reason,
  ];
};

/**
 * The report's rows streamed as CSV, `pageSize` rows per page; `shared`: equal workloads, placements, PoPs and
 * policies handed over as one object each, as the evaluation does (the writer escapes their cells once).
 */
async function residencyCsv({ rows }: ResidencyReport, pageSize = rows.length, shared = false): Promise<string> {
  const objects = new Map<string, unknown>();
  const one = <T>(value: T): T => {
    if (!shared || value === null || typeof value !== 'object') return value;
    const key = JSON.stringify(value);
    if (!objects.has(key)) objects.set(key, value);
    return objects.get(key) as T;
  };
  const handed = rows.map((row) => handOver(row).map(one) as ReturnType<typeof handOver>);
  async function* pages(): AsyncGenerator<ResidencyCsvPage> {
    for (let i = 0; i < handed.length; i += pageSize) yield (sink) => handed.slice(i, i + pageSize).forEach((parts) => sink(...parts));
  }
  return text(residencyCsvStream(pages()));
}

describe('residency CSV', () => {
  it('writes RFC 4180: CRLF records, quotes around delimiters, quotes and line breaks', async () => {
    const csv = await residencyCsv(report([{ tenant: 'Acme, "Europe"\nLtd' }, { tenant: 'cr\ronly', policyId: null, outcome: 'UNASSESSED', evidence: [evidence('e1'), evidence('e2'), evidence('e3')] }]));
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'workloadId,tenant,dataCategory,popId,popCode,countryCode,role,placedAt,policyId,outcome,reason,evidence');
    assert.equal(
      lines[1],
      'w1,"Acme, ""Europe""\nLtd",PERSONAL,p1,P1,DE,PRIMARY,2026-01-10T00:00:00.000Z,gdpr,COMPLIANT,ALLOWED_LOCATIONS: DE is in EU (allowed group),e1 e2 e3 e4',
    );
    assert.equal(lines[2], 'w1,"cr\ronly",PERSONAL,p1,P1,DE,PRIMARY,2026-01-10T00:00:00.000Z,,UNASSESSED,ALLOWED_LOCATIONS: DE is in EU (allowed group),e1 e2 e3');
    assert.equal(lines[3], '');
    assert.deepEqual(
      tenantsOf(csv),
      ['Acme, "Europe"\nLtd', 'cr\ronly'],
    );
  });

  it('keeps spreadsheets from reading a cell as a formula', async () => {
    const tenants = ['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@SUM(A1)', '\tx', 'a=b'];
    const csv = await residencyCsv(report(tenants.map((tenant) => ({ tenant }))));
    assert.deepEqual(
      tenantsOf(csv),
      ["'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1", "'-2", "'@SUM(A1)", "'\tx", 'a=b'],
    );
  });

  it('writes the same text whatever the pages the rows come in', async () => {
    const rows = report(['a', 'b', 'c', 'd', 'e'].map((tenant) => ({ tenant, workloadId: `w-${tenant}` })));
    const whole = await residencyCsv(rows);
    assert.equal(whole.split('\r\n').length, 7);
    for (const pageSize of [1, 2, 4]) assert.equal(await residencyCsv(rows, pageSize), whole);
  });

  it('writes the bytes csv-stringify writes (RFC 4180, CRLF, quoted line breaks) for awkward values', async () => {
    const awkward = ['', 'plain', 'a,b', 'say "hi"', '"', 'lf\nx', 'cr\rx', 'crlf\r\nx', ' padded ', '=1', '-', 'ü€😀', "it's", '\u2028'];
    const rows = awkward.map((value, i) => ({ tenant: value, reason: awkward[(i + 3) % awkward.length], policyId: i % 4 === 0 ? null : value, evidence: [evidence(value || 'e'), evidence('e2'), evidence(awkward[(i + 5) % awkward.length] || 'e'), ...(i % 4 === 0 ? [] : [evidence(awkward[(i + 7) % awkward.length] || 'e')])] }));
    const full = report(rows).rows;
    const formula = /^[=+\-@\t\r]/;
    const cells = full.map((row) =>
      [row.workloadId, row.tenant, row.dataCategory, row.popId, row.popCode, row.countryCode, row.role, row.placedAt, row.policyId, row.outcome, row.reason, row.evidence.map((e) => e.eventId).join(' ')]
        .map((value) => (value !== null && formula.test(value) ? `'${value}` : value)),
    );
    const expected = stringify(cells, { header: true, columns: ['workloadId', 'tenant', 'dataCategory', 'popId', 'popCode', 'countryCode', 'role', 'placedAt', 'policyId', 'outcome', 'reason', 'evidence'], record_delimiter: 'windows', quoted_match: /[\r\n]/ });
    assert.equal(await residencyCsv(report(rows), 3), expected);
  });

  it('writes the cells of a placement, category, policy and verdict shared by several records as it writes them alone', async () => {
    const awkward = ['plain', 'a,b', '=1', 'say "hi"'];
    const rows = report(
      awkward.flatMap((value, i) =>
        (['PERSONAL', 'HEALTH'] as const).flatMap((dataCategory) => [
          // One placement (its workload and PoP) for four records, two policies: the second's event id needs quotes.
          { workloadId: `w${i}`, tenant: value, dataCategory, policyId: 'gdpr', outcome: 'COMPLIANT' as const, reason: value, evidence: [evidence(value), evidence('e2'), evidence('e3'), evidence('e4')] },
          { workloadId: `w${i}`, tenant: value, dataCategory, policyId: 'p,2', outcome: i % 2 === 0 ? ('VIOLATION' as const) : ('COMPLIANT' as const), reason: value, evidence: [evidence(value), evidence('e2'), evidence('e3'), evidence('x,"y"')] },
        ]),
      ),
    );
    const alone = await residencyCsv(rows);
    assert.equal(await residencyCsv(rows, 3, true), alone);
    assert.equal(alone.split('\r\n')[8], 'w1,"a,b",HEALTH,p1,P1,DE,PRIMARY,2026-01-10T00:00:00.000Z,"p,2",COMPLIANT,"a,b","a,b e2 e3 x,""y"""');
  });

  it('writes a page of many records, turned into bytes piece by piece, as pages of one record each', async () => {
    // About 150 bytes a record: one page of 2,000 is several pieces of text; multi-byte characters throughout.
    const tenants = ['acme', 'ü€😀', '"Zürich", AG', '=été'];
    const rows = report(Array.from({ length: 2_000 }, (_, i) => ({ workloadId: `w${i}`, tenant: tenants[i % tenants.length] })));
    const whole = await residencyCsv(rows);
    assert.equal(whole, await residencyCsv(rows, 1));
    assert.deepEqual(tenantsOf(whole).slice(0, 4), ['acme', 'ü€😀', '"Zürich", AG', "'=été"]);
    assert.equal(tenantsOf(whole).length, 2_000);
    assert.ok(Buffer.byteLength(whole) > 4 * 32 * 1024);
  });

  it('writes only the header for an empty report, and names the file after the asOf date', async () => {
    assert.equal(await residencyCsv(report([])), 'workloadId,tenant,dataCategory,popId,popCode,countryCode,role,placedAt,policyId,outcome,reason,evidence\r\n');
    assert.equal(residencyCsvFileName(report([]).asOf), 'residency-2026-02-01.csv');
  });
});
