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

/** The gauge once it moves from `previous`: the reading outside the JS heap comes a second after the collection. */
async function nextReading(metrics: MetricsService, previous: number): Promise<number> {
  for (let i = 0; i < 150 && (await gauge(metrics)) === previous; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return gauge(metrics);
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
    const reading = await nextReading(metrics, 0);
    assert.ok(reading > 0, 'set after the full collection');
    assert.ok(reading < withGarbage - 25 * 1_048_576, `${(reading / 1_048_576).toFixed(0)} MB after the collection vs ${(withGarbage / 1_048_576).toFixed(0)} MB with 40 MB of garbage`);
    // 16 MB more: well under the old generation's limit after a collection, so V8 does not start another meanwhile.
    const later = Array.from({ length: 16 }, () => Array.from({ length: 131_072 }, (_, i) => i + 0.5));
    assert.equal(await gauge(metrics), reading, 'a scrape after more garbage still reads the last full collection');
    assert.equal(later.length, 16);
  });

  it('is split by part, and the parts add up to it', async () => {
    fullGc();
    await nextReading(metrics, await gauge(metrics));
    const parts = (await metrics.registry.getSingleMetric('popledger_memory_in_use_after_full_gc_part_bytes')?.get())?.values ?? [];
    const byPart = new Map(parts.map((p) => [String(p.labels.part), p.value]));
    for (const part of ['js_heap_old_space', 'js_heap_code_space', 'js_heap_large_object_space', 'external', 'native_rest']) assert.ok(byPart.has(part), `part ${part}`);
    assert.ok((byPart.get('js_heap_old_space') ?? 0) > 0);
    const sum = [...byPart.values()].reduce((a, b) => a + b, 0);
    assert.equal(sum, await gauge(metrics));
  });
});
