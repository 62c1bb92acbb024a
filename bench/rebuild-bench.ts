import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { processMemoryKb } from '../test/support/service-process';

export interface RebuildMeasurement {
  events: number;
  /** As the rebuild reports it: replay, index builds and swap, without process start-up. */
  eventsPerS: number;
  wallSeconds: number;
  peakRssMb: number;
}

const REBUILT = /Rebuilt (.*): (\d+) events in ([\d.]+) s/;

/**
 * `node <out>/src/tools/cli/rebuild.cli.js` as a child process on the given storage, its peak resident
 * memory sampled from /proc (VmHWM) while it runs.
 */
export function measureRebuild(outDir: string, env: Record<string, string>): Promise<RebuildMeasurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(outDir, 'src', 'tools', 'cli', 'rebuild.cli.js')], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let peakKb = 0;
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const sampler = setInterval(() => {
      peakKb = Math.max(peakKb, processMemoryKb(child.pid as number).peak);
    }, 20);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sampler);
      const wallSeconds = (performance.now() - started) / 1000;
      const match = REBUILT.exec(output);
      if (code !== 0 || !match) return reject(new Error(`rebuild exited with ${code}: ${output.slice(-600)}`));
      const events = Number(match[2]);
      const seconds = Number(match[3]);
      resolve({ events, eventsPerS: events / Math.max(seconds, 0.001), wallSeconds, peakRssMb: peakKb / 1024 });
    });
  });
}
