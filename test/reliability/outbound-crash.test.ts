import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WebhookReceiver } from '../outbound/webhook-receiver';
import { graphql, mutationDocument, waitForProjections } from '../support/service-client';
import { KEYS, printTable, sized, startServiceUnderTest } from './reliability-support';

/**
 * SIGKILL of the service while it delivers webhooks and records the outbox, then a restart on the same
 * storage (docs/outbound-events.md): every acknowledged event is delivered at least once, in log order
 * per subscription, none twice but across the crash; a rebuild afterwards sends nothing again.
 */

const SECRET = 'crash-secret-0123456789';
const POPS = ['oc1', 'oc2', 'oc3', 'oc4'];
const DEVICES = sized(40, 42);

interface Acknowledged {
  id: string;
  position: string;
}

async function command(url: string, name: string, input: Record<string, unknown>): Promise<Acknowledged> {
  const answer = await graphql<Record<string, { eventIds: string[]; position: string }>>(url, KEYS.admin, mutationDocument(name), { input });
  if (!answer.data?.[name]) throw new Error(`${name}: ${JSON.stringify(answer.errors)}`);
  return { id: answer.data[name].eventIds[0], position: answer.data[name].position };
}

describe('reliability: SIGKILL during outbound delivery', { timeout: sized(300_000, 900_000) }, () => {
  it('delivers every acknowledged event at least once and in order after a restart; a rebuild sends nothing again', async () => {
    const receiver = await WebhookReceiver.start();
    const all = receiver.endpoint('/all', SECRET, () => ({ status: 200, delayMs: 15 }));
    const flaky = receiver.endpoint('/flaky', SECRET, (n) => (n % 3 === 2 ? 500 : 200));
    const sut = await startServiceUnderTest('outbound', undefined, { OUTBOX_RETRY_BASE_MS: '50' });
    try {
      for (const [subscriptionId, url] of [['all', all], ['flaky', flaky]]) {
        const created = await graphql(sut.url, KEYS.admin, 'mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscriptionId } }', {
          input: { subscriptionId, url, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET },
        });
        assert.equal(created.errors, undefined, JSON.stringify(created.errors));
      }
      const acknowledged: Acknowledged[] = [];
      // Sent with a commandId: after the crash, a resend answers the first result (the event ids) if it had landed.
      const at = '2026-01-01T00:00:00Z';
      const steps = (popId: string): Array<[string, Record<string, unknown>]> => [
        ['registerPop', { popId, code: popId.toUpperCase(), name: popId, kind: 'PHYSICAL', operatorModel: 'OWNED', countryCode: 'DE', effectiveAt: at }],
        ['leaseSite', { popId, leaseId: 'l1', lessor: 'x', startsOn: '2026-01-01', monthlyCost: { amount: '1.00', currency: 'EUR' }, effectiveAt: at }],
        ['installRack', { popId, rackId: 'r1', effectiveAt: at }],
        ['addPowerFeed', { popId, feedId: 'fa', rackId: 'r1', side: 'A', phase: 'SINGLE', voltage: 230, amperage: 32, effectiveAt: at }],
        ...Array.from({ length: DEVICES }, (_, i): [string, Record<string, unknown>] => [
          'installDevice',
          { popId, deviceId: `d${i + 1}`, rackId: 'r1', role: 'SERVER', positionU: i + 1, heightU: 1, powerDrawWatts: 100, effectiveAt: `2026-02-01T00:${String(i).padStart(2, '0')}:00Z` },
        ]),
      ];
      const done = new Map(POPS.map((popId) => [popId, 0]));
      let killed = false;
      const load = (url: () => string) =>
        Promise.all(
          POPS.map(async (popId) => {
            const list = steps(popId);
            while (!killed && (done.get(popId) as number) < list.length) {
              const index = done.get(popId) as number;
              const [name, input] = list[index];
              try {
                acknowledged.push(await command(url(), name, { ...input, commandId: `${popId}-${index}` }));
                done.set(popId, index + 1);
              } catch (error) {
                if (!killed) throw error;
              }
            }
          }),
        );
      const first = load(() => sut.url);
      await receiver.waitFor((d) => d.filter((x) => x.path === '/all').length >= 40, 120_000, 'deliveries under way');
      killed = true;
      await sut.service.kill();
      await first;
      const beforeCrash = receiver.deliveries.length;

      await sut.restart();
      killed = false;
      await load(() => sut.url);
      assert.ok(await waitForProjections(sut.url, KEYS.admin, 120_000), 'projections catch up');
      const expected = [...new Map(acknowledged.map((a) => [a.id, a])).values()].sort((a, b) => (a.position < b.position ? -1 : 1));
      const wanted = new Set(expected.map((a) => a.id));
      const delivered = (path: string) => new Set(receiver.at(path).filter((d) => d.answered === 200).map((d) => d.body.id));
      await receiver.waitFor(() => [...wanted].every((id) => delivered('/all').has(id) && delivered('/flaky').has(id)), 180_000, 'every acknowledged event at both subscriptions');
      const changesAt = (path: string) => new Set(receiver.at(path).filter((x) => x.answered === 200 && x.body.type === 'CAPACITY_STATUS_CHANGED').map((x) => x.body.id)).size;
      await receiver.waitFor(() => changesAt('/all') >= 3 * POPS.length && changesAt('/flaky') >= 3 * POPS.length, 60_000, 'status changes');

      const rows: Array<Array<string | number>> = [];
      for (const path of ['/all', '/flaky']) {
        const ok = receiver.at(path).filter((d) => d.answered === 200);
        assert.ok(ok.every((d) => d.signatureValid), `${path}: signed`);
        const firsts = [...new Set(ok.map((d) => d.body.id))];
        const ordered = firsts.filter((id) => wanted.has(id));
        assert.deepEqual(ordered, expected.map((a) => a.id), `${path}: first deliveries in log order`);
        const counts = new Map<string, number>();
        for (const d of ok) counts.set(d.body.id, (counts.get(d.body.id) ?? 0) + 1);
        const twice = [...counts.values()].filter((n) => n === 2).length;
        assert.ok([...counts.values()].every((n) => n <= 2), `${path}: at most once more, across the crash`);
        // Each PoP: space to WARNING (30 U of 42) and CRITICAL (34 U), power to WARNING (4 kW of 5.5936).
        const changes = ok.filter((d) => d.body.type === 'CAPACITY_STATUS_CHANGED');
        assert.deepEqual(new Set(changes.map((d) => `${d.body.popId} ${d.body.data.resource} ${d.body.data.from}->${d.body.data.to}`)), new Set(POPS.flatMap((p) => [`${p} SPACE_U OK->WARNING`, `${p} SPACE_U WARNING->CRITICAL`, `${p} POWER_KW OK->WARNING`])));
        rows.push([path, expected.length, firsts.length, ok.length, twice, receiver.at(path).length - ok.length]);
      }

      // A rebuild of every read model (the outbox included) sends nothing again.
      const mark = receiver.deliveries.length;
      const rebuilt = await graphql(sut.url, KEYS.admin, 'mutation { rebuildProjections { projections } }');
      assert.equal(rebuilt.errors, undefined, JSON.stringify(rebuilt.errors));
      const last = await command(sut.url, 'removeDevice', { popId: 'oc1', deviceId: 'd1' });
      await receiver.waitFor((d) => d.filter((x) => x.path === '/all' && x.body.id === last.id).length > 0 && d.filter((x) => x.path === '/flaky' && x.answered === 200 && x.body.id === last.id).length > 0, 120_000, 'the event after the rebuild');
      const seen = new Set(receiver.deliveries.slice(0, mark).map((d) => d.body.id));
      const afterRebuild = receiver.deliveries.slice(mark).filter((d) => d.answered === 200);
      assert.deepEqual(afterRebuild.filter((d) => seen.has(d.body.id)).map((d) => `${d.path} ${d.body.type}`), [], 'nothing delivered before is sent again');
      assert.ok(afterRebuild.some((d) => d.body.id === last.id));
      printTable(`Outbound delivery across a SIGKILL (${sut.storage.kind}; ${beforeCrash} POSTs before the kill)`, ['subscription', 'acknowledged', 'distinct delivered', '2xx POSTs', 'delivered twice', 'failed POSTs'], rows);
    } catch (error) {
      console.log(sut.service.output());
      throw error;
    } finally {
      await sut.close();
      await receiver.close();
    }
  });
});
