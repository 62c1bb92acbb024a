import { useState } from 'preact/hooks';
import { gql } from '../api';
import type { ViewProps } from '../app';
import { Async, StatusBadge } from '../components';
import { useLoad } from '../hooks';
import { bandwidth, quantity } from '../model/format';
import { COUNTRY_GROUPS } from '../model/network';
import { formatRoute, withParams } from '../model/route';

interface Found {
  popId: string; code: string; countryCode: string; status: string; overall: string;
  space: { freeU: number }; power: { headroomKw: number }; network: { headroomMbps: number };
}

const FIELDS = ['spaceU', 'powerKw', 'bandwidthMbps', 'countries', 'group'] as const;

/** The form of findCapacity; its answer, most headroom first. The form's values live in the URL. */
export function FindView({ route, asOf, navigate }: ViewProps) {
  const [form, setForm] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map((f) => [f, route.params[f] ?? ''])));
  const asked = FIELDS.some((f) => route.params[f]);
  const need = {
    ...(route.params.spaceU ? { spaceU: Number(route.params.spaceU) } : {}),
    ...(route.params.powerKw ? { powerKw: Number(route.params.powerKw) } : {}),
    ...(route.params.bandwidthMbps ? { bandwidthMbps: Number(route.params.bandwidthMbps) } : {}),
    ...(route.params.countries ? { countryCodes: route.params.countries.split(/[\s,]+/).filter(Boolean).map((c) => c.toUpperCase()) } : {}),
    ...(route.params.group ? { countryGroups: [route.params.group] } : {}),
  };
  const found = useLoad(
    () => (asked ? gql<{ findCapacity: Found[] }>(
      'query($need: CapacityNeedInput, $asOf: DateTime) { findCapacity(need: $need, asOf: $asOf) { popId code countryCode status overall space { freeU } power { headroomKw } network { headroomMbps } } }',
      { need, asOf },
    ) : Promise.resolve({ findCapacity: [] })),
    [JSON.stringify(need), asOf, asked],
  );
  const input = (name: string, label: string, unit: string) => (
    <label>{label} <input name={name} type="number" min="0" step="any" inputMode="decimal" value={form[name]} onInput={(e) => setForm({ ...form, [name]: (e.target as HTMLInputElement).value })} /> {unit}</label>
  );
  return (
    <section aria-labelledby="find-title">
      <h1 id="find-title">Find capacity</h1>
      <form class="filters" onSubmit={(event) => { event.preventDefault(); navigate(withParams(route, form)); }}>
        {input('spaceU', 'Space', 'U')}
        {input('powerKw', 'Power', 'kW')}
        {input('bandwidthMbps', 'Bandwidth', 'Mbps')}
        <label>Countries <input name="countries" placeholder="DE, FR" value={form.countries} onInput={(e) => setForm({ ...form, countries: (e.target as HTMLInputElement).value })} /></label>
        <label>Country group <select name="group" value={form.group} onChange={(e) => setForm({ ...form, group: (e.target as HTMLSelectElement).value })}><option value="">any</option>{COUNTRY_GROUPS.map((g) => <option>{g}</option>)}</select></label>
        <button type="submit">Find</button>
      </form>
      {asked ? (
        <Async loaded={found} empty={(v) => v.findCapacity.length === 0} emptyText="No PoP has that much headroom.">
          {({ findCapacity }) => (
            <table class="find-table"><thead><tr><th scope="col">#</th><th scope="col">PoP</th><th scope="col">Country</th><th scope="col">Capacity</th><th scope="col" class="num">Free space</th><th scope="col" class="num">Power headroom</th><th scope="col" class="num">Bandwidth headroom</th></tr></thead>
              <tbody>{findCapacity.map((pop, index) => (
                <tr data-pop-id={pop.popId}><td>{index + 1}</td><td><a href={formatRoute({ view: 'pop', params: { popId: pop.popId } })}>{pop.code}</a></td><td>{pop.countryCode}</td><td><StatusBadge status={pop.overall} /></td>
                  <td class="num">{quantity(pop.space.freeU, 'U', 0)}</td><td class="num">{quantity(pop.power.headroomKw, 'kW')}</td><td class="num">{bandwidth(pop.network.headroomMbps)}</td></tr>
              ))}</tbody></table>
          )}
        </Async>
      ) : <p class="state empty">Say what you need and press Find.</p>}
    </section>
  );
}
