import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FuzzCases, type FuzzRequest } from './fuzz-cases';
import { globalEventCount, KEYS, printTable, sized, startServiceUnderTest } from './reliability-support';

const REQUESTS = sized(1_000, 10_000);
const WORKERS = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 1);

interface Tally {
  sent: number;
  ok: number;
  client: number;
  server: number;
}

describe('reliability: fuzzed requests', { timeout: sized(180_000, 900_000) }, () => {
  it(`answers ${REQUESTS} malformed requests without a 5xx, a crash, an appended event or growing memory`, async () => {
    const sut = await startServiceUnderTest('fuzz');
    try {
      const cases = new FuzzCases(SEED, { admin: KEYS.admin, procurement: KEYS.procurement });
      const before = await globalEventCount(sut);
      const tallies = new Map<string, Tally>();
      const serverErrors: string[] = [];
      let sent = 0;
      let warmRssKb = 0;
      const send = async (request: FuzzRequest) => {
        let status = 0;
        let body = '';
        try {
          const response = await fetch(`${sut.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000) });
          status = response.status;
          body = await response.text();
        } catch (error) {
          body = (error as Error).message;
        }
        const group = request.kind.split(/[: ]/)[0];
        const tally = tallies.get(group) ?? { sent: 0, ok: 0, client: 0, server: 0 };
        tallies.set(group, tally);
        tally.sent += 1;
        if (status >= 200 && status < 300) tally.ok += 1;
        else if (status >= 400 && status < 500) tally.client += 1;
        else {
          tally.server += 1;
          serverErrors.push(`${request.kind} -> ${status || 'no answer'}: ${body.slice(0, 200)}`);
        }
      };
      await Promise.all(
        Array.from({ length: WORKERS }, async () => {
          while (sent < REQUESTS) {
            sent += 1;
            if (sent === Math.ceil(REQUESTS / 10)) warmRssKb = sut.service.memoryKb().rss;
            await send(cases.next());
          }
        }),
      );
      const endRssKb = sut.service.memoryKb().rss;
      const health = await fetch(`${sut.url}/health`).then((r) => r.status, () => 0);
      const after = await globalEventCount(sut);
      printTable(`${REQUESTS} fuzzed requests (seed ${SEED}, ${WORKERS} at a time, ${sut.storage.kind})`, ['kind', 'sent', '2xx', '4xx', '5xx or none'], [
        ...[...tallies].map(([group, t]) => [group, t.sent, t.ok, t.client, t.server]),
        ['events in the log', `before ${before}`, `after ${after}`, '', ''],
        ['service RSS (MB)', `after 10%: ${(warmRssKb / 1024).toFixed(0)}`, `at the end: ${(endRssKb / 1024).toFixed(0)}`, `alive: ${!sut.service.exited()}`, `health: ${health}`],
      ]);
      assert.deepEqual(serverErrors.slice(0, 10), []);
      assert.equal(sut.service.exited(), false);
      assert.equal(health, 200);
      assert.equal(after, before);
      assert.ok(endRssKb <= Math.max(warmRssKb * 1.5, warmRssKb + 150 * 1024), `RSS grew from ${warmRssKb} kB to ${endRssKb} kB`);
    } finally {
      await sut.close();
    }
  });
});
