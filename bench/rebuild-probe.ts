import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { processCpu, processMemoryKb } from '../test/support/service-process';
import { PROBE_DATABASE_URL, runMain } from './probe-runner';

/**
 * A/B of the rebuild alone: `node dist/bench/rebuild-probe.js <out dir> [<out dir> ...] --schema=<name> [--rounds=N]`
 * runs each build's rebuild CLI in turn, round after round, on the same seeded schema of the PostgreSQL
 * server (DATABASE_URL; seed it first with the seed CLI), and prints per run the rate the CLI reports and
 * the CPU of its process and of its server backends (from /proc, sampled while it runs: which side is the
 * bottleneck, whatever else loads the machine). `--profile` adds `--cpu-prof` to the rebuild process.
 */
async function main(): Promise<void> {
  const builds = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const schema = option('schema');
  if (builds.length === 0 || !schema) throw new Error('usage: rebuild-probe.js <out dir>... --schema=<name> [--rounds=N] [--names=a,b] [--profile]');
  const rounds = Number(option('rounds') ?? 3);
  const names = option('names')?.split(',') ?? [];
  const base = PROBE_DATABASE_URL;
  for (let round = 0; round < rounds; round++) {
    for (const build of builds) {
      const r = await rebuildOnce(build, base, schema, names, process.argv.includes('--profile'));
      const perMillion = (ms: number) => ((ms / r.events) * 1e6) / 1000;
      console.log(
        [
          `round ${round + 1}`,
          build,
          `${r.events} events`,
          `${Math.round(r.eventsPerS)} events/s`,
          `process ${(r.processMs / 1000).toFixed(2)} s (${perMillion(r.processMs).toFixed(1)} s/M)`,
          `server ${(r.serverMs / 1000).toFixed(2)} s (${perMillion(r.serverMs).toFixed(1)} s/M)`,
          `peak RSS ${Math.round(r.peakKb / 1024)} MB`,
          `load ${loadavg()[0].toFixed(1)}`,
        ].join(' | '),
      );
    }
  }
}

interface Run {
  events: number;
  eventsPerS: number;
  processMs: number;
  serverMs: number;
  peakKb: number;
}

const REBUILT = /Rebuilt .*: (\d+) events in ([\d.]+) s/;

async function rebuildOnce(build: string, databaseUrl: string, schema: string, names: string[], profile: boolean): Promise<Run> {
  const tag = `rebuild_probe_${process.pid}`;
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', tag);
  const monitor = new Client({ connectionString: databaseUrl });
  await monitor.connect();
  const backends = new Map<number, number>();
  let processMs = 0;
  let peakKb = 0;
  try {
    const child = spawn(process.execPath, [...(profile ? ['--cpu-prof', '--cpu-prof-dir=/tmp/rebuild-prof'] : []), join(build, 'src', 'tools', 'cli', 'rebuild.cli.js'), ...names], {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', DATABASE_URL: url.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    const pid = child.pid as number;
    while (running) {
      try {
        processMs = processCpu(pid).cpuMs;
        peakKb = Math.max(peakKb, processMemoryKb(pid).peak);
      } catch {
        // exited between the check and the read
      }
      const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [tag]);
      for (const row of rows) {
        try {
          backends.set(row.pid, processCpu(row.pid).cpuMs);
        } catch {
          // the backend ended
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const code = await exited;
    const match = REBUILT.exec(output);
    if (code !== 0 || !match) throw new Error(`rebuild exited with ${code}: ${output.slice(-600)}`);
    const events = Number(match[1]);
    const serverMs = [...backends.values()].reduce((sum, ms) => sum + ms, 0);
    return { events, eventsPerS: events / Number(match[2]), processMs, serverMs, peakKb };
  } finally {
    await monitor.end();
  }
}

runMain(main);
