import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { viewsFor } from '../../console/src/model/access';
import { forecastChart, type ForecastNode } from '../../console/src/model/forecast';
import { bandwidth, instant, money, quantity } from '../../console/src/model/format';
import { filterRows, networkRows, sortRows, statusCounts, type CapacityNode, type PopNode } from '../../console/src/model/network';
import { feedsByRack, historyRows, sliderStops, stopIndex, type HistoryEvent } from '../../console/src/model/pop';
import { costRows, costTotal, impactRows, reportUrl, residencyRows, type ResidencyRowNode } from '../../console/src/model/reports';
import { asOfInstant, formatRoute, parseRoute } from '../../console/src/model/route';

const pop = (popId: string, countryCode: string, extra: Partial<PopNode> = {}): PopNode => ({
  popId, code: popId.toUpperCase(), name: popId, kind: 'PHYSICAL', status: 'LIVE', countryCode, city: null, latitude: 1, longitude: 2, ...extra,
});
const capacity = (popId: string, overall: CapacityNode['overall'], space: number, power: number, network: number): CapacityNode => ({
  popId, overall,
  space: { totalU: 42, usedU: 0, utilizationPercent: space, status: overall },
  power: { usableKw: 10, allocatedKw: 0, utilizationPercent: power, status: overall },
  network: { capacityMbps: 1000, utilizationPercent: network, status: overall },
});

describe('console view models', () => {
  it('network: joins PoPs, capacity and cost by popId; filters by country group on the date; sorts with missing values last', () => {
    const rows = networkRows(
      [pop('dub1', 'IE'), pop('lon1', 'GB'), pop('nyc1', 'US', { kind: 'VIRTUAL' }), pop('fra1', 'DE')],
      [capacity('dub1', 'WARNING', 75, 40, 10), capacity('lon1', 'OK', 20, 30, 5), capacity('fra1', 'CRITICAL', 90, 85, 60)],
      [{ key: 'dub1', monthlyRecurring: [{ amount: '100.00', currency: 'EUR' }], converted: { amount: '100.00', currency: 'EUR' } },
        { key: 'fra1', monthlyRecurring: [{ amount: '900.50', currency: 'EUR' }], converted: { amount: '900.50', currency: 'EUR' } }],
    );
    assert.deepEqual(rows.map((r) => [r.popId, r.worst, r.spacePercent, r.monthlyCost?.amount ?? null]), [
      ['dub1', 'WARNING', 75, '100.00'], ['lon1', 'OK', 20, null], ['nyc1', null, null, null], ['fra1', 'CRITICAL', 90, '900.50'],
    ]);
    // The UK is in the EU before 2020-02-01 and not after.
    assert.deepEqual(filterRows(rows, { group: 'EU' }, '2019-06-01T00:00:00.000Z').map((r) => r.popId), ['dub1', 'lon1', 'fra1']);
    assert.deepEqual(filterRows(rows, { group: 'EU' }, '2026-06-01T00:00:00.000Z').map((r) => r.popId), ['dub1', 'fra1']);
    assert.deepEqual(filterRows(rows, { kind: 'VIRTUAL' }, '2026-06-01T00:00:00.000Z').map((r) => r.popId), ['nyc1']);
    assert.deepEqual(filterRows(rows, { capacity: 'CRITICAL', country: 'DE' }, '2026-06-01T00:00:00.000Z').map((r) => r.popId), ['fra1']);
    assert.deepEqual(sortRows(rows, 'monthlyCost', true).map((r) => r.popId), ['fra1', 'dub1', 'lon1', 'nyc1']);
    assert.deepEqual(sortRows(rows, 'worst', false).map((r) => r.popId), ['lon1', 'dub1', 'fra1', 'nyc1']);
    assert.deepEqual(sortRows(rows, 'code', true).map((r) => r.popId), ['nyc1', 'lon1', 'fra1', 'dub1']);
    assert.deepEqual(statusCounts(rows), { OK: 1, WARNING: 1, CRITICAL: 1, NONE: 1 });
  });

  it('forecast chart: history points at their instants, the fitted line from the first point to exhaustion, flat thresholds', () => {
    const forecast: ForecastNode = {
      resource: 'SPACE_U', currentUtilizationPercent: 40, dailyGrowthPercent: 1, exhaustsOn: '2027-01-31', criticalOn: '2027-01-11', basedOnPoints: 2,
      points: [{ at: '2026-12-01T00:00:00.000Z', utilizationPercent: 20 }, { at: '2026-12-21T00:00:00.000Z', utilizationPercent: 40 }],
      fittedNowPercent: 50, warningPercent: 70, criticalPercent: 80,
    };
    const chart = forecastChart(forecast, '2027-01-01T00:00:00.000Z');
    assert.deepEqual(chart.x.map((s) => new Date(s * 1000).toISOString().slice(0, 10)), ['2026-12-01', '2026-12-21', '2027-01-01', '2027-01-31']);
    assert.deepEqual(chart.history, [20, 40, null, null]);
    assert.deepEqual(chart.fitted, [19, 39, 50, 80]);
    assert.deepEqual(chart.warning, [70, 70, 70, 70]);
    assert.deepEqual(chart.critical, [80, 80, 80, 80]);
    const flat = forecastChart({ ...forecast, points: [], fittedNowPercent: null, exhaustsOn: null }, '2027-01-01T00:00:00.000Z');
    assert.deepEqual(flat.x.map((s) => new Date(s * 1000).toISOString().slice(0, 10)), ['2026-01-01', '2027-01-01', '2028-01-01']);
    assert.deepEqual(flat.fitted, [null, null, null]);
  });

  it('PoP: slider stops at every effective instant and asOf; feeds present per rack and side; history newest first', () => {
    const event = (type: string, effectiveAt: string, data: Record<string, unknown>, recordedAt = effectiveAt): HistoryEvent => ({ eventId: `${type}${effectiveAt}`, type, effectiveAt, recordedAt, actor: 'seed', source: 'cli', data });
    const feed = (feedId: string, rackId: string, side: string, phase = 'SINGLE') => ({ popId: 'p', feedId, rackId, side, phase, voltage: 230, amperage: 32 });
    const events = [
      event('RackInstalled', '2026-01-01T00:00:00Z', { rackId: 'r1' }),
      event('PowerFeedAdded', '2026-01-02T00:00:00Z', feed('f1', 'r1', 'A')),
      event('PowerFeedAdded', '2026-01-02T00:00:00Z', feed('f2', 'r1', 'B', 'THREE')),
      event('PowerFeedAdded', '2026-02-01T00:00:00Z', feed('f3', 'r2', 'A')),
      event('PowerFeedRemoved', '2026-03-01T00:00:00Z', { feedId: 'f2' }),
      event('RackRemoved', '2027-01-01T00:00:00Z', { rackId: 'r1' }),
    ];
    const stops = sliderStops(events, '2026-06-01T00:00:00.000Z');
    assert.deepEqual(stops, ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
    assert.equal(stopIndex(stops, '2026-02-15T00:00:00.000Z'), 2);
    assert.equal(stopIndex(stops, '2020-01-01T00:00:00.000Z'), 0);
    assert.deepEqual(feedsByRack(events, '2026-02-15T00:00:00.000Z'), [
      { rackId: 'r1', A: { feeds: 1, nominalKva: 7.36 }, B: { feeds: 1, nominalKva: 12.75 } },
      { rackId: 'r2', A: { feeds: 1, nominalKva: 7.36 }, B: { feeds: 0, nominalKva: 0 } },
    ]);
    assert.deepEqual(feedsByRack(events, '2026-06-01T00:00:00.000Z').map((r) => [r.rackId, r.A.feeds, r.B.feeds]), [['r1', 1, 0], ['r2', 1, 0]]);
    assert.deepEqual(feedsByRack(events, '2027-06-01T00:00:00.000Z').map((r) => r.rackId), ['r2']);
    const rows = historyRows(events.slice(0, 3));
    assert.deepEqual(rows.map((r) => [r.type, r.summary]), [
      ['PowerFeedAdded', 'feedId=f1 rackId=r1 side=A phase=SINGLE voltage=230 amperage=32'],
      ['PowerFeedAdded', 'feedId=f2 rackId=r1 side=B phase=THREE voltage=230 amperage=32'],
      ['RackInstalled', 'rackId=r1'],
    ]);
  });

  it('residency, cost and scenario models: violations first, report URLs, sums in cents, before/after deltas', () => {
    const row = (workloadId: string, outcome: ResidencyRowNode['outcome'], popCode = 'A') => ({ workloadId, outcome, popCode } as ResidencyRowNode);
    assert.deepEqual(residencyRows([row('w1', 'COMPLIANT'), row('w2', 'VIOLATION'), row('w0', 'UNASSESSED'), row('w3', 'VIOLATION', 'B'), row('w3', 'VIOLATION', 'A')]).map((r) => `${r.workloadId}/${r.popCode}`),
      ['w2/A', 'w3/A', 'w3/B', 'w0/A', 'w1/A']);
    assert.equal(reportUrl('csv', { asOf: '2026-01-01T00:00:00.000Z', dataCategory: 'PERSONAL' }), '/reports/residency.csv?asOf=2026-01-01T00%3A00%3A00.000Z&dataCategory=PERSONAL');
    assert.equal(reportUrl('json', {}), '/reports/residency.json');
    const groups = costRows([
      { key: 'DE', popCount: 2, monthlyRecurring: [], converted: { amount: '0.10', currency: 'EUR' } },
      { key: 'IE', popCount: 1, monthlyRecurring: [], converted: { amount: '0.20', currency: 'EUR' } },
      { key: 'US', popCount: 1, monthlyRecurring: [], converted: null },
    ]);
    assert.deepEqual(groups.map((g) => [g.key, g.value]), [['IE', 0.2], ['DE', 0.1], ['US', 0]]);
    assert.deepEqual(costTotal(groups, 'EUR'), { amount: '0.30', currency: 'EUR' });
    const side = (freeU: number, headroomKw: number, headroomMbps: number) => ({ space: { freeU, usedU: 0 }, power: { headroomKw, allocatedKw: 0 }, network: { headroomMbps } });
    assert.deepEqual(impactRows([{ popId: 'p', code: 'P', before: side(10, 5.5, 1000), after: side(6, 3.2, 1000), costBefore: null, costAfter: null }]), [
      { popId: 'p', code: 'P', freeU: [10, 6, -4], headroomKw: [5.5, 3.2, -2.3], headroomMbps: [1000, 1000, 0] },
    ]);
  });

  it('routes, access and formats: the URL holds view and asOf; roles see their views; units and UTC labels', () => {
    const route = parseRoute('#/pop?popId=dub1&asOf=2027-01-31');
    assert.deepEqual(route, { view: 'pop', params: { popId: 'dub1', asOf: '2027-01-31' } });
    assert.equal(formatRoute({ view: 'pop', params: { popId: 'dub1', asOf: '', at: '2027-01-31T00:00:00.000Z' } }), '#/pop?popId=dub1&at=2027-01-31T00%3A00%3A00.000Z');
    assert.deepEqual(parseRoute('#/nowhere'), { view: 'network', params: {} });
    assert.equal(asOfInstant('2027-01-31'), '2027-01-31T00:00:00.000Z');
    assert.equal(asOfInstant('not a date'), null);
    assert.deepEqual(viewsFor('PROCUREMENT'), ['network', 'pop', 'find']);
    assert.deepEqual(viewsFor('VIEWER'), ['network', 'pop', 'find', 'cost', 'scenarios']);
    assert.deepEqual(viewsFor('COMPLIANCE'), ['network', 'pop', 'find', 'residency', 'cost', 'scenarios']);
    assert.equal(quantity(1234.56, 'kW'), '1,234.6 kW');
    assert.equal(quantity(null, 'kW'), '–');
    assert.equal(bandwidth(2500), '2.5 Gbps');
    assert.equal(money([{ amount: '1234.5', currency: 'EUR' }, { amount: '10', currency: 'USD' }]), '1,234.50 EUR + 10.00 USD');
    assert.equal(instant('2026-12-06T14:51:37.000Z'), '2026-12-06 14:51 UTC');
  });
});
