import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ELEVATION_LAYOUT, RackElevation, renderRackElevation, ROLE_COLOURS } from '../../../src/inventory/read/rack-elevation.svg';
import { findAll, parseXml, XmlElement } from '../../support/xml-tree';

const AS_OF = '2027-03-01T09:00:00.000Z';

function rack(overrides: Partial<RackElevation> = {}): RackElevation {
  return {
    popId: 'fra1',
    rackId: 'R01',
    rackName: 'Row A / 1',
    heightU: 42,
    asOf: AS_OF,
    devices: [
      { deviceId: 'rtr-1', name: 'edge router 1', role: 'ROUTER', positionU: 1, heightU: 2 },
      { deviceId: 'srv-7', name: null, role: 'SERVER', positionU: 10, heightU: 1 },
    ],
    ...overrides,
  };
}

const draw = (elevation: RackElevation) => parseXml(renderRackElevation(elevation));
const devicesOf = (svg: XmlElement) => findAll(svg, (e) => e.name === 'g' && 'data-device-id' in e.attributes);
/** The U numbers drawn, top to bottom. */
const numbersOf = (svg: XmlElement) => findAll(svg, (e) => e.name === 'text' && 'data-u' in e.attributes).map((e) => Number(e.text));
/** The empty slots, top to bottom. */
const slotsOf = (svg: XmlElement) => findAll(svg, (e) => e.name === 'rect' && 'data-u' in e.attributes).map((e) => Number(e.attributes['data-u']));
const child = (element: XmlElement, name: string) => element.children.find((c) => c.name === name) as XmlElement;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('rack elevation SVG', () => {
  it('draws U1 to the rack height, U1 at the bottom, with the rack and instant on the root and in the title', () => {
    const svg = draw(rack());
    const { unitPx, headerPx, marginPx, numbersPx, rackPx } = ELEVATION_LAYOUT;
    assert.equal(svg.name, 'svg');
    assert.deepEqual(svg.attributes, {
      xmlns: 'http://www.w3.org/2000/svg',
      width: String(marginPx * 2 + numbersPx + rackPx),
      height: String(headerPx + marginPx * 2 + 42 * unitPx),
      viewBox: `0 0 ${marginPx * 2 + numbersPx + rackPx} ${headerPx + marginPx * 2 + 42 * unitPx}`,
      role: 'img',
      'aria-labelledby': 'elevation-title',
      'font-family': 'sans-serif',
      'data-pop-id': 'fra1',
      'data-rack-id': 'R01',
      'data-height-u': '42',
      'data-as-of': AS_OF,
    });
    assert.equal(child(svg, 'title').text, 'Rack Row A / 1 (fra1 / R01), front, 42 U, as of 2027-03-01 09:00:00 UTC');
    assert.deepEqual(findAll(svg, (e) => e.name === 'text' && !('data-u' in e.attributes) && e.attributes.fill !== '#ffffff').map((e) => e.text), [
      'Row A / 1',
      'as of 2027-03-01 09:00:00 UTC',
    ]);
    assert.deepEqual(numbersOf(svg), range(1, 42).reverse());
    const y = (u: number) => Number(findAll(svg, (e) => e.name === 'text' && e.attributes['data-u'] === String(u))[0].attributes.y);
    assert.equal(y(1), headerPx + marginPx + 41 * unitPx + unitPx / 2);
    assert.equal(y(42), headerPx + marginPx + unitPx / 2);
  });

  it('draws one group per device with its data- attributes, its role colour, its place and its label', () => {
    const svg = draw(rack());
    const devices = devicesOf(svg);
    assert.deepEqual(
      devices.map((d) => d.attributes),
      [
        { 'data-device-id': 'rtr-1', 'data-role': 'ROUTER', 'data-position-u': '1', 'data-height-u': '2' },
        { 'data-device-id': 'srv-7', 'data-role': 'SERVER', 'data-position-u': '10', 'data-height-u': '1' },
      ],
    );
    const { unitPx, headerPx, marginPx, numbersPx, rackPx } = ELEVATION_LAYOUT;
    // The router fills U1-U2: its top edge is U2's, 40 U below the rack's top.
    assert.deepEqual(child(devices[0], 'rect').attributes, {
      x: String(marginPx + numbersPx + 1),
      y: String(headerPx + marginPx + 40 * unitPx + 1),
      width: String(rackPx - 2),
      height: String(2 * unitPx - 2),
      rx: '2',
      fill: ROLE_COLOURS.ROUTER,
    });
    assert.equal(child(devices[1], 'rect').attributes.fill, ROLE_COLOURS.SERVER);
    assert.equal(child(devices[1], 'rect').attributes.height, String(unitPx - 2));
    assert.deepEqual(devices.map((d) => child(d, 'text').text), ['edge router 1', 'srv-7']);
    assert.deepEqual(devices.map((d) => child(d, 'title').text), ['edge router 1 (rtr-1), ROUTER, U1–U2', 'srv-7 (srv-7), SERVER, U10']);
  });

  it('draws every free U as an empty slot, and only those', () => {
    assert.deepEqual(slotsOf(draw(rack())), [...range(11, 42), ...range(3, 9)].sort((a, b) => b - a));
    const empty = draw(rack({ heightU: 4, devices: [] }));
    assert.deepEqual(slotsOf(empty), [4, 3, 2, 1]);
    assert.deepEqual(devicesOf(empty), []);
    const full = draw(rack({ heightU: 2, devices: [{ deviceId: 'd', name: 'x', role: 'OTHER', positionU: 1, heightU: 2 }] }));
    assert.deepEqual(slotsOf(full), []);
    assert.deepEqual(numbersOf(full), [2, 1]);
  });

  it('gives every role its own colour', () => {
    assert.equal(new Set(Object.values(ROLE_COLOURS)).size, Object.keys(ROLE_COLOURS).length);
    for (const role of Object.keys(ROLE_COLOURS) as Array<keyof typeof ROLE_COLOURS>) {
      const svg = draw(rack({ devices: [{ deviceId: 'd', name: 'n', role, positionU: 5, heightU: 1 }] }));
      assert.equal(child(devicesOf(svg)[0], 'rect').attributes.fill, ROLE_COLOURS[role]);
    }
  });

  it('escapes every user string and stays well-formed, even with characters XML cannot hold', () => {
    const evil = `<b>&"it's"</b> & <!-- x -->`;
    const svg = draw(rack({ rackName: evil, devices: [{ deviceId: 'd1', name: `${evil}\u0001\uFFFF`, role: 'FIREWALL', positionU: 3, heightU: 1 }] }));
    assert.deepEqual(findAll(svg, (e) => e.name === 'b'), []);
    assert.equal(child(svg, 'title').text, `Rack ${evil} (fra1 / R01), front, 42 U, as of 2027-03-01 09:00:00 UTC`);
    const [device] = devicesOf(svg);
    assert.equal(child(device, 'text').text, `${evil}\uFFFD\uFFFD`);
    assert.equal(child(device, 'title').text, `${evil}\uFFFD\uFFFD (d1), FIREWALL, U3`);
    const source = renderRackElevation(rack({ rackName: evil }));
    assert.ok(source.includes('&lt;b&gt;&amp;&quot;it&apos;s&quot;&lt;/b&gt; &amp; &lt;!-- x --&gt;'));
  });

  it('shortens a long label with an ellipsis and keeps the whole name in the tooltip', () => {
    const name = `${'x'.repeat(40)}😀`;
    const [device] = devicesOf(draw(rack({ devices: [{ deviceId: 'd', name, role: 'STORAGE', positionU: 1, heightU: 1 }] })));
    assert.equal(child(device, 'text').text, `${'x'.repeat(33)}…`);
    assert.equal(child(device, 'title').text, `${name} (d), STORAGE, U1`);
    const emoji = '😀'.repeat(40);
    const [other] = devicesOf(draw(rack({ devices: [{ deviceId: 'd', name: emoji, role: 'STORAGE', positionU: 1, heightU: 1 }] })));
    assert.equal(child(other, 'text').text, `${'😀'.repeat(33)}…`);
  });

  it('writes milliseconds in the title only when the instant has some', () => {
    const svg = draw(rack({ asOf: '2027-03-01T09:00:00.250Z' }));
    assert.match(child(svg, 'title').text, /as of 2027-03-01 09:00:00\.250 UTC$/);
  });
});
