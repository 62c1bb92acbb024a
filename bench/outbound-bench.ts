import { CommandMix } from '../test/support/command-mix';
import { graphql } from '../test/support/service-client';
import { WebhookReceiver } from '../test/outbound/webhook-receiver';
import { measureCommands } from './command-load';
import { percentile } from './latency';

export interface OutboundResult {
  /** Mean of the runs before and after the one with the subscription (A-B-A: drift of the machine or the tables cancels). */
  ratePerSWithout: number;
  /** The two runs without. */
  ratesWithout: [number, number];
  ratePerSWith: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagSamples: number;
  delivered: number;
}

const SECRET = 'bench-webhook-secret-0123456789';

/**
 * Outbound events on a running service: the command rate without, with one webhook subscription (a local
 * receiver on loopback that answers 204), and without again once it is deleted; while it is active, the
 * lag from each of `lagCommands` sequential commands' answers to the delivery of its INVENTORY_CHANGED
 * (0 when it arrives before the answer).
 */
export async function measureOutbound(
  url: string,
  adminSecret: string,
  plannerSecret: string,
  mixes: { without: CommandMix; with: CommandMix; lag: CommandMix },
  sizes: { seconds: number; warmupSeconds: number; connections: number; lagCommands: number },
): Promise<OutboundResult> {
  const without = await measureCommands(url, plannerSecret, mixes.without, sizes.seconds, sizes.warmupSeconds, sizes.connections);
  const receiver = await WebhookReceiver.start();
  const arrivals = new Map<string, number>();
  try {
    const hook = receiver.endpoint('/bench', SECRET, (_, body) => {
      if (!arrivals.has(body.id)) arrivals.set(body.id, performance.now());
      return 204;
    });
    const created = await graphql(url, adminSecret, 'mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscriptionId } }', {
      input: { subscriptionId: 'bench', url: hook, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET },
    });
    if (created.errors) throw new Error(`createWebhookSubscription: ${JSON.stringify(created.errors)}`);
    const withHook = await measureCommands(url, plannerSecret, mixes.with, sizes.seconds, sizes.warmupSeconds, sizes.connections);
    // Let the subscription catch up with the load before the lag is measured one command at a time.
    await waitUntil(async () => (await pending(url, adminSecret)) === 0, 300_000);
    const lags: number[] = [];
    const afterwards = async () => {
      const deleted = await graphql(url, adminSecret, 'mutation { deleteWebhookSubscription(input: { subscriptionId: "bench" }) { subscriptionId } }');
      if (deleted.errors) throw new Error(`deleteWebhookSubscription: ${JSON.stringify(deleted.errors)}`);
      return measureCommands(url, plannerSecret, mixes.without, sizes.seconds, sizes.warmupSeconds, sizes.connections);
    };
    for (let i = 0; i < sizes.lagCommands; i++) {
      const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${plannerSecret}` }, body: mixes.lag.next() });
      const answeredAt = performance.now();
      const body = (await response.json()) as { data?: Record<string, { eventIds: string[] }> };
      const id = Object.values(body.data ?? {})[0]?.eventIds?.[0];
      if (!id) throw new Error(`a lag command failed: ${JSON.stringify(body)}`);
      await receiver.waitFor(() => arrivals.has(id), 60_000, `delivery of ${id}`);
      lags.push(Math.max(0, (arrivals.get(id) as number) - answeredAt));
    }
    const withoutAgain = await afterwards();
    return {
      ratePerSWithout: (without.perS + withoutAgain.perS) / 2,
      ratesWithout: [without.perS, withoutAgain.perS],
      ratePerSWith: withHook.perS,
      lagP50Ms: percentile(lags, 0.5),
      lagP99Ms: percentile(lags, 0.99),
      lagSamples: lags.length,
      delivered: arrivals.size,
    };
  } finally {
    await receiver.close();
  }
}

async function pending(url: string, secret: string): Promise<number> {
  const answer = await graphql<{ webhookSubscriptions: Array<{ pending: number }> }>(url, secret, '{ webhookSubscriptions { pending } }');
  return answer.data?.webhookSubscriptions.reduce((sum, s) => sum + s.pending, 0) ?? Infinity;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the webhook subscription did not catch up with the load');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
