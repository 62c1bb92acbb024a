import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

/** The compiled service next to the compiled tests: <out>/test/support -> <out>/src/main.js. */
export const SERVICE_MAIN = join(__dirname, '..', '..', 'src', 'main.js');

/** The service's launcher, which holds its Node flags, as `npm start` and the image run it: <root>/dist/test/support -> <root>/scripts/service.sh. */
export const SERVICE_LAUNCHER = join(__dirname, '..', '..', '..', 'scripts', 'service.sh');

export interface ServiceProcess {
  url: string;
  pid: number;
  /** stdout and stderr so far (for error messages). */
  output(): string;
  /** Current and peak resident memory (kB), from /proc. */
  memoryKb(): { rss: number; peak: number };
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
  /** SIGKILL: a crash, no shutdown hooks. */
  kill(): Promise<void>;
  exited(): boolean;
}

export interface StartOptions {
  /** Environment of the service on top of PATH and friends (DATABASE_URL or DATA_DIR, API_KEYS, ...). */
  env: Record<string, string>;
  startTimeoutMs?: number;
  main?: string;
  /** The service's stdout appended to this file instead of kept (V8's --trace-opt/--trace-deopt write there, far more than `output` keeps). */
  stdoutFile?: string;
  /** Node flags before main.js, after SERVICE_NODE_ARGS (a probe's A/B of the service's flags). */
  nodeArgs?: string[];
}

/** Variables of the service's configuration contract that must come only from `env`, never from ours. */
const CONTRACT = [
  'PORT', 'DATA_DIR', 'DATABASE_URL', 'EVENT_STORE', 'EVENTSTORE_CONNECTION_STRING', 'API_KEYS', 'PROCUREMENT_WEBHOOK_SECRET', 'CAPACITY_WARN_PERCENT',
  'CAPACITY_CRITICAL_PERCENT', 'READ_YOUR_WRITES_TIMEOUT_MS', 'RATE_LIMIT_PER_SECOND', 'LOG_LEVEL', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'EVENTSTORE_MAX_APPEND_BYTES',
  'OUTBOX_RETRY_BASE_MS', 'OUTBOX_MAX_ATTEMPTS', 'OUTBOX_DELIVERY_TIMEOUT_MS', 'NATS_URL',
];

/** Our environment without the service's configuration contract, then `env` on top (LOG_LEVEL warn unless given). */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CONTRACT) delete result[name];
  // No rate limit unless a test sets one: load tests send far more than the default 100 per second.
  return Object.assign(result, { LOG_LEVEL: 'warn', RATE_LIMIT_PER_SECOND: '0', ...env });
}

interface Child {
  child: ChildProcess;
  output(): string;
  exit: Promise<number | null>;
  exited(): boolean;
  /** "code 0", "signal SIGKILL", or '' while running. */
  exitedWith(): string;
}

function spawnChild(args: string[], env: NodeJS.ProcessEnv, stdoutFile?: string, command = process.execPath): Child {
  const stdout = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', stdout, 'pipe'] });
  // The child holds its own copy of the descriptor.
  if (typeof stdout === 'number') closeSync(stdout);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exitedWith = '';
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = signal ? `signal ${signal}` : `code ${code}`;
      resolve(code);
    }),
  );
  return { child, output: () => output, exit, exited: () => exitedWith !== '', exitedWith: () => exitedWith };
}

/** Starts `sh scripts/service.sh dist/src/main.js` (node with the service's flags) on a free loopback port and resolves once /health answers 200. */
export async function startServiceProcess(options: StartOptions): Promise<ServiceProcess> {
  const port = await freePort();
  // The launcher execs the `node` first on PATH: ours, so the service runs on the Node the tests run on.
  const env = childEnv({ ...options.env, PORT: String(port), PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` });
  // SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/profiles": profile the service a benchmark loads.
  const nodeArgs = process.env.SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const { child, output, exit, exited, exitedWith } = spawnChild([SERVICE_LAUNCHER, ...nodeArgs, ...(options.nodeArgs ?? []), options.main ?? SERVICE_MAIN], env, options.stdoutFile, 'sh');
  const url = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    url,
    pid: child.pid as number,
    output,
    memoryKb: () => processMemoryKb(child.pid as number),
    exited,
    async stop(graceMs = 15_000) {
      if (exited()) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!exited()) child.kill('SIGKILL');
      await exit;
    },
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`The service exited during start-up (${exitedWith()}):\n${output()}`);
    if (await healthy(url)) return service;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await service.kill();
  throw new Error(`The service did not answer /health within ${options.startTimeoutMs ?? 120_000} ms:\n${output()}`);
}

/** The rebuild CLI (`npm run rebuild`), compiled next to the tests: <out>/test/support -> <out>/src/tools/cli/rebuild.cli.js. */
export const REBUILD_CLI = join(__dirname, '..', '..', 'src', 'tools', 'cli', 'rebuild.cli.js');

export interface CliProcess {
  pid: number;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
  exited(): boolean;
  exitedWith(): string;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/** Starts a CLI of the service (`node <script> ...args`) with the service's environment contract taken only from `env`. */
export function startCliProcess(script: string, args: string[], env: Record<string, string>): CliProcess {
  const { child, output, exit, exited, exitedWith } = spawnChild([script, ...args], childEnv(env));
  return {
    pid: child.pid as number,
    output,
    exit,
    exited,
    exitedWith,
    async kill() {
      if (!exited()) child.kill('SIGKILL');
      await exit;
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * CPU time of a live process (every thread, user and system, ms) and how long its main thread has waited
 * runnable for a core (ms), from Linux's /proc. On a shared machine a thread is preempted mostly when it
 * wakes another process, as a socket write to PostgreSQL does, and V8's `--cpu-prof` puts that wait on the
 * frame it interrupted: this tells CPU from waiting (docs/operations.md, "The write path, stage by stage").
 */
export function processCpu(pid: number): { cpuMs: number; runnableWaitMs: number } {
  // Fields after the command name, from the state (field 3) on: utime and stime are fields 14 and 15.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // In USER_HZ, which Linux fixes at 100 for what /proc reports.
  const cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
  // The main thread's time on a core and waiting on a run queue, in ns.
  const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number);
  return { cpuMs, runnableWaitMs: waitNs / 1e6 };
}

/** Resident and peak resident memory (kB) of a live process; zeros once it is gone. */
export function processMemoryKb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
