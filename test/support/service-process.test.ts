import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { processCpu } from './service-process';

describe('processCpu (the benchmark\'s service CPU per command)', () => {
  it('counts the CPU a process burns, in ms, and its main thread\'s wait for a core', () => {
    const before = processCpu(process.pid);
    const started = process.cpuUsage();
    let spent = 0;
    while (spent < 200_000) {
      const { user, system } = process.cpuUsage(started);
      spent = user + system;
    }
    const after = processCpu(process.pid);
    // /proc counts in 10 ms ticks; other threads (GC) may add to it, never take away.
    assert.ok(after.cpuMs - before.cpuMs >= spent / 1000 - 20, `${after.cpuMs - before.cpuMs} ms counted for ${spent / 1000} ms burnt`);
    assert.ok(after.runnableWaitMs >= before.runnableWaitMs && before.runnableWaitMs >= 0, `run-queue wait ${before.runnableWaitMs} then ${after.runnableWaitMs} ms`);
  });
});
