import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { graphql, mutationDocument } from '../support/service-client';
import { slotPopBuilder, SLOT_RACK_U } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { KEYS, printTable, startServiceUnderTest, streamHistory, type ServiceUnderTest } from './reliability-support';

const INSTALL = mutationDocument('installDevice');

describe('reliability: concurrent commands on one PoP', { timeout: 180_000 }, () => {
  let sut: ServiceUnderTest;
  before(async () => {
    sut = await startServiceUnderTest('concurrency', (storage) => appendToStorage(storage, [slotPopBuilder('busy', 6, Date.now() - 60 * 86_400_000).toStream()]));
  });
  after(() => sut?.close());

  it('lands all of 200 concurrent installDevice into distinct slots, each exactly once', async () => {
    const before = await streamHistory(sut.url, 'pop-busy');
    const inputs = Array.from({ length: 200 }, (_, i) => ({
      popId: 'busy',
      deviceId: `dev${i}`,
      rackId: `r${Math.floor(i / SLOT_RACK_U) + 1}`,
      role: 'SERVER',
      positionU: (i % SLOT_RACK_U) + 1,
      heightU: 1,
      powerDrawWatts: 50,
    }));
    const answers = await Promise.all(inputs.map((input) => graphql(sut.url, KEYS.planner, INSTALL, { input })));
    const events = await streamHistory(sut.url, 'pop-busy');
    const installed = events.filter((e) => e.type === 'DeviceInstalled').map((e) => e.data.deviceId as string);
    const failed = answers.filter((a) => a.errors);
    printTable('200 concurrent installDevice, distinct slots, one PoP', ['sent', 'accepted', 'failed', 'events appended', 'distinct devices', 'revisions'], [
      [200, 200 - failed.length, failed.length, events.length - before.length, new Set(installed).size, `0..${events[events.length - 1].revision}`],
    ]);
    assert.deepEqual(failed.map((a) => a.errors?.[0].message), []);
    assert.equal(events.length - before.length, 200);
    assert.deepEqual([...installed].sort(), inputs.map((i) => i.deviceId).sort());
    assert.deepEqual(events.map((e) => e.revision), events.map((_, i) => i));
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    const answeredIds = answers.flatMap((a) => a.data?.installDevice.eventIds as string[]);
    assert.deepEqual(new Set(answeredIds), new Set(events.slice(before.length).map((e) => e.eventId)));
  });

  it('lets exactly one of 50 concurrent installs into the same slot land; the rest are SPACE_OVERLAP', async () => {
    const before = await streamHistory(sut.url, 'pop-busy');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        graphql(sut.url, KEYS.planner, INSTALL, { input: { popId: 'busy', deviceId: `contender${i}`, rackId: 'r6', role: 'ROUTER', positionU: 10, heightU: 2, powerDrawWatts: 400 } }),
      ),
    );
    const events = await streamHistory(sut.url, 'pop-busy');
    const rejections = answers.filter((a) => a.errors).map((a) => `${a.errors?.[0].extensions?.code} ${a.errors?.[0].extensions?.rule}`);
    printTable('50 concurrent installDevice into rack r6 U10-U11', ['sent', 'accepted', 'RULE_VIOLATION SPACE_OVERLAP', 'other', 'events appended'], [
      [50, answers.length - rejections.length, rejections.filter((r) => r === 'RULE_VIOLATION SPACE_OVERLAP').length, rejections.filter((r) => r !== 'RULE_VIOLATION SPACE_OVERLAP').length, events.length - before.length],
    ]);
    assert.equal(answers.length - rejections.length, 1);
    assert.deepEqual(rejections, Array(49).fill('RULE_VIOLATION SPACE_OVERLAP'));
    assert.equal(events.length - before.length, 1);
  });
});
