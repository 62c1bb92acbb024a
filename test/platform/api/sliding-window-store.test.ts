import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { SlidingWindowStore } from '../../../src/platform/api/http/sliding-window-store.adapter';

function hit(store: SlidingWindowStore, key: string, max = 3, window = 1000): { current: number; ttl: number } {
  let result: { current: number; ttl: number } | undefined;
  store.incr(key, (error, r) => {
    assert.equal(error, null);
    result = r;
  }, window, max);
  return result as { current: number; ttl: number };
}

describe('sliding-window rate-limit store', () => {
  it('lets max requests through per key in any window, refused ones taking no slot, and says when a slot frees', () => {
    mock.timers.enable({ apis: ['Date'], now: 0 });
    try {
      const store = new SlidingWindowStore();
      assert.deepEqual([hit(store, 'a'), hit(store, 'a')].map((r) => r.current), [1, 2]);
      mock.timers.tick(400);
      assert.equal(hit(store, 'a').current, 3);
      assert.deepEqual(hit(store, 'a'), { current: 4, ttl: 600 }, 'refused until the first two leave the window');
      assert.equal(hit(store, 'b').current, 1, 'another key has its own window');
      mock.timers.tick(599);
      assert.equal(hit(store, 'a').current, 4);
      mock.timers.tick(1);
      assert.equal(hit(store, 'a').current, 2, 'at 1000 ms the two requests of 0 ms have left; this one takes a slot');
      assert.equal(hit(store, 'a').current, 3);
      assert.deepEqual(hit(store, 'a'), { current: 4, ttl: 400 });
    } finally {
      mock.timers.reset();
    }
  });

  it('never answers more than max requests within any window, whatever the arrival pattern', () => {
    mock.timers.enable({ apis: ['Date'], now: 0 });
    try {
      const store = new SlidingWindowStore();
      const passed: number[] = [];
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let i = 0; i < 20_000; i++) {
        mock.timers.tick(Math.floor(random() * 30));
        if (hit(store, 'k', 10).current <= 10) passed.push(Date.now());
      }
      let worst = 0;
      for (let first = 0, last = 0; last < passed.length; last++) {
        while (passed[last] - passed[first] >= 1000) first++;
        worst = Math.max(worst, last - first + 1);
      }
      assert.equal(worst, 10);
    } finally {
      mock.timers.reset();
    }
  });
});
