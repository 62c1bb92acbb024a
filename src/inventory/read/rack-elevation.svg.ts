import type { DeviceRole } from '../domain/pop.enums';

/**
 * A rack's front at one instant as an SVG drawing (docs/api.md, "Rack elevations"): U1 at the bottom,
 * one group per device with its data- attributes, every free U drawn as an empty slot. Styling is by
 * presentation attributes only, no <style> element: the service's Content-Security-Policy
 * (default-src 'none') would block one when the drawing is opened on its own.
 */

export interface ElevationDevice {
  deviceId: string;
  name: string | null;
  role: DeviceRole;
  /** Lowest U it occupies. */
  positionU: number;
  heightU: number;
}

export interface RackElevation {
  popId: string;
  rackId: string;
  rackName: string | null;
  heightU: number;
  /** Canonical UTC instant (ISO 8601 with Z). */
  asOf: string;
  devices: ElevationDevice[];
}

/** Fill per role; each carries white labels at a contrast of at least 4.5:1 (WCAG AA). */
export const ROLE_COLOURS: Readonly<Record<DeviceRole, string>> = {
  ROUTER: '#1d4ed8',
  SWITCH: '#047857',
  SERVER: '#475569',
  FIREWALL: '#b91c1c',
  STORAGE: '#7e22ce',
  OTHER: '#b45309',
};

export const ELEVATION_LAYOUT = {
  /** Height of one U. */
  unitPx: 20,
  /** Width of the device column. */
  rackPx: 240,
  /** Column of U numbers on the left. */
  numbersPx: 32,
  /** Title and date above the rack. */
  headerPx: 44,
  marginPx: 8,
} as const;

const L = ELEVATION_LAYOUT;
/** About how many characters of an 11 px sans-serif label fit in a device; the full name is in its <title>. */
const LABEL_CHARS = 34;

export function renderRackElevation(rack: RackElevation): string {
  const width = L.marginPx * 2 + L.numbersPx + L.rackPx;
  const height = L.headerPx + L.marginPx * 2 + rack.heightU * L.unitPx;
  const rackX = L.marginPx + L.numbersPx;
  /** Top edge of U `u`. */
  const top = (u: number) => L.headerPx + L.marginPx + (rack.heightU - u) * L.unitPx;
  const rackLabel = rack.rackName ?? rack.rackId;
  const when = utcLabel(rack.asOf);

  const occupied = new Set<number>();
  for (const device of rack.devices) {
    for (let u = device.positionU; u < device.positionU + device.heightU; u++) occupied.add(u);
  }
  const numbers: string[] = [];
  const slots: string[] = [];
  for (let u = rack.heightU; u >= 1; u--) {
    const middle = top(u) + L.unitPx / 2;
    numbers.push(`<text x="${rackX - 6}" y="${middle}" data-u="${u}">${u}</text>`);
    if (!occupied.has(u)) slots.push(`<rect x="${rackX + 1}" y="${top(u) + 1}" width="${L.rackPx - 2}" height="${L.unitPx - 2}" data-u="${u}"/>`);
  }
  const devices = rack.devices.map((device) => {
    const label = device.name ?? device.deviceId;
    const highest = device.positionU + device.heightU - 1;
    const y = top(highest);
    const h = device.heightU * L.unitPx;
    const units = device.heightU === 1 ? `U${device.positionU}` : `U${device.positionU}–U${highest}`;
    return (
      `<g data-device-id="${xml(device.deviceId)}" data-role="${device.role}" data-position-u="${device.positionU}" data-height-u="${device.heightU}">` +
      `<title>${xml(`${label} (${device.deviceId}), ${device.role}, ${units}`)}</title>` +
      `<rect x="${rackX + 1}" y="${y + 1}" width="${L.rackPx - 2}" height="${h - 2}" rx="2" fill="${ROLE_COLOURS[device.role]}"/>` +
      `<text x="${rackX + 8}" y="${y + h / 2}" fill="#ffffff" dominant-baseline="central">${xml(truncate(label, LABEL_CHARS))}</text>` +
      '</g>'
    );
  });

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img"` +
      ` aria-labelledby="elevation-title" font-family="sans-serif" data-pop-id="${xml(rack.popId)}" data-rack-id="${xml(rack.rackId)}"` +
      ` data-height-u="${rack.heightU}" data-as-of="${rack.asOf}">`,
    `<title id="elevation-title">${xml(`Rack ${rackLabel} (${rack.popId} / ${rack.rackId}), front, ${rack.heightU} U, as of ${when}`)}</title>`,
    `<text x="${L.marginPx}" y="18" font-size="14" font-weight="bold" fill="#0f172a">${xml(truncate(rackLabel, LABEL_CHARS))}</text>`,
    `<text x="${L.marginPx}" y="36" font-size="11" fill="#334155">as of ${when}</text>`,
    `<rect x="${rackX}" y="${top(rack.heightU)}" width="${L.rackPx}" height="${rack.heightU * L.unitPx}" fill="#e2e8f0" stroke="#334155"/>`,
    `<g font-size="10" fill="#475569" text-anchor="end" dominant-baseline="central">${numbers.join('')}</g>`,
    `<g fill="#f8fafc" stroke="#cbd5e1">${slots.join('')}</g>`,
    `<g font-size="11">${devices.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/** `2027-03-01T09:00:00.000Z` as `2027-03-01 09:00:00 UTC` (milliseconds only when there are some). */
function utcLabel(iso: string): string {
  return `${iso.replace('T', ' ').replace(/(\.000)?Z$/, '')} UTC`;
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A user string as XML text or attribute value: markup escaped, characters XML cannot hold replaced by U+FFFD. */
function xml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
