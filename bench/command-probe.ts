import 'reflect-metadata';
import { CommandMix, graphqlFailure, racksFor } from '../test/support/command-mix';
import { runLoad } from '../test/support/http-load';
import { KEYS } from '../test/support/test-app';
import { describeFailures } from './command-load';
import { probeArguments, runMain, runProbe, serviceCpuUs } from './probe-runner';

const POPS = 50;
const WARMUP_S = 3;
/** Above any rate this machine reaches: sizes the slot PoPs' racks. */
const MAX_RATE = 2_000;

/**
 * The command load of the bench alone, for A/B work on the GraphQL command path: `node dist/bench/command-probe.js
 * [<main.js> ...] [--seconds=10] [--rounds=1] [--rate=<commands/s>] [--store=postgres|pglite]`. Each round starts every
 * given build (default: this one) in turn on a fresh schema of the PostgreSQL server (DATABASE_URL) or, with
 * `--store=pglite`, a fresh PGlite directory (the embedded default) seeded with 50 slot PoPs, sends 3 s of
 * warm-up, then measures `seconds` of installDevice/reserveCapacity from 16 clients (closed loop, or at `rate` in
 * all): commands/s, and the service's CPU per command from /proc (a load-independent figure).
 * SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." profiles it.
 */
async function main(): Promise<void> {
  const { mains, option, store } = probeArguments();
  const seconds = option('seconds', 10);
  // A fixed rate (commands/s over all clients) keeps the projections' batches the same size in A and B,
  // which a closed loop does not: fewer commands per batch cost more CPU per command.
  const rate = option('rate', 0);
  const pops = Array.from({ length: POPS }, (_, i) => `load${i}`);
  const racks = racksFor(POPS, MAX_RATE, seconds + WARMUP_S);
  const now = Date.now();
  await runProbe(mains, option('rounds', 1), { pops, racks }, async (service, main) => {
    const mix = new CommandMix(pops, racks, 'cp', new Date(now).toISOString());
    const load = (durationS: number) =>
      runLoad({ url: service.url, path: '/graphql', headers: { authorization: `Bearer ${KEYS.planner}` }, connections: 16, durationS, ...(rate > 0 ? { overallRate: rate } : {}), body: () => mix.next(), failure: graphqlFailure });
    await load(WARMUP_S);
    const { result, cpuUs } = await serviceCpuUs(service.pid, () => load(seconds));
    const commands = result.ok + result.failed;
    const failures = describeFailures(result);
    console.log(`${main}: ${Math.round(result.okPerSecond)} commands/s, ${Math.round(cpuUs / commands)} µs service CPU per command (${commands} commands)${failures ? `; ${failures}` : ''}`);
  }, store);
}

runMain(main);
