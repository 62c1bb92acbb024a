import { CommandMix } from '../test/support/command-mix';
import { graphql } from '../test/support/service-client';
import { WebhookReceiverThread } from './webhook-receiver-thread';
import { measureCommands } from './command-load';
import { percentile } from './latency';

export interface OutboundResult {
  /** Mean of the runs without a subscription, each before and after one with (A-B-A-B-A: drift of the machine or the tables cancels). */
  ratePerSWithout: number;
  ratesWithout: number[];
  /** Mean of the runs with one. */
  ratePerSWith: number;
  ratesWith: number[];
  lagP50Ms: number;
  lagP99Ms: number;
  lagSamples: number;
  delivered: number;
}

const SECRET = 'bench-webhook-secret-0123456789';

/**
 * Outbound events on a running service: the command rate without and with one webhook subscription (a
 * local receiver on loopback, in a worker thread of its own, that answers 204), interleaved `rounds` times and ending without, on the same
 * PoPs (one mix goes on through every run); each subscription is deleted once it has caught up, before the
 * next run without. In the last run with, the lag from each of `lagCommands` sequential commands' answers
 * to the delivery of its INVENTORY_CHANGED (0 when it arrives before the answer).
 */
export async function measureOutbound(
  url: string,
  adminSecret: string,
  plannerSecret: string,
  mixes: { without: CommandMix; with: CommandMix; lag: CommandMix },
  sizes: { seconds: number; warmupSeconds: number; connections: number; lagCommands: number; rounds?: number },
): Promise<OutboundResult> {
  const rounds = sizes.rounds ?? 2;
  const load = (mix: CommandMix) => measureCommands(url, plannerSecret, mix, sizes.seconds, sizes.warmupSeconds, sizes.connections);
  const receiver = await WebhookReceiverThread.start('/bench', SECRET);
  const ratesWithout: number[] = [];
  const ratesWith: number[] = [];
  const lags: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      ratesWithout.push((await load(mixes.without)).perS);
      const subscriptionId = `bench-${round}`;
      const created = await graphql(url, adminSecret, 'mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscriptionId } }', {
        input: { subscriptionId, url: receiver.url, eventTypes: ['INVENTORY_CHANGED', 'CAPACITY_STATUS_CHANGED'], secret: SECRET },
      });
      if (created.errors) throw new Error(`createWebhookSubscription: ${JSON.stringify(created.errors)}`);
      ratesWith.push((await load(mixes.with)).perS);
      // Let the subscription catch up with the load: before the lag is measured one command at a time, and before the next run without.
      await waitUntil(async () => (await pending(url, adminSecret)) === 0, 300_000);
      if (round === rounds) lags.push(...(await measureLag(url, plannerSecret, mixes.lag, sizes.lagCommands, receiver)));
      const deleted = await graphql(url, adminSecret, 'mutation($id: ID!) { deleteWebhookSubscription(input: { subscriptionId: $id }) { subscriptionId } }', { id: subscriptionId });
      if (deleted.errors) throw new Error(`deleteWebhookSubscription: ${JSON.stringify(deleted.errors)}`);
    }
    ratesWithout.push((await load(mixes.without)).perS);
    return {
      ratePerSWithout: mean(ratesWithout),
      ratesWithout,
      ratePerSWith: mean(ratesWith),
      ratesWith,
      lagP50Ms: percentile(lags, 0.5),
      lagP99Ms: percentile(lags, 0.99),
      lagSamples: lags.length,
      delivered: receiver.arrivals.size,
    };
  } finally {
    await receiver.close();
  }
}

/** From each sequential command's answer to the arrival of its first event's delivery (0 when it came first). */
async function measureLag(url: string, secret: string, mix: CommandMix, commands: number, receiver: WebhookReceiverThread): Promise<number[]> {
  const lags: number[] = [];
  for (let i = 0; i < commands; i++) {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` }, body: mix.next() });
    const answeredAt = performance.timeOrigin + performance.now();
    const body = (await response.json()) as { data?: Record<string, { eventIds: string[] }> };
    const id = Object.values(body.data ?? {})[0]?.eventIds?.[0];
    if (!id) throw new Error(`a lag command failed: ${JSON.stringify(body)}`);
    await receiver.waitFor(id, 60_000);
    lags.push(Math.max(0, (receiver.arrivals.get(id) as number) - answeredAt));
  }
  return lags;
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
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
