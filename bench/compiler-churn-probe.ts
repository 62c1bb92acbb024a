import 'reflect-metadata';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandMix, racksFor } from '../test/support/command-mix';
import { createServiceStorage } from '../test/support/service-storage';
import { SERVICE_MAIN, startServiceProcess } from '../test/support/service-process';
import { appendToStorage } from '../test/support/storage-store';
import { API_KEYS, KEYS } from '../test/support/test-app';
import { benchPop } from './bench-pops';
import { MAX_COMMAND_RATE } from './bench-sizes';
import { describeCpu, describeFailures, measureCommands } from './command-load';
import { PROBE_DATABASE_URL } from './probe-runner';

const DAY = 86_400_000;
const MARK = '@@churn-probe';
const MARK_EVERY_S = 5;

/**
 * What V8's optimizing compiler does under the command load once it should have settled, for A/B work:
 * `node dist/bench/compiler-churn-probe.js [<main.js> ...] [--rounds=3] [--warmup=15] [--seconds=45] [--settle=20] [--pops=100]`.
 * Each round starts every given build (default: this one) in turn on a fresh schema of the PostgreSQL server
 * (DATABASE_URL) seeded with slot PoPs only, with `--trace-opt --trace-deopt` (their output in a file), sends
 * `warmup` seconds of the bench's command load, then measures `seconds` more: the service's CPU per command
 * from /proc (and the part of it on threads other than the main one), and per 5 s the optimizations, deoptimizations and compile time (the background thread's wall
 * time, which a loaded machine inflates). After `settle` seconds of the measured load, the functions still
 * (re)compiled, by compile time: the ones that never settle. V8 writes its traces through a buffered stdout,
 * so an interval's lines may land in the next one by a buffer's worth (a few dozen lines).
 */
async function main(): Promise<void> {
  const mains = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const option = (name: string, fallback: number) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
  const [rounds, warmup, seconds, settle, popCount] = [option('rounds', 1), option('warmup', 15), option('seconds', 45), option('settle', 20), option('pops', 100)];
  if (mains.length === 0) mains.push(SERVICE_MAIN);
  const pops = Array.from({ length: popCount }, (_, i) => `load${i}`);
  const racks = racksFor(pops.length, MAX_COMMAND_RATE, warmup + seconds);
  const dir = mkdtempSync(join(tmpdir(), 'churn-probe-'));
  // startServiceProcess passes these to node.
  process.env.SERVICE_NODE_ARGS = [process.env.SERVICE_NODE_ARGS ?? '', '--trace-opt --trace-deopt'].join(' ').trim();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const [b, main] of mains.entries()) {
        const now = Date.now();
        const storage = await createServiceStorage('postgres', PROBE_DATABASE_URL, 'churn');
        const trace = join(dir, `${round}-${b}.log`);
        try {
          await appendToStorage(storage, pops.map((popId, i) => benchPop(popId, racks, i, now - 60 * DAY)));
          const service = await startServiceProcess({ env: { ...storage.env, API_KEYS, RATE_LIMIT_PER_SECOND: '1000000' }, main, stdoutFile: trace });
          const marks = openSync(trace, 'a');
          try {
            const mix = new CommandMix(pops, racks, `c${round}b${b}`, new Date(now).toISOString());
            await measureCommands(service.url, KEYS.planner, mix, warmup, 0);
            writeSync(marks, `\n${MARK}\n`);
            const threadsBefore = backgroundCpuMs(service.pid);
            const timer = setInterval(() => writeSync(marks, `\n${MARK}\n`), MARK_EVERY_S * 1_000);
            const c = await measureCommands(service.url, KEYS.planner, mix, seconds, 0, undefined, service.pid).finally(() => clearInterval(timer));
            // The end of the load: what follows (the service stopping) is not counted.
            writeSync(marks, `\n${MARK}\n`);
            const background = (backgroundCpuMs(service.pid) - threadsBefore) / Math.max(c.ok, 1);
            const failures = describeFailures(c);
            console.log(`${main} (round ${round + 1}): ${Math.round(c.perS)} commands/s${describeCpu(c)}, ${background.toFixed(3)} ms of it on threads other than the main one (compiler, GC, libuv)${failures ? `; ${failures}` : ''}`);
            console.log(describeChurn(readFileSync(trace, 'utf8'), settle));
          } finally {
            closeSync(marks);
            await service.stop();
          }
        } finally {
          await storage.dispose();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU (user and system, ms) of every thread of a process but its main one, from /proc; a thread gone meanwhile is not counted. */
function backgroundCpuMs(pid: number): number {
  let ms = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    if (tid === String(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return ms;
}

/** Per interval of the measured load, and in total from `settle` seconds on, what the trace shows. */
function describeChurn(trace: string, settle: number): string {
  const intervals = trace.split(`\n${MARK}\n`).slice(1, -1);
  const counted = intervals.map(count);
  const lines = counted.map((c, i) => `  ${(i + 1) * MARK_EVERY_S} s: ${c.optimized} optimized, ${c.deopts} deoptimized, compile ${Math.round(c.compileMs)} ms`);
  const late = count(intervals.slice(Math.floor(settle / MARK_EVERY_S)).join('\n'));
  const top = [...late.byFunction].sort((a, b) => b[1].ms - a[1].ms).slice(0, 8);
  lines.push(`  from ${settle} s on: ${late.optimized} optimized, ${late.deopts} deoptimized (${[...late.reasons].map(([reason, n]) => `${n}× ${reason}`).join(', ')}), compile ${Math.round(late.compileMs)} ms`);
  lines.push(`  by compile time: ${top.map(([name, f]) => `${name} ${Math.round(f.ms)} ms/${f.n}×`).join(', ')}`);
  return lines.join('\n');
}

const COMPILED = /\[completed compiling 0x[0-9a-f]+ <JSFunction (?:([^ >(]+) )?\(sfi[^\]]*took [\d.]+, ([\d.]+), [\d.]+ ms\]/g;
const DEOPT = /\[bailout \(kind: [^,]+, reason: ([^)]*)\)/g;

function count(text: string) {
  const byFunction = new Map<string, { ms: number; n: number }>();
  let compileMs = 0;
  let optimized = 0;
  for (const [, name, ms] of text.matchAll(COMPILED)) {
    const key = name ?? '(anonymous)';
    const entry = byFunction.get(key) ?? { ms: 0, n: 0 };
    entry.ms += Number(ms);
    entry.n++;
    byFunction.set(key, entry);
    compileMs += Number(ms);
    optimized++;
  }
  const reasons = new Map<string, number>();
  for (const [, reason] of text.matchAll(DEOPT)) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  const deopts = [...reasons.values()].reduce((sum, n) => sum + n, 0);
  return { optimized, deopts, compileMs, byFunction, reasons };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
