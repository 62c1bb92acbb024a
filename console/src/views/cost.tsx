import { gql } from '../api';
import type { ViewProps } from '../app';
import { Async } from '../components';
import { useLoad } from '../hooks';
import { money } from '../model/format';
import { costRows, costTotal, type CostGroupRow } from '../model/reports';
import { withParams } from '../model/route';
import { BarPlot } from './chart';
import { CURRENCIES } from './network';

const GROUPS = ['COUNTRY', 'CATEGORY', 'POP', 'REGION'];

export function CostView({ route, asOf, navigate }: ViewProps) {
  const groupBy = GROUPS.includes(route.params.groupBy ?? '') ? (route.params.groupBy as string) : 'COUNTRY';
  const currency = route.params.currency ?? 'EUR';
  const groups = useLoad(
    () => gql<{ costSummary: Array<Omit<CostGroupRow, 'value'>> }>(
      `query($asOf: DateTime, $c: String) { costSummary(groupBy: ${groupBy}, asOf: $asOf, currency: $c) { key popCount monthlyRecurring { amount currency } converted { amount currency } } }`,
      { asOf, c: currency },
    ),
    [groupBy, asOf, currency],
  );
  return (
    <section aria-labelledby="cost-title">
      <h1 id="cost-title">Cost</h1>
      <div class="filters">
        <label>By <select value={groupBy} onChange={(e) => navigate(withParams(route, { groupBy: (e.target as HTMLSelectElement).value }))}>{GROUPS.map((g) => <option>{g}</option>)}</select></label>
        <label>Currency <select value={currency} onChange={(e) => navigate(withParams(route, { currency: (e.target as HTMLSelectElement).value }))}>{CURRENCIES.map((c) => <option>{c}</option>)}</select></label>
      </div>
      <Async loaded={groups} empty={(v) => v.costSummary.length === 0} emptyText="No cost at this date.">
        {({ costSummary }) => {
          const rows = costRows(costSummary);
          return (
            <>
              <BarPlot labels={rows.map((r) => r.key)} values={rows.map((r) => r.value)} unit={currency} />
              <table class="cost-summary"><thead><tr><th scope="col">{groupBy.toLowerCase()}</th><th scope="col" class="num">PoPs</th><th scope="col" class="num">Monthly recurring</th><th scope="col" class="num">In {currency}</th></tr></thead>
                <tbody>
                  {rows.map((r) => <tr data-key={r.key}><td>{r.key}</td><td class="num">{r.popCount}</td><td class="num">{money(r.monthlyRecurring)}</td><td class="num" data-field="converted">{money(r.converted)}</td></tr>)}
                  <tr class="total"><td>Total</td><td /><td /><td class="num" data-field="total">{money(costTotal(rows, currency))}</td></tr>
                </tbody></table>
            </>
          );
        }}
      </Async>
    </section>
  );
}
