import 'reflect-metadata';
import { CommandMix, racksFor } from '../test/support/command-mix';
import { graphql } from '../test/support/service-client';
import { processCpu } from '../test/support/service-process';
import { KEYS } from '../test/support/test-app';
import { WebhookReceiver } from '../test/outbound/webhook-receiver';
import { backendCpuMs, backendCpuSpentMs, PROBE_DATABASE_URL, probeArguments, runMain, runProbe } from './probe-runner';
import { measureCommands } from './command-load';

const POPS = 50;
const WARMUP_S = 3;
const MAX_RATE = 2_000;
const SECRET = 'probe-webhook-secret-0123456789';

/**
 * What one webhook subscription costs per command, for A/B work on the delivery path: `node
 * dist/bench/outbound-probe.js [<main.js> ...] [--seconds=8] [--rounds=1]`. Each round starts every given build in
 * turn on a fresh schema seeded with 50 slot PoPs and runs the bench's command load without a subscription, then
 * with one (INVENTORY_CHANGED and CAPACITY_STATUS_CHANGED to a receiver in this process), until it has caught up.
 * Per accepted command it prints the CPU of the service, of its PostgreSQL backends and of this process (load
 * generator and receiver), so the delivery's own cost shows whatever the machine's load.
 */
async function main(): Promise<void> {
  const { mains, option } = probeArguments();
  const seconds = option('seconds', 8);
  const rounds = option('rounds', 1);
  const pops = Array.from({ length: POPS }, (_, i) => `load${i}`);
  const racks = racksFor(POPS, MAX_RATE, WARMUP_S + 2 * seconds + 2);
  const receiver = await WebhookReceiver.start({ keep: false });
  let delivered = 0;
  try {
    await runProbe(mains, rounds, { pops, racks }, async (service, main) => {
      const mix = new CommandMix(pops, racks, 'ob', new Date().toISOString());
      const phase = async (label: string, during: () => Promise<{ ok: number; perS: number }>) => {
        const backends = await backendCpuMs(service.pid, PROBE_DATABASE_URL);
        const serviceBefore = processCpu(service.pid).cpuMs;
        const ownBefore = process.cpuUsage();
        const deliveredBefore = delivered;
        const { ok, perS } = await during();
        const deliveries = delivered - deliveredBefore;
        const own = process.cpuUsage(ownBefore);
        const server = backendCpuSpentMs(backends, await backendCpuMs(service.pid, PROBE_DATABASE_URL));
        const perCommand = (ms: number) => `${Math.round((ms * 1_000) / ok)} µs`;
        console.log(
          `${main} ${label}: ${Math.round(perS)} commands/s; per command: service ${perCommand(processCpu(service.pid).cpuMs - serviceBefore)}, ` +
            `server ${perCommand(server)}, load generator and receiver ${perCommand((own.user + own.system) / 1_000)}; ${(deliveries / ok).toFixed(2)} deliveries per command`,
        );
      };
      const load = (s: number) => measureCommands(service.url, KEYS.planner, mix, s, 0);
      await load(WARMUP_S);
      await phase('without', () => load(seconds));
      const hook = receiver.endpoint(`/probe-${service.pid}`, SECRET, () => {
        delivered += 1;
        return 204;
      });
      const created = await graphql(service.url, KEYS.admin, 'mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscriptionId } }', {
        input: { subscriptionId: 'probe', url: hook, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET },
      });
      if (created.errors) throw new Error(`createWebhookSubscription: ${JSON.stringify(created.errors)}`);
      // Its deliveries are waited for within the phase: catching up is part of what they cost.
      await phase('with', async () => {
        const result = await load(seconds);
        await caughtUp(service.url);
        return result;
      });
    });
  } finally {
    await receiver.close();
  }
}

async function caughtUp(url: string): Promise<void> {
  for (;;) {
    const answer = await graphql<{ webhookSubscriptions: Array<{ pending: number }> }>(url, KEYS.admin, '{ webhookSubscriptions { pending } }');
    if (answer.data?.webhookSubscriptions.every((s) => s.pending === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

runMain(main);
