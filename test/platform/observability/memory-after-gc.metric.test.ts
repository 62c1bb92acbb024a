import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, it } from 'node:test';
import { MetricsService } from '../../../src/platform/observability/metrics.service';

setFlagsFromString('--expose-gc');
const fullGc = runInNewContext('gc') as () => void;

const inUse = () => {
  const { rss, heapTotal, heapUsed } = process.memoryUsage();
  return rss - (heapTotal - heapUsed);
};

async function gauge(metrics: MetricsService): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('popledger_memory_in_use_after_full_gc_bytes')?.get();
  return metric?.values[0]?.value ?? NaN;
}

/** The soak's memory measure (test/support/soak-load.ts) reads this gauge: it must leave uncollected garbage out. */
describe('memory in use after a full collection (/metrics)', () => {
  const metrics = new MetricsService();
  after(() => metrics.onModuleDestroy());

  it('is read when a full collection ends: garbage collected by it, or made after it, does not count', async () => {
    let garbage: number[][] | null = Array.from({ length: 40 }, () => Array.from({ length: 131_072 }, (_, i) => i + 0.5)); // about 40 MB of doubles
    const withGarbage = inUse();
    assert.equal(garbage.length, 40);
    garbage = null;
    fullGc();
    // The GC entries reach the observer asynchronously.
    for (let i = 0; i < 50 && !((await gauge(metrics)) > 0); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const reading = await gauge(metrics);
    assert.ok(reading > 0, 'set after the full collection');
    // Not all 40 MB: V8 hands freed pages back to the system from a thread of its own, so some are still resident when it reads.
    assert.ok(reading < withGarbage - 10 * 1_048_576, `${(reading / 1_048_576).toFixed(0)} MB after the collection vs ${(withGarbage / 1_048_576).toFixed(0)} MB with 40 MB of garbage`);
    // 16 MB more: well under the old generation's limit after a collection, so V8 does not start another meanwhile.
    const later = Array.from({ length: 16 }, () => Array.from({ length: 131_072 }, (_, i) => i + 0.5));
    assert.equal(await gauge(metrics), reading, 'a scrape after more garbage still reads the last full collection');
    assert.equal(later.length, 16);
  });
});
