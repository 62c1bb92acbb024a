import { useEffect, useState } from 'preact/hooks';
import { authorizedGet, gql } from '../api';
import type { ViewProps } from '../app';
import { Async, StatusBadge } from '../components';
import { useLoad } from '../hooks';
import { seesCost, seesHistory } from '../model/access';
import { bandwidth, day, instant, money, percent, quantity, type MoneyValue } from '../model/format';
import { forecastChart, type ForecastNode } from '../model/forecast';
import { feedsByRack, historyRows, sliderStops, stopIndex, type HistoryEvent } from '../model/pop';
import { withParams } from '../model/route';
import { ForecastPlot } from './chart';
import { allPops, CURRENCIES, type Connection } from './network';

type Status = 'OK' | 'WARNING' | 'CRITICAL';
interface Capacity {
  popId: string; code: string; countryCode: string; status: string; asOf: string; overall: Status;
  space: { totalU: number; usedU: number; reservedU: number; freeU: number; utilizationPercent: number; status: Status;
    racks: Array<{ rackId: string; totalU: number; usedU: number; freeU: number; provisionedKw: number; usableKw: number; allocatedKw: number }> };
  power: { provisionedKw: number; usableKw: number; allocatedKw: number; reservedKw: number; headroomKw: number; utilizationPercent: number; redundant: boolean; status: Status };
  network: { capacityMbps: number; reservedMbps: number; headroomMbps: number; utilizationPercent: number; status: Status; byType: Array<{ type: string; capacityMbps: number; circuits: number }> };
}
interface PopCost {
  monthlyRecurring: MoneyValue[]; converted: MoneyValue | null; oneOff: MoneyValue[];
  byCategory: Array<{ category: string; monthlyRecurring: MoneyValue[] }>;
}

const CAPACITY = `space { totalU usedU reservedU freeU utilizationPercent status racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } }
  power { provisionedKw usableKw allocatedKw reservedKw headroomKw utilizationPercent redundant status }
  network { capacityMbps reservedMbps headroomMbps utilizationPercent status byType { type capacityMbps circuits } }`;
const FORECAST = 'resource currentUtilizationPercent dailyGrowthPercent exhaustsOn criticalOn basedOnPoints points { at utilizationPercent } fittedNowPercent warningPercent criticalPercent';
const RESOURCES = [['SPACE_U', 'Space'], ['POWER_KW', 'Power'], ['BANDWIDTH_MBPS', 'Network']] as const;

async function popHistory(popId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let after: string | null = null;
  for (;;) {
    const { history }: { history: Connection<HistoryEvent> } = await gql<{ history: Connection<HistoryEvent> }>(
      'query($s: ID!, $after: String) { history(streamId: $s, first: 500, after: $after) { edges { node { eventId type effectiveAt recordedAt actor source data } } pageInfo { hasNextPage endCursor } } }',
      { s: `pop-${popId}`, after },
    );
    events.push(...history.edges.map((edge) => edge.node));
    if (!history.pageInfo.hasNextPage) return events;
    after = history.pageInfo.endCursor;
  }
}

export function PopView(props: ViewProps) {
  const { route, navigate } = props;
  const popId = route.params.popId;
  const pops = useLoad(() => allPops(props.asOf), [props.asOf]);
  return (
    <section aria-labelledby="pop-title">
      <h1 id="pop-title">PoP {popId ?? ''}</h1>
      <Async loaded={pops} empty={(list) => list.length === 0} emptyText="No PoPs at this date.">
        {(list) => (
          <label>
            PoP{' '}
            <select value={popId ?? ''} onChange={(event) => navigate(withParams(route, { popId: (event.target as HTMLSelectElement).value, at: '' }))}>
              <option value="">choose…</option>
              {list.map((pop) => <option value={pop.popId}>{pop.code} · {pop.name} ({pop.countryCode})</option>)}
            </select>
          </label>
        )}
      </Async>
      {popId && <PopDetails {...props} popId={popId} />}
    </section>
  );
}

function PopDetails(props: ViewProps & { popId: string }) {
  const { popId, asOf, caller, route, navigate } = props;
  const currency = route.params.currency ?? 'EUR';
  const withCost = seesCost(caller.role);
  const withHistory = seesHistory(caller.role);
  const main = useLoad(
    () => gql<{ capacity: Capacity | null; cost?: PopCost | null }>(
      `query($p: ID!, $asOf: DateTime, $c: String) { capacity(popId: $p, asOf: $asOf) { popId code countryCode status asOf overall ${CAPACITY} }
        ${withCost ? 'cost(popId: $p, asOf: $asOf, currency: $c) { monthlyRecurring { amount currency } converted { amount currency } oneOff { amount currency } byCategory { category monthlyRecurring { amount currency } } }' : ''} }`,
      { p: popId, asOf, c: currency },
    ),
    [popId, asOf, currency, withCost],
  );
  const forecasts = useLoad(
    () => gql<Record<string, ForecastNode | null>>(`query($p: ID!) { ${RESOURCES.map(([r]) => `${r}: capacityForecast(popId: $p, resource: ${r}) { ${FORECAST} }`).join(' ')} }`, { p: popId }),
    [popId],
  );
  const history = useLoad(() => (withHistory ? popHistory(popId) : Promise.resolve([] as HistoryEvent[])), [popId, withHistory]);
  const [now] = useState(() => new Date().toISOString());
  const shownAt = asOf ?? now;
  return (
    <Async loaded={main} empty={(value) => value.capacity === null} emptyText={`No PoP ${popId} at this date.`}>
      {({ capacity, cost }) => capacity && (
        <>
          <p>Status <strong>{capacity.status}</strong> · capacity <StatusBadge status={capacity.overall} /> · as of {instant(capacity.asOf)}</p>
          <div class="cards">
            <Card title="Space" status={capacity.space.status} percentValue={capacity.space.utilizationPercent} field="space"
              lines={[`${quantity(capacity.space.usedU, 'U', 0)} used of ${quantity(capacity.space.totalU, 'U', 0)}`, `${quantity(capacity.space.reservedU, 'U', 0)} reserved · ${quantity(capacity.space.freeU, 'U', 0)} free`]} />
            <Card title="Power" status={capacity.power.status} percentValue={capacity.power.utilizationPercent} field="power"
              lines={[`${quantity(capacity.power.allocatedKw, 'kW')} allocated of ${quantity(capacity.power.usableKw, 'kW')} usable`, `${quantity(capacity.power.headroomKw, 'kW')} headroom · ${capacity.power.redundant ? 'A/B redundant' : 'not redundant'}`]} />
            <Card title="Network" status={capacity.network.status} percentValue={capacity.network.utilizationPercent} field="network"
              lines={[`${bandwidth(capacity.network.capacityMbps)} capacity`, `${bandwidth(capacity.network.reservedMbps)} reserved · ${bandwidth(capacity.network.headroomMbps)} headroom`]} />
          </div>
          <Forecasts loaded={forecasts} now={now} />
          <h2>Racks</h2>
          <Async loaded={history}>
            {(events) => <Racks popId={popId} events={events} feedsKnown={withHistory} shownAt={shownAt} route={route} navigate={navigate} />}
          </Async>
          <h2>Circuits by type</h2>
          {capacity.network.byType.length === 0 ? <p class="state empty">No circuits at this date.</p> : (
            <table><thead><tr><th scope="col">Type</th><th scope="col" class="num">Circuits</th><th scope="col" class="num">Capacity</th></tr></thead>
              <tbody>{capacity.network.byType.map((t) => <tr><td>{t.type}</td><td class="num">{t.circuits}</td><td class="num">{bandwidth(t.capacityMbps)}</td></tr>)}</tbody></table>
          )}
          {withCost && cost && (
            <>
              <h2>Cost by category</h2>
              <label>Currency <select value={currency} onChange={(event) => navigate(withParams(route, { currency: (event.target as HTMLSelectElement).value }))}>{CURRENCIES.map((c) => <option>{c}</option>)}</select></label>
              <table class="cost-table"><thead><tr><th scope="col">Category</th><th scope="col" class="num">Monthly recurring</th></tr></thead>
                <tbody>
                  {cost.byCategory.map((c) => <tr><td>{c.category}</td><td class="num">{money(c.monthlyRecurring)}</td></tr>)}
                  <tr class="total"><td>Total</td><td class="num" data-field="monthly">{money(cost.monthlyRecurring)}{cost.converted && <> = {money(cost.converted)}</>}</td></tr>
                  <tr><td>One-off this month</td><td class="num">{money(cost.oneOff)}</td></tr>
                </tbody></table>
            </>
          )}
          {withHistory && (
            <>
              <h2>Event history</h2>
              <Async loaded={history} empty={(events) => events.length === 0} emptyText="No events.">
                {(events) => <History events={events} />}
              </Async>
            </>
          )}
        </>
      )}
    </Async>
  );
}

/** The PoP's events, newest effective time first: the latest 50, the rest on request. */
function History(props: { events: HistoryEvent[] }) {
  const [all, setAll] = useState(false);
  const rows = historyRows(props.events);
  const shown = all ? rows : rows.slice(0, 50);
  return (
    <>
      <div class="table-wrap"><table class="history-table"><thead><tr><th scope="col">Effective (UTC)</th><th scope="col">Event</th><th scope="col">Actor</th><th scope="col">Source</th><th scope="col">Recorded (UTC)</th><th scope="col">Data</th></tr></thead>
        <tbody>{shown.map((e) => <tr><td>{instant(e.effectiveAt)}</td><td>{e.type}</td><td>{e.actor}</td><td>{e.source}</td><td>{instant(e.recordedAt)}</td><td class="muted">{e.summary}</td></tr>)}</tbody></table></div>
      {shown.length < rows.length && <button type="button" onClick={() => setAll(true)}>Show all {rows.length} events</button>}
    </>
  );
}

function Card(props: { title: string; status: Status; percentValue: number; lines: string[]; field: string }) {
  return (
    <article class={`card status-border-${props.status.toLowerCase()}`} data-card={props.field}>
      <h3>{props.title} <StatusBadge status={props.status} /></h3>
      <p class="big" data-field="utilization">{percent(props.percentValue)}</p>
      <meter min={0} max={100} low={70} high={80} optimum={0} value={props.percentValue} aria-label={`${props.title} utilization`} />
      {props.lines.map((line) => <p>{line}</p>)}
    </article>
  );
}

function Forecasts(props: { loaded: ReturnType<typeof useLoad<Record<string, ForecastNode | null>>>; now: string }) {
  return (
    <>
      <h2>Forecasts (from the last 365 days, as of today)</h2>
      <Async loaded={props.loaded}>
        {(forecasts) => (
          <div class="forecasts">
            {RESOURCES.map(([resource, title]) => {
              const forecast = forecasts[resource];
              if (!forecast) return null;
              return (
                <figure data-forecast={resource}>
                  <ForecastPlot chart={forecastChart(forecast, props.now)} title={title} />
                  <figcaption>
                    {percent(forecast.currentUtilizationPercent)} now · {quantity(forecast.dailyGrowthPercent, 'points/day', 3)} · critical ({percent(forecast.criticalPercent, 0)}) on {day(forecast.criticalOn)} · exhausted on <strong data-field="exhaustsOn">{day(forecast.exhaustsOn)}</strong> · {forecast.basedOnPoints} points
                  </figcaption>
                </figure>
              );
            })}
          </div>
        )}
      </Async>
    </>
  );
}

/** `feedsKnown`: the role may read the history the feeds are taken from (otherwise the A/B columns say so). */
function Racks(props: { popId: string; events: HistoryEvent[]; feedsKnown: boolean; shownAt: string } & Pick<ViewProps, 'route' | 'navigate'>) {
  const stops = sliderStops(props.events, props.shownAt);
  const at = props.route.params.at && stops.includes(props.route.params.at) ? props.route.params.at : stops[stopIndex(stops, props.shownAt)];
  const index = stops.indexOf(at);
  const racksAt = useLoad(
    () => gql<{ capacity: Capacity | null }>('query($p: ID!, $at: DateTime) { capacity(popId: $p, asOf: $at) { space { racks { rackId totalU usedU freeU provisionedKw usableKw allocatedKw } } } }', { p: props.popId, at }),
    [props.popId, at],
  );
  const feeds = feedsByRack(props.events, at);
  return (
    <>
      <label class="slider">
        Rack elevations at <output data-field="elevation-at">{instant(at)}</output>
        {at > new Date().toISOString() && <span class="badge planned">planned</span>}
        <input type="range" min={0} max={stops.length - 1} value={index} aria-valuetext={instant(at)}
          onInput={(event) => props.navigate(withParams(props.route, { at: stops[Number((event.target as HTMLInputElement).value)] }))} />
      </label>
      <Async loaded={racksAt} empty={(v) => !v.capacity || v.capacity.space.racks.length === 0} emptyText="No racks at this instant.">
        {({ capacity }) => (
          <>
            <div class="elevations">
              {capacity!.space.racks.map((rack) => <Elevation popId={props.popId} rackId={rack.rackId} at={at} />)}
            </div>
            <table class="rack-table"><thead><tr><th scope="col">Rack</th><th scope="col" class="num">Used</th><th scope="col" class="num">Free</th><th scope="col" class="num">Allocated</th><th scope="col" class="num">Usable</th><th scope="col">A feeds</th><th scope="col">B feeds</th></tr></thead>
              <tbody>{capacity!.space.racks.map((rack) => {
                const rackFeeds = feeds.find((f) => f.rackId === rack.rackId);
                const side = (s: 'A' | 'B') => (!props.feedsKnown ? '–' : rackFeeds && rackFeeds[s].feeds > 0 ? `${rackFeeds[s].feeds} · ${quantity(rackFeeds[s].nominalKva, 'kVA')}` : 'none');
                return <tr data-rack-id={rack.rackId}><td>{rack.rackId}</td><td class="num">{quantity(rack.usedU, 'U', 0)}</td><td class="num">{quantity(rack.freeU, 'U', 0)}</td><td class="num">{quantity(rack.allocatedKw, 'kW')}</td><td class="num">{quantity(rack.usableKw, 'kW')}</td><td>{side('A')}</td><td>{side('B')}</td></tr>;
              })}</tbody></table>
          </>
        )}
      </Async>
    </>
  );
}

/** The server's drawing of one rack at `at`, inlined so that its devices are elements of the page. */
function Elevation(props: { popId: string; rackId: string; at: string }) {
  const [svg, setSvg] = useState<{ markup?: string; error?: string }>({});
  useEffect(() => {
    let current = true;
    setSvg({});
    authorizedGet(`/pops/${encodeURIComponent(props.popId)}/racks/${encodeURIComponent(props.rackId)}/elevation.svg?asOf=${encodeURIComponent(props.at)}`)
      .then((response) => response.text())
      .then((markup) => current && setSvg({ markup }), (error: Error) => current && setSvg({ error: error.message }));
    return () => {
      current = false;
    };
  }, [props.popId, props.rackId, props.at]);
  return (
    <figure class="elevation" data-rack-id={props.rackId}>
      <figcaption>{props.rackId}</figcaption>
      {svg.error ? <p class="state error" role="alert">{svg.error}</p> : svg.markup ? <div dangerouslySetInnerHTML={{ __html: svg.markup }} /> : <p class="state loading">Loading…</p>}
    </figure>
  );
}
