import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SingleBar, Presets } from 'cli-progress';
import type { RebuildReport } from './rebuild-worker.cli';

/**
 * The rebuild's young generation (V8's semi-spaces are a third of it each: 64 MB instead of 16). A batch's
 * events and rows then mostly die before a scavenge copies them (operations.md, "The rebuild, an eleventh
 * look"). A V8 flag would have to be on node's command line; a worker's resource limit applies wherever
 * the CLI is started (`npm run rebuild`, the image, the bench).
 */
const YOUNG_GENERATION_MB = 192;

/**
 * `npm run rebuild [-- name ...]`: rebuilds read models into fresh tables and swaps them in. Against a
 * PostgreSQL server it can run beside live instances; the embedded PGlite directory must not be open
 * in a running service at the same time. The rebuild runs in a worker thread (rebuild-worker.cli.ts);
 * this thread shows its progress and its result.
 */
function main(): void {
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const bar = new SingleBar({ format: 'rebuild [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left', etaBuffer: 50 }, Presets.shades_classic);
  const fail = (message: string) => {
    bar.stop();
    console.error(message);
    process.exit(1);
  };
  let started = false;
  const worker = new Worker(join(__dirname, 'rebuild-worker.cli.js'), {
    workerData: names,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  worker.on('message', (report: RebuildReport) => {
    if ('progress' in report) {
      const { events, total } = report.progress;
      if (!started) bar.start(Math.max(total, 1), 0);
      started = true;
      bar.setTotal(Math.max(total, events, 1));
      bar.update(events);
    } else if ('rebuilt' in report) {
      const result = report.rebuilt;
      bar.stop();
      const rate = result.durationMs > 0 ? Math.round((result.events / result.durationMs) * 1000) : result.events;
      console.log(`Rebuilt ${result.projections.join(', ') || 'nothing'}: ${result.events} events in ${(result.durationMs / 1000).toFixed(1)} s (${rate} events/s)`);
    } else fail(report.failed);
  });
  worker.on('error', (error) => fail(`Rebuild failed: ${error.message}`));
  worker.on('exit', (code) => {
    if (code !== 0) fail(`Rebuild failed: its worker exited with ${code}`);
  });
}

main();
