// An offline world map (Natural Earth 1:110m countries from the world-atlas package, bundled) with one
// dot per PoP, coloured by its worst capacity status.
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import type { NetworkRow } from '../model/network';

const WIDTH = 960;
const HEIGHT = 480;
const projection = geoNaturalEarth1().fitSize([WIDTH, HEIGHT], { type: 'Sphere' });
const topology = world as unknown as Topology<{ countries: GeometryCollection }>;
// The land is drawn once per page load: one path for all countries.
const LAND = geoPath(projection)(feature(topology, topology.objects.countries)) ?? '';

export function NetworkMap(props: { rows: readonly NetworkRow[]; onSelect: (popId: string) => void }) {
  return (
    <svg class="map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Map of ${props.rows.length} PoPs coloured by worst capacity status`}>
      <path class="land" d={LAND} />
      {props.rows.map((row) => {
        if (row.latitude === null || row.longitude === null) return null;
        const point = projection([row.longitude, row.latitude]);
        if (!point) return null;
        return (
          <circle class={`pop-dot status-${(row.worst ?? 'none').toLowerCase()}`} cx={point[0].toFixed(1)} cy={point[1].toFixed(1)} r="4" data-pop-id={row.popId} onClick={() => props.onSelect(row.popId)}>
            <title>{`${row.code} (${row.city ?? row.countryCode}): ${row.worst ?? 'no figures'}`}</title>
          </circle>
        );
      })}
    </svg>
  );
}
