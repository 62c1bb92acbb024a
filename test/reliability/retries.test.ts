import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer } from '../support/service-client';
import { slotPopBuilder, SLOT_RACK_U } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { KEYS, printTable, startServiceUnderTest, streamHistory, type ServiceUnderTest } from './reliability-support';

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: number;
  results: Array<{ externalId: string; status: string; eventIds: string[] }>;
}

const POPS = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'];

/** 1,000 valid records: devices into distinct slots, every fourth a circuit, spread over the PoPs. */
function records(): Array<Record<string, unknown>> {
  const occurredAt = new Date(Date.now() - 86_400_000).toISOString();
  return Array.from({ length: 1_000 }, (_, n) => {
    const popId = POPS[n % POPS.length];
    const k = Math.floor(n / POPS.length);
    const common = { externalId: `PO-2026-${String(n).padStart(5, '0')}`, occurredAt, popId };
    if (k % 4 === 3) return { ...common, kind: 'CIRCUIT_DELIVERED', circuitId: `circuit-${n}`, carrier: 'Zayo', type: 'ETHERNET', bandwidthMbps: 1_000, monthlyCost: { amount: '400.00', currency: 'EUR' } };
    const slot = k - Math.floor(k / 4);
    return { ...common, kind: 'DEVICE_DELIVERED', deviceId: `asset-${n}`, rackId: `r${Math.floor(slot / SLOT_RACK_U) + 1}`, role: 'STORAGE', positionU: (slot % SLOT_RACK_U) + 1, heightU: 1, powerDrawWatts: 60 };
  });
}

async function send(url: string, body: string): Promise<BatchAnswer> {
  const response = await fetch(`${url}/integrations/procurement/records`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(KEYS.procurement) }, body });
  assert.equal(response.status, 200);
  return (await response.json()) as BatchAnswer;
}

describe('reliability: procurement retries', { timeout: 180_000 }, () => {
  let sut: ServiceUnderTest;
  before(async () => {
    const liveAt = Date.now() - 60 * 86_400_000;
    sut = await startServiceUnderTest('retries', (storage) => appendToStorage(storage, POPS.map((popId) => slotPopBuilder(popId, 3, liveAt).toStream())));
  });
  after(() => sut?.close());

  it('appends each of 1,000 records once when the batch is sent three times at once (and again later)', async () => {
    const before = await Promise.all(POPS.map((popId) => streamHistory(sut.url, `pop-${popId}`)));
    const body = JSON.stringify({ records: records() });
    const answers = await Promise.all([send(sut.url, body), send(sut.url, body), send(sut.url, body)]);
    const late = await send(sut.url, body);
    const afterwards = await Promise.all(POPS.map((popId) => streamHistory(sut.url, `pop-${popId}`)));
    const appended = afterwards.flatMap((events, i) => events.slice(before[i].length));
    const commandIds = new Set(appended.map((e) => e.commandId));
    const firstEventIds = new Map<string, string>();
    let inconsistent = 0;
    for (const answer of [...answers, late]) {
      for (const result of answer.results) {
        const known = firstEventIds.get(result.externalId);
        if (known === undefined) firstEventIds.set(result.externalId, result.eventIds.join());
        else if (known !== result.eventIds.join()) inconsistent += 1;
      }
    }
    printTable('1,000 procurement records, sent 3× concurrently, then once more', ['send', 'accepted', 'duplicates', 'rejected'], [
      ...answers.map((a, i) => [`concurrent ${i + 1}`, a.accepted, a.duplicates, a.rejected]),
      ['later', late.accepted, late.duplicates, late.rejected],
      ['events appended', appended.length, `distinct commands ${commandIds.size}`, `answers disagreeing on eventIds ${inconsistent}`],
    ]);
    assert.equal(answers.reduce((n, a) => n + a.accepted, 0), 1_000);
    assert.equal(answers.reduce((n, a) => n + a.duplicates, 0), 2_000);
    assert.equal(answers.reduce((n, a) => n + a.rejected, 0), 0);
    assert.deepEqual([late.accepted, late.duplicates, late.rejected], [0, 1_000, 0]);
    assert.equal(appended.length, 1_000);
    assert.equal(commandIds.size, 1_000);
    assert.equal(inconsistent, 0);
  });
});
