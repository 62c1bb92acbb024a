import { authorizedGet, gql } from '../api';
import type { ViewProps } from '../app';
import { Async } from '../components';
import { useLoad } from '../hooks';
import { instant } from '../model/format';
import { reportUrl, residencyRows, type ResidencyRowNode } from '../model/reports';
import { withParams } from '../model/route';

const CATEGORIES = ['PERSONAL', 'SPECIAL_CATEGORY', 'HEALTH', 'PAYMENT', 'TELEMETRY', 'OPERATIONAL', 'PUBLIC'];

interface Report {
  asOf: string;
  generatedAt: string;
  summary: { compliant: number; violations: number; unassessed: number };
  rows: ResidencyRowNode[];
}

/** Downloads a report through the endpoint (with the key), saved under the endpoint's file name. */
async function download(url: string, fileName: string): Promise<void> {
  const blob = await (await authorizedGet(url)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export function ResidencyView({ route, asOf, navigate }: ViewProps) {
  const filter = { asOf, dataCategory: route.params.category ?? '', countryCode: route.params.country ?? '', tenant: route.params.tenant ?? '' };
  const report = useLoad(
    () => gql<{ residencyReport: Report }>(
      `query($asOf: DateTime, $c: DataCategory, $cc: String, $t: String) { residencyReport(asOf: $asOf, dataCategory: $c, countryCode: $cc, tenant: $t) {
        asOf generatedAt summary { compliant violations unassessed }
        rows { workloadId tenant dataCategory popId popCode countryCode role placedAt policyId outcome reason evidence { eventId type streamId effectiveAt recordedAt actor } } } }`,
      { asOf, c: filter.dataCategory || null, cc: filter.countryCode || null, t: filter.tenant || null },
    ),
    [asOf, filter.dataCategory, filter.countryCode, filter.tenant],
  );
  const set = (name: string) => (event: Event) => navigate(withParams(route, { [name]: (event.target as HTMLInputElement).value }));
  return (
    <section aria-labelledby="residency-title">
      <h1 id="residency-title">Residency</h1>
      <div class="filters">
        <label>Data category <select value={filter.dataCategory} onChange={set('category')}><option value="">all</option>{CATEGORIES.map((c) => <option>{c}</option>)}</select></label>
        <label>Country <input value={filter.countryCode} size={4} onChange={set('country')} placeholder="DE" /></label>
        <label>Tenant <input value={filter.tenant} onChange={set('tenant')} /></label>
        <button type="button" onClick={() => void download(reportUrl('csv', filter), 'residency.csv')}>Download CSV</button>
        <button type="button" onClick={() => void download(reportUrl('json', filter), 'residency.json')}>Download JSON</button>
      </div>
      <Async loaded={report}>
        {({ residencyReport: r }) => (
          <>
            <p class="summary">As of {instant(r.asOf)}: <strong data-field="violations">{r.summary.violations}</strong> violations, <span data-field="unassessed">{r.summary.unassessed}</span> unassessed, <span data-field="compliant">{r.summary.compliant}</span> compliant.</p>
            {r.rows.length === 0 ? <p class="state empty">No placements match.</p> : (
              <div class="table-wrap"><table class="residency-table"><thead><tr><th scope="col">Outcome</th><th scope="col">Workload</th><th scope="col">Tenant</th><th scope="col">Data</th><th scope="col">PoP</th><th scope="col">Role</th><th scope="col">Why</th><th scope="col">Evidence</th></tr></thead>
                <tbody>{residencyRows(r.rows).map((row) => (
                  <tr class={`outcome-${row.outcome.toLowerCase()}`} data-outcome={row.outcome}>
                    <td><span class={`badge outcome-${row.outcome.toLowerCase()}`}>{row.outcome}</span></td><td>{row.workloadId}</td><td>{row.tenant}</td><td>{row.dataCategory}</td><td>{row.popCode} ({row.countryCode})</td><td>{row.role}</td><td>{row.reason ?? ''}{row.policyId && <span class="muted"> · {row.policyId}</span>}</td>
                    <td><details><summary>{row.evidence.length} events</summary><ul>{row.evidence.map((e) => <li>{e.type} on {e.streamId}, effective {instant(e.effectiveAt)}, by {e.actor}</li>)}</ul></details></td>
                  </tr>
                ))}</tbody></table></div>
            )}
          </>
        )}
      </Async>
    </section>
  );
}
