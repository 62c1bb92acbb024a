import { gql } from '../api';
import type { ViewProps } from '../app';
import { Async, StatusBadge } from '../components';
import { useLoad } from '../hooks';
import { seesCost } from '../model/access';
import { money, percent } from '../model/format';
import { choices, COUNTRY_GROUPS, filterRows, networkRows, sortRows, statusCounts, type CapacityNode, type CostGroupNode, type NetworkRow, type PopNode, type SortKey } from '../model/network';
import { formatRoute, withParams } from '../model/route';
import { NetworkMap } from './map';

const PAGE = 500;
/** Table rows shown at once: the map shows every PoP; the table pages through them (sorted over all). */
export const TABLE_PAGE = 100;

export interface Connection<T> {
  edges: Array<{ node: T }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
export const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'SGD', 'AUD', 'BRL'];

/** Every PoP at asOf, page by page (500 at a time, the API's largest page). */
export async function allPops(asOf: string | null): Promise<PopNode[]> {
  const pops: PopNode[] = [];
  let after: string | null = null;
  for (;;) {
    const { pops: page }: { pops: Connection<PopNode> } = await gql<{ pops: Connection<PopNode> }>(
      `query($asOf: DateTime, $after: String) { pops(first: ${PAGE}, asOf: $asOf, after: $after) {
        edges { node { popId code name kind status countryCode city latitude longitude } } pageInfo { hasNextPage endCursor } } }`,
      { asOf, after },
    );
    pops.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage) return pops;
    after = page.pageInfo.endCursor;
  }
}

/** The three answers are asked for at once; the PoP pages follow each other (cursors). */
export async function loadNetwork(asOf: string | null, currency: string, withCost: boolean): Promise<NetworkRow[]> {
  const [pops, capacity, costs] = await Promise.all([
    allPops(asOf),
    gql<{ findCapacity: CapacityNode[] }>(
      `query($asOf: DateTime) { findCapacity(asOf: $asOf, need: {}) { popId overall
        space { totalU usedU utilizationPercent status } power { usableKw allocatedKw utilizationPercent status } network { capacityMbps utilizationPercent status } } }`,
      { asOf },
    ),
    withCost
      ? gql<{ costSummary: CostGroupNode[] }>('query($asOf: DateTime, $currency: String) { costSummary(groupBy: POP, asOf: $asOf, currency: $currency) { key monthlyRecurring { amount currency } converted { amount currency } } }', { asOf, currency })
      : Promise.resolve(null),
  ]);
  // The bench tells the wait for the answers from the drawing of map and table by this mark.
  performance.mark('console:network-data');
  return networkRows(pops, capacity.findCapacity, costs?.costSummary ?? null);
}

const COLUMNS: Array<{ key: SortKey; title: string; numeric?: boolean }> = [
  { key: 'code', title: 'PoP' },
  { key: 'countryCode', title: 'Country' },
  { key: 'status', title: 'Status' },
  { key: 'worst', title: 'Capacity' },
  { key: 'spacePercent', title: 'Space used', numeric: true },
  { key: 'powerPercent', title: 'Power used', numeric: true },
  { key: 'networkPercent', title: 'Network used', numeric: true },
  { key: 'monthlyCost', title: 'Monthly cost', numeric: true },
];

export function NetworkView({ route, asOf, caller, navigate }: ViewProps) {
  const currency = route.params.currency ?? 'EUR';
  const withCost = seesCost(caller.role);
  const loaded = useLoad(() => loadNetwork(asOf, currency, withCost), [asOf, currency, withCost]);
  const filter = { country: route.params.country, group: route.params.group, status: route.params.status, kind: route.params.kind, capacity: route.params.capacity };
  const sort = (route.params.sort ?? 'code') as SortKey;
  const descending = route.params.desc === '1';
  // A new filter or order starts the table at its first page again.
  const set = (changes: Record<string, string>) => navigate(withParams(route, 'page' in changes ? changes : { ...changes, page: '' }));
  const openPop = (popId: string) => navigate({ view: 'pop', params: { popId, ...(route.params.asOf ? { asOf: route.params.asOf } : {}) } });
  const select = (name: string, label: string, options: readonly string[]) => (
    <label>
      {label}{' '}
      <select value={route.params[name] ?? ''} onChange={(event) => set({ [name]: (event.target as HTMLSelectElement).value })}>
        <option value="">all</option>
        {options.map((option) => <option value={option}>{option}</option>)}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="network-title">
      <h1 id="network-title">Network</h1>
      <Async loaded={loaded} empty={(rows) => rows.length === 0} emptyText="No PoPs at this date.">
        {(all) => {
          const rows = sortRows(filterRows(all, filter, asOf ?? new Date().toISOString()), sort, descending);
          const counts = statusCounts(rows);
          const pages = Math.max(1, Math.ceil(rows.length / TABLE_PAGE));
          const tablePage = Math.min(pages, Math.max(1, Number(route.params.page) || 1));
          const shown = rows.slice((tablePage - 1) * TABLE_PAGE, tablePage * TABLE_PAGE);
          return (
            <>
              <div class="filters">
                {select('country', 'Country', choices(all, (row) => row.countryCode))}
                {select('group', 'Country group', COUNTRY_GROUPS)}
                {select('status', 'Status', choices(all, (row) => row.status))}
                {select('kind', 'Kind', ['PHYSICAL', 'VIRTUAL'])}
                {select('capacity', 'Capacity', ['OK', 'WARNING', 'CRITICAL'])}
                {withCost && (
                  <label>Currency <select value={currency} onChange={(event) => set({ currency: (event.target as HTMLSelectElement).value })}>{CURRENCIES.map((c) => <option>{c}</option>)}</select></label>
                )}
              </div>
              <p class="legend">
                {rows.length} PoPs: <StatusBadge status="OK" /> {counts.OK} <StatusBadge status="WARNING" /> {counts.WARNING} <StatusBadge status="CRITICAL" /> {counts.CRITICAL}
                {counts.NONE > 0 && <> · {counts.NONE} without figures</>}
              </p>
              <NetworkMap rows={rows} onSelect={openPop} />
              <div class="table-wrap">
                <table class="network-table">
                  <thead>
                    <tr>
                      {COLUMNS.filter((column) => withCost || column.key !== 'monthlyCost').map((column) => (
                        <th scope="col" class={column.numeric ? 'num' : undefined} aria-sort={sort === column.key ? (descending ? 'descending' : 'ascending') : 'none'}>
                          <button type="button" onClick={() => set({ sort: column.key, desc: sort === column.key && !descending ? '1' : '', page: '' })}>{column.title}</button>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((row) => (
                      <tr data-pop-id={row.popId}>
                        <td><a href={formatRoute({ view: 'pop', params: { popId: row.popId, ...(route.params.asOf ? { asOf: route.params.asOf } : {}) } })}>{row.code}</a> <span class="muted">{row.city ?? ''}</span></td>
                        <td>{row.countryCode}</td>
                        <td>{row.status}</td>
                        <td><StatusBadge status={row.worst} /></td>
                        <td class="num" data-field="space">{percent(row.spacePercent)}</td>
                        <td class="num" data-field="power">{percent(row.powerPercent)}</td>
                        <td class="num" data-field="network">{percent(row.networkPercent)}</td>
                        {withCost && <td class="num" data-field="cost">{money(row.monthlyCost)}</td>}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {pages > 1 && (
                <nav class="pager" aria-label="Table pages">
                  <button type="button" disabled={tablePage === 1} onClick={() => set({ page: String(tablePage - 1) })}>Previous</button>
                  <span>Rows {(tablePage - 1) * TABLE_PAGE + 1}–{Math.min(rows.length, tablePage * TABLE_PAGE)} of {rows.length}</span>
                  <button type="button" disabled={tablePage === pages} onClick={() => set({ page: String(tablePage + 1) })}>Next</button>
                </nav>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}
