import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  capacityStatus,
  feedKw,
  isRedundant,
  popUsableKw,
  rackProvisionedKw,
  rackUsableKw,
  round4,
  utilizationPercent,
  worstStatus,
} from '../../../src/inventory/domain/capacity.math';

const thresholds = { warnPercent: 70, criticalPercent: 80 };
const rating = { deratingPercent: 80, powerFactor: 0.95 };

describe('feed power', () => {
  it('single phase 230 V × 32 A with default derating and power factor is 5.5936 kW', () => {
    assert.equal(round4(feedKw({ phase: 'SINGLE', voltage: 230, amperage: 32, ...rating })), 5.5936);
  });

  it('three phase 400 V × 32 A (line-to-line, ×√3) is 16.8494 kW', () => {
    assert.equal(round4(feedKw({ phase: 'THREE', voltage: 400, amperage: 32, ...rating })), 16.8494);
  });

  it('uses the given derating and power factor', () => {
    assert.equal(round4(feedKw({ phase: 'SINGLE', voltage: 230, amperage: 32, deratingPercent: 100, powerFactor: 1 })), 7.36);
    assert.equal(round4(feedKw({ phase: 'THREE', voltage: 208, amperage: 30, ...rating })), 8.2141);
  });
});

describe('rack power', () => {
  const aOnly = { aKw: 5.5936, bKw: 0, aFeeds: 1, bFeeds: 0 };
  const ab = { aKw: 11.1872, bKw: 5.5936, aFeeds: 2, bFeeds: 1 };

  it('without both sides, usable is everything provisioned', () => {
    assert.equal(rackProvisionedKw(aOnly), 5.5936);
    assert.equal(isRedundant(aOnly), false);
    assert.equal(rackUsableKw(aOnly, null), 5.5936);
  });

  it('with feeds on A and B, usable is the weaker side', () => {
    assert.equal(round4(rackProvisionedKw(ab)), 16.7808);
    assert.equal(isRedundant(ab), true);
    assert.equal(rackUsableKw(ab, null), 5.5936);
  });

  it('maxPowerKw caps usable power', () => {
    assert.equal(rackUsableKw(ab, 4), 4);
    assert.equal(rackUsableKw(ab, 8), 5.5936);
  });

  it('an unfed rack has nothing', () => {
    assert.equal(rackUsableKw({ aKw: 0, bKw: 0, aFeeds: 0, bFeeds: 0 }, 10), 0);
  });
});

describe('PoP power', () => {
  it('caps Σ racks’ usable by the contracted power only when a lease sets it', () => {
    assert.equal(popUsableKw(30, 0, 0), 30);
    assert.equal(popUsableKw(30, 20, 1), 20);
    assert.equal(popUsableKw(30, 45, 2), 30);
    assert.equal(popUsableKw(30, 0, 1), 0);
  });
});

describe('utilization and status', () => {
  it('is demand over capacity in percent', () => {
    assert.equal(utilizationPercent(35, 50), 70);
    assert.equal(round4(utilizationPercent(1, 3)), 33.3333);
  });

  it('reports zero capacity with demand as 100, without demand as 0', () => {
    assert.equal(utilizationPercent(5, 0), 100);
    assert.equal(utilizationPercent(0, 0), 0);
  });

  it('is OK below warn, WARNING from warn, CRITICAL from critical (on the reported value)', () => {
    assert.equal(capacityStatus(0, thresholds), 'OK');
    assert.equal(capacityStatus(69.99994, thresholds), 'OK');
    assert.equal(capacityStatus(69.99996, thresholds), 'WARNING');
    assert.equal(capacityStatus(70, thresholds), 'WARNING');
    assert.equal(capacityStatus(79.9999, thresholds), 'WARNING');
    assert.equal(capacityStatus(80, thresholds), 'CRITICAL');
    assert.equal(capacityStatus(100, thresholds), 'CRITICAL');
  });

  it('overall is the worst', () => {
    assert.equal(worstStatus(['OK', 'OK', 'OK']), 'OK');
    assert.equal(worstStatus(['OK', 'WARNING', 'OK']), 'WARNING');
    assert.equal(worstStatus(['WARNING', 'CRITICAL', 'OK']), 'CRITICAL');
  });
});

describe('round4', () => {
  it('rounds to 4 decimals and never answers -0', () => {
    assert.equal(round4(5.5935999999999995), 5.5936);
    assert.equal(round4(2.00004), 2);
    assert.equal(round4(2.00005), 2.0001);
    assert.ok(Object.is(round4(-0.00001), 0));
  });
});
