import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { processCpu, startServiceProcess } from './service-process';

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

describe('startServiceProcess with stdoutFile (V8 traces of the service)', () => {
  it('appends the whole of the service\'s stdout to the file, and keeps its stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stdout-file-'));
    try {
      // A stand-in service: more stdout than `output()` keeps, a line of stderr, and /health.
      const main = join(dir, 'main.js');
      writeFileSync(main, `
        for (let i = 0; i < 3000; i++) console.log('line ' + i + ' of the trace');
        console.error('on stderr');
        require('node:http').createServer((req, res) => res.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
      `);
      const file = join(dir, 'stdout.log');
      writeFileSync(file, 'before\n');
      const service = await startServiceProcess({ env: {}, main, stdoutFile: file });
      await service.stop();
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.equal(lines[0], 'before');
      assert.equal(lines[1], 'line 0 of the trace');
      assert.equal(lines[3000], 'line 2999 of the trace');
      assert.match(service.output(), /on stderr/);
      assert.doesNotMatch(service.output(), /of the trace/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
