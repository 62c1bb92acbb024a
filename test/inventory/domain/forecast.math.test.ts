import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forecast, forecastSeries } from '../../../src/inventory/domain/forecast.math';

const thresholds = { warnPercent: 70, criticalPercent: 80 };
const NOW = '2027-04-11T00:00:00.000Z';
const daysBefore = (days: number, now = NOW) => new Date(Date.parse(now) - days * 86_400_000).toISOString();

describe('forecast', () => {
  it('extends a least-squares line (x in days) to 100 % and to the critical threshold', () => {
    const points = [
      { at: daysBefore(40), utilizationPercent: 20 },
      { at: daysBefore(20), utilizationPercent: 40 },
      { at: NOW, utilizationPercent: 60 },
    ];
    assert.deepEqual(forecast(points, NOW, thresholds), {
      currentUtilizationPercent: 60,
      dailyGrowthPercent: 1,
      exhaustsOn: '2027-05-21',
      criticalOn: '2027-05-01',
      basedOnPoints: 3,
    });
  });

  it('fits points that are not on a line', () => {
    const now = '2027-01-10T00:00:00.000Z';
    const points = [
      { at: daysBefore(2, now), utilizationPercent: 0 },
      { at: daysBefore(1, now), utilizationPercent: 1 },
      { at: now, utilizationPercent: 5 },
    ];
    // slope 2.5 %/day, 4.5 % now: 100 % after 38.2 days (2027-02-17T04:48Z), 80 % after 30.2 days.
    assert.deepEqual(forecast(points, now, thresholds), {
      currentUtilizationPercent: 5,
      dailyGrowthPercent: 2.5,
      exhaustsOn: '2027-02-17',
      criticalOn: '2027-02-09',
      basedOnPoints: 3,
    });
  });

  it('gives null when flat or falling', () => {
    const flat = [
      { at: daysBefore(10), utilizationPercent: 50 },
      { at: daysBefore(5), utilizationPercent: 50 },
    ];
    assert.deepEqual(forecast(flat, NOW, thresholds), { currentUtilizationPercent: 50, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: null, basedOnPoints: 2 });
    const falling = [
      { at: daysBefore(10), utilizationPercent: 60 },
      { at: daysBefore(5), utilizationPercent: 50 },
    ];
    assert.deepEqual(forecast(falling, NOW, thresholds), { currentUtilizationPercent: 50, dailyGrowthPercent: -2, exhaustsOn: null, criticalOn: null, basedOnPoints: 2 });
  });

  it('gives null with fewer than 2 points', () => {
    assert.deepEqual(forecast([], NOW, thresholds), { currentUtilizationPercent: 0, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: null, basedOnPoints: 0 });
    assert.deepEqual(forecast([{ at: daysBefore(3), utilizationPercent: 40 }], NOW, thresholds), {
      currentUtilizationPercent: 40,
      dailyGrowthPercent: 0,
      exhaustsOn: null,
      criticalOn: null,
      basedOnPoints: 1,
    });
  });

  it('gives today for a level already reached', () => {
    const full = [
      { at: daysBefore(10), utilizationPercent: 90 },
      { at: daysBefore(1), utilizationPercent: 100 },
    ];
    assert.deepEqual(forecast(full, NOW, thresholds), { currentUtilizationPercent: 100, dailyGrowthPercent: 1.1111, exhaustsOn: '2027-04-11', criticalOn: '2027-04-11', basedOnPoints: 2 });
    const critical = [
      { at: daysBefore(10), utilizationPercent: 85 },
      { at: daysBefore(1), utilizationPercent: 85 },
    ];
    assert.deepEqual(forecast(critical, NOW, thresholds), { currentUtilizationPercent: 85, dailyGrowthPercent: 0, exhaustsOn: null, criticalOn: '2027-04-11', basedOnPoints: 2 });
  });

  it('gives today when the line has already crossed though the latest value is below', () => {
    const points = [
      { at: daysBefore(2), utilizationPercent: 0 },
      { at: daysBefore(1), utilizationPercent: 99 },
      { at: NOW, utilizationPercent: 98 },
    ];
    const result = forecast(points, NOW, thresholds);
    assert.equal(result.exhaustsOn, '2027-04-11');
    assert.equal(result.dailyGrowthPercent, 49);
  });

  it('fits only the last 365 days up to now, but takes the current value from the latest past point', () => {
    const points = [
      { at: daysBefore(400), utilizationPercent: 10 },
      { at: daysBefore(366), utilizationPercent: 80 },
      { at: daysBefore(365), utilizationPercent: 20 },
      { at: daysBefore(0), utilizationPercent: 30.5 },
      { at: '2027-05-01T00:00:00.000Z', utilizationPercent: 99 },
    ];
    const result = forecast(points, NOW, thresholds);
    assert.equal(result.basedOnPoints, 2);
    assert.equal(result.currentUtilizationPercent, 30.5);
    assert.equal(result.dailyGrowthPercent, 0.0288);
    assert.equal(forecast([{ at: daysBefore(400), utilizationPercent: 10 }], NOW, thresholds).currentUtilizationPercent, 10);
  });
});

describe('forecastSeries', () => {
  it('gives the points of the window, oldest first, and the line at the present', () => {
    const points = [
      { at: daysBefore(400), utilizationPercent: 5 },
      { at: daysBefore(20), utilizationPercent: 40 },
      { at: daysBefore(40), utilizationPercent: 20 },
      { at: daysBefore(-10), utilizationPercent: 90 },
    ];
    // In the window: (-40, 20), (-20, 40); the line rises 1 %/day and reaches 60 now.
    assert.deepEqual(forecastSeries(points, NOW), {
      points: [{ at: daysBefore(40), utilizationPercent: 20 }, { at: daysBefore(20), utilizationPercent: 40 }],
      fittedNowPercent: 60,
    });
    assert.deepEqual(forecastSeries(points.slice(0, 2), NOW), { points: [{ at: daysBefore(20), utilizationPercent: 40 }], fittedNowPercent: null });
  });
});
