import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommandMix, racksFor } from '../support/command-mix';
import { readModelSnapshot, rebuildProjections } from '../support/read-model-snapshot';
import { waitForProjections } from '../support/service-client';
import { slotPopBuilder } from '../support/slot-pops';
import { appendToStorage } from '../support/storage-store';
import { KEYS, printTable, sized, startServiceUnderTest, streamHistory } from './reliability-support';

const CLIENTS = 16;
const LOAD_MS = sized(3_000, 20_000);
/** Commands per second the slot PoPs are sized for. */
const MAX_RATE = 2_000;

interface Acknowledged {
  streamId: string;
  eventIds: string[];
}

describe('reliability: SIGKILL during a load run', { timeout: sized(240_000, 900_000) }, () => {
  it('keeps every acknowledged command, and its read models equal a fresh rebuild', async () => {
    const pops = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
    const racks = racksFor(pops.length, MAX_RATE, LOAD_MS / 1000);
    const liveAt = Date.now() - 60 * 86_400_000;
    const sut = await startServiceUnderTest('crash', (storage) => appendToStorage(storage, pops.map((popId) => slotPopBuilder(popId, racks, liveAt).toStream())));
    try {
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up with the prepared log');
      const mix = new CommandMix(pops, racks, 'crash', new Date().toISOString());
      const acknowledged: Acknowledged[] = [];
      const refused: string[] = [];
      let unanswered = 0;
      let stopped = false;
      const url = sut.url;
      const clients = Array.from({ length: CLIENTS }, async () => {
        while (!stopped) {
          try {
            const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.planner}` }, body: mix.next() });
            const body = (await response.json()) as { data?: Record<string, Acknowledged>; errors?: Array<{ message: string }> };
            if (body.errors?.length || !body.data) refused.push(body.errors?.[0].message ?? `HTTP ${response.status}`);
            else acknowledged.push(Object.values(body.data)[0]);
          } catch {
            unanswered += 1; // in flight when the process died, or sent after
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
      await sut.service.kill();
      stopped = true;
      await Promise.all(clients);

      await sut.restart();
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up after the restart');
      const stored = new Map<string, Set<string>>();
      let duplicates = 0;
      let gaps = 0;
      for (const popId of pops) {
        const events = await streamHistory(sut.url, `pop-${popId}`);
        stored.set(`pop-${popId}`, new Set(events.map((e) => e.eventId)));
        const entities = events.map((e) => e.data.deviceId ?? e.data.reservationId ?? e.data.feedId ?? e.data.rackId ?? e.type);
        duplicates += events.length - new Set(events.map((e) => e.eventId)).size + (entities.length - new Set(entities).size);
        gaps += events.filter((e, i) => e.revision !== i).length;
      }
      const missing = acknowledged.flatMap((a) => a.eventIds.filter((id) => !stored.get(a.streamId)?.has(id)));
      const landed = [...stored.values()].reduce((n, ids) => n + ids.size, 0);

      const asOf = new Date().toISOString();
      const live = await readModelSnapshot(sut.url, KEYS.admin, pops, asOf);
      const replayed = await rebuildProjections(sut.url, KEYS.admin);
      const rebuilt = await readModelSnapshot(sut.url, KEYS.admin, pops, asOf);
      printTable(`SIGKILL after ${LOAD_MS} ms of load from ${CLIENTS} clients (${sut.storage.kind})`, ['acknowledged', 'refused', 'unanswered', 'events stored', 'missing acknowledged', 'duplicates', 'revision gaps', 'rebuild replayed', 'read models = rebuild'], [
        [acknowledged.length, refused.length, unanswered, landed, missing.length, duplicates, gaps, replayed, JSON.stringify(live) === JSON.stringify(rebuilt) ? 'yes' : 'NO'],
      ]);
      assert.ok(acknowledged.length > 0, 'the load got answers before the kill');
      assert.deepEqual(refused, []);
      assert.deepEqual(missing, []);
      assert.equal(duplicates, 0);
      assert.equal(gaps, 0);
      assert.deepEqual(rebuilt, live);
    } finally {
      await sut.close();
    }
  });
});
