import { graphqlFailure, type CommandMix } from '../test/support/command-mix';
import { runLoad } from '../test/support/http-load';
import { processCpu } from '../test/support/service-process';
import { percentile } from './latency';

export interface CommandLoadResult {
  perS: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  failed: number;
  notProjected: number;
  failures: Record<string, number>;
  /** Per accepted command over the measured load, when the service's pid was given: see `describeCpu`. */
  cpu?: { cpuMs: number; runnableWaitMs: number };
}

/** A load's `failure` (graphqlFailure) that also counts the successful answers with `projected: false` since the last `reset`. */
export function projectionCounter(): { failure(status: number, body: string): string | null; notProjected(): number; reset(): void } {
  let notProjected = 0;
  return {
    failure: (status, body) => {
      const reason = graphqlFailure(status, body);
      if (reason === null && body.includes('"projected":false')) notProjected += 1;
      return reason;
    },
    notProjected: () => notProjected,
    reset: () => {
      notProjected = 0;
    },
  };
}

/**
 * Warm-up (unmeasured), then `seconds` of closed-loop load from `connections` clients, each command a
 * distinct valid one; with `servicePid`, the service's CPU over the measured load too.
 */
export async function measureCommands(url: string, secret: string, mix: CommandMix, seconds: number, warmupSeconds: number, connections = 16, servicePid?: number): Promise<CommandLoadResult> {
  const projection = projectionCounter();
  const load = (durationS: number) => runLoad({ url, path: '/graphql', headers: { authorization: `Bearer ${secret}` }, connections, durationS, body: () => mix.next(), failure: projection.failure });
  await load(warmupSeconds);
  projection.reset();
  const before = servicePid === undefined ? undefined : processCpu(servicePid);
  const result = await load(seconds);
  const after = servicePid === undefined ? undefined : processCpu(servicePid);
  if (mix.slotsLeft < 0) throw new Error('the slot PoPs ran out of free slots: give them more racks');
  return {
    perS: result.okPerSecond,
    p50Ms: percentile(result.latenciesMs, 0.5),
    p99Ms: percentile(result.latenciesMs, 0.99),
    ok: result.ok,
    failed: result.failed,
    notProjected: projection.notProjected(),
    failures: result.failures,
    cpu: before && after && result.ok > 0 ? { cpuMs: (after.cpuMs - before.cpuMs) / result.ok, runnableWaitMs: (after.runnableWaitMs - before.runnableWaitMs) / result.ok } : undefined,
  };
}

/**
 * The service's CPU per command, the figure that survives a crowded machine, and its main thread's wait
 * for a core per command, which a CPU profile counts as time spent where the thread was preempted.
 */
export function describeCpu(result: CommandLoadResult): string {
  if (!result.cpu) return '';
  return `; service CPU ${result.cpu.cpuMs.toFixed(2)} ms per command, its main thread runnable but waiting for a core ${result.cpu.runnableWaitMs.toFixed(2)} ms per command`;
}

export function describeFailures(result: { failed: number; failures: Record<string, number>; notProjected?: number }): string {
  const parts = [];
  if (result.failed > 0) parts.push(`${result.failed} failed: ${Object.entries(result.failures).map(([reason, n]) => `${n}× ${reason}`).join('; ')}`);
  if (result.notProjected) parts.push(`${result.notProjected} answered projected: false`);
  return parts.join('; ');
}
