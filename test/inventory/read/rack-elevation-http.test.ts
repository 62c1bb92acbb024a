import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROLES, Role } from '../../../src/platform/api/auth/roles.types';
import { mutation, physicalPopSetup } from '../../support/fixtures';
import { inventoryMigrations } from '../../../src/inventory';
import { createTestStorage, KEYS, PATIENT_READS, startCaughtUp, startTestApp, TestApp, TestStorage, undoMigration } from '../../support/test-app';
import { findAll, parseXml, XmlElement } from '../../support/xml-tree';

/**
 * GET /pops/{popId}/racks/{rackId}/elevation.svg over HTTP on a started service (docs/api.md, "Rack
 * elevations"): the rack's devices at past, present and planned instants, its errors, access and ETag.
 */

const T0 = '2026-01-01T00:00:00Z';
const ROUTER_NAME = 'core <router> & "edge" \'1\'';
const RACK_NAME = 'Row <B> & "spare"';

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

describe('rack elevation over HTTP', () => {
  let app: TestApp;
  const run = async (name: string, input: Record<string, unknown>) => {
    const response = await app.gql(mutation(name), { input });
    assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
    assert.equal(response.data[name].projected, true);
  };
  const get = async (path: string, query: Record<string, string> = {}, auth: Role | string | null = 'viewer', headers: Record<string, string> = {}): Promise<Answer> => {
    const authorization: Record<string, string> = auth === null ? {} : { authorization: `Bearer ${auth in KEYS ? KEYS[auth as Role] : auth}` };
    const response = await fetch(`${app.url}${path}?${new URLSearchParams(query)}`, { headers: { ...authorization, ...headers } });
    return { status: response.status, headers: response.headers, body: await response.text() };
  };
  const elevation = (popId: string, rackId: string, query: Record<string, string> = {}, auth?: Role | string | null, headers?: Record<string, string>) =>
    get(`/pops/${popId}/racks/${rackId}/elevation.svg`, query, auth, headers);
  const devices = (svg: XmlElement) => findAll(svg, (e) => e.name === 'g' && 'data-device-id' in e.attributes);
  /** The device ids drawn at `asOf` in rack r1 of el1 (asserting a 200 SVG answer). */
  const deviceIdsAt = async (asOf?: string) => {
    const answer = await elevation('el1', 'r1', asOf === undefined ? {} : { asOf });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers.get('content-type'), 'image/svg+xml; charset=utf-8');
    return devices(parseXml(answer.body)).map((d) => d.attributes['data-device-id']);
  };
  const problem = (answer: Answer) => {
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
    return JSON.parse(answer.body) as { code: string; status: number; detail: string; fields?: Array<{ field: string }>; presentFrom?: string; presentUntil?: string | null };
  };

  before(async () => {
    app = await startTestApp({}, PATIENT_READS);
    for (const [name, input] of physicalPopSetup('el1', T0)) await run(name, input);
    const device = (deviceId: string, role: string, positionU: number, heightU: number, effectiveAt: string, name?: string) =>
      run('installDevice', { popId: 'el1', deviceId, rackId: 'r1', role, positionU, heightU, powerDrawWatts: 100, effectiveAt, ...(name ? { name } : {}) });
    await device('d1', 'ROUTER', 1, 2, T0, ROUTER_NAME);
    await device('d2', 'SERVER', 10, 1, '2026-03-01T00:00:00Z', 'web-1');
    await run('removeDevice', { popId: 'el1', deviceId: 'd1', effectiveAt: '2026-06-01T00:00:00Z' });
    // Planned: a switch years ahead.
    await device('d3', 'SWITCH', 20, 1, '2030-01-01T00:00:00Z');
    await run('installRack', { popId: 'el1', rackId: 'r2', name: RACK_NAME, heightU: 10, effectiveAt: '2026-02-01T00:00:00Z' });
    await run('removeRack', { popId: 'el1', rackId: 'r2', effectiveAt: '2026-04-01T00:00:00Z' });
    for (const [name, input] of physicalPopSetup('el2', T0)) await run(name, input);
    await run('installRack', { popId: 'el2', rackId: 'r9', effectiveAt: T0 });
  });
  after(() => app?.close());

  it('draws the devices present at each instant: past, now (the default) and planned', async () => {
    assert.deepEqual(await deviceIdsAt('2026-01-01T00:00:00Z'), ['d1']);
    assert.deepEqual(await deviceIdsAt('2026-03-15T00:00:00+01:00'), ['d1', 'd2']);
    assert.deepEqual(await deviceIdsAt('2026-06-01T00:00:00Z'), ['d2']);
    assert.deepEqual(await deviceIdsAt('2030-06-01T00:00:00Z'), ['d2', 'd3']);
    // Without asOf: now, which lies between the router's removal and the planned switch.
    assert.deepEqual(await deviceIdsAt(), ['d2']);
  });

  it('answers the drawing with the device attributes, escaped names and the instant in UTC', async () => {
    const answer = await elevation('el1', 'r1', { asOf: '2026-03-15T01:00:00+01:00' }, 'procurement');
    const svg = parseXml(answer.body);
    assert.equal(svg.attributes['data-as-of'], '2026-03-15T00:00:00.000Z');
    assert.equal(svg.attributes['data-height-u'], '42');
    assert.equal(svg.children.find((e) => e.name === 'title')?.text, 'Rack r1 (el1 / r1), front, 42 U, as of 2026-03-15 00:00:00 UTC');
    assert.deepEqual(
      devices(svg).map((d) => ({ ...d.attributes, label: d.children.find((e) => e.name === 'text')?.text })),
      [
        { 'data-device-id': 'd1', 'data-role': 'ROUTER', 'data-position-u': '1', 'data-height-u': '2', label: ROUTER_NAME },
        { 'data-device-id': 'd2', 'data-role': 'SERVER', 'data-position-u': '10', 'data-height-u': '1', label: 'web-1' },
      ],
    );
    // 42 U numbers, 39 of them free.
    assert.equal(findAll(svg, (e) => e.name === 'text' && 'data-u' in e.attributes).length, 42);
    assert.equal(findAll(svg, (e) => e.name === 'rect' && 'data-u' in e.attributes).length, 39);

    const spare = parseXml((await elevation('el1', 'r2', { asOf: '2026-03-01T00:00:00Z' })).body);
    assert.equal(spare.children.find((e) => e.name === 'title')?.text, `Rack ${RACK_NAME} (el1 / r2), front, 10 U, as of 2026-03-01 00:00:00 UTC`);
    assert.deepEqual(devices(spare), []);
    assert.equal(findAll(spare, (e) => e.name === 'rect' && 'data-u' in e.attributes).length, 10);
  });

  it('answers 404 problem details for an unknown PoP, a rack it does not have, and a rack not installed at asOf', async () => {
    const cases: Array<[string, string, Record<string, string>, string]> = [
      ['nowhere', 'r1', {}, 'PoP nowhere does not exist'],
      ['el1', 'r7', {}, 'PoP el1 has no rack r7'],
      // r9 is el2's: racks belong to their PoP.
      ['el1', 'r9', {}, 'PoP el1 has no rack r9'],
      ['el1', 'r2', { asOf: '2026-01-15T00:00:00Z' }, 'Rack r2 of PoP el1 is not installed at that instant: it is there from 2026-02-01T00:00:00.000Z until 2026-04-01T00:00:00.000Z'],
      ['el1', 'r2', { asOf: '2026-04-01T00:00:00Z' }, 'Rack r2 of PoP el1 is not installed at that instant: it is there from 2026-02-01T00:00:00.000Z until 2026-04-01T00:00:00.000Z'],
      ['el1', 'r1', { asOf: '2025-12-31T23:59:59.999Z' }, 'Rack r1 of PoP el1 is not installed at that instant: it is there from 2026-01-01T00:00:00.000Z'],
    ];
    for (const [popId, rackId, query, detail] of cases) {
      const answer = await elevation(popId, rackId, query);
      assert.equal(answer.status, 404, `${popId}/${rackId} ${JSON.stringify(query)}`);
      const body = problem(answer);
      assert.deepEqual([body.code, body.status, body.detail], ['NOT_FOUND', 404, detail]);
    }
    const absent = problem(await elevation('el1', 'r2', { asOf: '2026-05-01T00:00:00Z' }));
    assert.deepEqual([absent.presentFrom, absent.presentUntil], ['2026-02-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
    const early = problem(await elevation('el1', 'r1', { asOf: '2025-06-01T00:00:00Z' }));
    assert.deepEqual([early.presentFrom, early.presentUntil], ['2026-01-01T00:00:00.000Z', null]);
  });

  it('answers 400 problem details naming the bad field, and changes nothing', async () => {
    const cases: Array<[string, string, Record<string, string>, string[]]> = [
      ['el1', 'r1', { asOf: 'yesterday' }, ['asOf']],
      ['el1', 'r1', { asOf: '2026-02-30T00:00:00Z' }, ['asOf']],
      ['el1', 'r1', { asOf: '2026-03-01T00:00:00' }, ['asOf']],
      ['el1', 'r1', { asOf: '' }, ['asOf']],
      ['el1', 'r1', { color: 'blue' }, ['color']],
      ['el1', `${'r'.repeat(65)}`, {}, ['rackId']],
      ['el%20one', 'r1', {}, ['popId']],
    ];
    for (const [popId, rackId, query, fields] of cases) {
      const answer = await elevation(popId, rackId, query);
      assert.equal(answer.status, 400, `${popId}/${rackId} ${JSON.stringify(query)}: ${answer.body}`);
      const body = problem(answer);
      assert.equal(body.code, 'BAD_USER_INPUT');
      assert.deepEqual([...new Set(body.fields?.map((f) => f.field))], fields);
    }
    const twice = await fetch(`${app.url}/pops/el1/racks/r1/elevation.svg?asOf=2026-03-01T00:00:00Z&asOf=2026-04-01T00:00:00Z`, { headers: { authorization: `Bearer ${KEYS.viewer}` } });
    assert.equal(twice.status, 400);
    assert.deepEqual(await deviceIdsAt('2026-03-15T00:00:00Z'), ['d1', 'd2']);
  });

  it('answers 401 without a valid key and draws for every role (all of them may read capacity)', async () => {
    for (const auth of [null, 'wrong-secret-0123456789']) {
      const answer = await elevation('el1', 'r1', {}, auth);
      assert.equal(answer.status, 401);
      assert.equal(problem(answer).code, 'UNAUTHENTICATED');
    }
    for (const role of ROLES) assert.equal((await elevation('el1', 'r1', {}, role)).status, 200, role);
  });

  it('sends an ETag and answers 304 to If-None-Match; a new event changes the drawing of a cached instant', async () => {
    const asOf = { asOf: '2026-07-01T00:00:00Z' };
    const first = await elevation('el1', 'r1', asOf);
    const etag = first.headers.get('etag') as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
    assert.equal(first.headers.get('cache-control'), 'private, no-cache');
    const again = await elevation('el1', 'r1', asOf, 'viewer', { 'if-none-match': etag });
    assert.deepEqual([again.status, again.body, again.headers.get('etag')], [304, '', etag]);
    const weakInList = await elevation('el1', 'r1', asOf, 'viewer', { 'if-none-match': `"other", W/${etag}` });
    assert.equal(weakInList.status, 304);
    assert.equal((await elevation('el1', 'r1', asOf, 'viewer', { 'if-none-match': '"other"' })).status, 200);
    // Cached under the read model's position: a back-dated install moves the position on, so the same
    // instant is drawn afresh, with the new device and a new tag.
    await run('installDevice', { popId: 'el1', deviceId: 'd4', rackId: 'r1', role: 'FIREWALL', positionU: 30, heightU: 1, powerDrawWatts: 100, effectiveAt: '2026-05-01T00:00:00Z' });
    const after = await elevation('el1', 'r1', asOf, 'viewer', { 'if-none-match': etag });
    assert.equal(after.status, 200);
    assert.notEqual(after.headers.get('etag'), etag);
    assert.deepEqual(devices(parseXml(after.body)).map((d) => d.attributes['data-device-id']), ['d2', 'd4']);
  });
});

describe('rack elevation after an upgrade from tables without names and positions', () => {
  let storage: TestStorage;
  before(async () => {
    storage = await createTestStorage({ persistent: true });
  });
  after(() => storage?.dispose());

  it('replays the inventory read model at the first start, so racks recorded before draw their devices', async () => {
    const first = await startTestApp({}, PATIENT_READS, storage);
    try {
      for (const [name, input] of physicalPopSetup('up1', T0)) await first.gql(mutation(name), { input });
      const device = { popId: 'up1', deviceId: 'old', rackId: 'r1', name: 'kept', role: 'STORAGE', positionU: 7, heightU: 3, powerDrawWatts: 100, effectiveAt: T0 };
      assert.equal((await first.gql(mutation('installDevice'), { input: device })).data.installDevice.projected, true);
    } finally {
      await first.close();
    }
    // The tables as the previous version made them, its migrations only.
    await undoMigration(storage, inventoryMigrations[0].id, 'ALTER TABLE rm_rack DROP COLUMN name; ALTER TABLE rm_device DROP COLUMN name, DROP COLUMN role, DROP COLUMN position_u');

    const upgraded = await startCaughtUp(storage);
    try {
      const answer = await fetch(`${upgraded.url}/pops/up1/racks/r1/elevation.svg?asOf=${T0}`, { headers: { authorization: `Bearer ${KEYS.viewer}` } });
      assert.equal(answer.status, 200);
      const svg = parseXml(await answer.text());
      const [old] = findAll(svg, (e) => e.name === 'g' && 'data-device-id' in e.attributes);
      assert.deepEqual(old.attributes, { 'data-device-id': 'old', 'data-role': 'STORAGE', 'data-position-u': '7', 'data-height-u': '3' });
      assert.equal(old.children.find((e) => e.name === 'text')?.text, 'kept');
      const capacity = await upgraded.gql('{ capacity(popId: "up1", asOf: "2026-01-01T00:00:00Z") { space { usedU totalU } } }');
      assert.deepEqual(capacity.data.capacity.space, { usedU: 3, totalU: 42 });
    } finally {
      await upgraded.close();
    }
  });
});
