import assert from 'node:assert/strict';
import { EUR, mutation, physicalPopSetup } from '../support/fixtures';
import { TestApp } from '../support/test-app';

/** GraphQL helpers of the outbound tests. */

export const SUBSCRIPTION_FIELDS = 'subscriptionId url eventTypes createdAt deliveredCount failingSince deadLettered pending lastError';

export async function run(app: TestApp, name: string, input: Record<string, unknown>): Promise<{ eventIds: string[]; position: string }> {
  const response = await app.gql(mutation(name), { input });
  assert.equal(response.errors, undefined, `${name}: ${JSON.stringify(response.errors)}`);
  assert.equal(response.data[name].projected, true, `${name} projected`);
  return response.data[name];
}

export async function subscribe(app: TestApp, input: { subscriptionId: string; url: string; eventTypes: string[]; secret: string }): Promise<Record<string, any>> {
  const response = await app.gql(
    `mutation($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { ${SUBSCRIPTION_FIELDS} } }`,
    { input },
  );
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  return response.data.createWebhookSubscription;
}

export async function subscriptions(app: TestApp): Promise<Array<Record<string, any>>> {
  const response = await app.gql(`{ webhookSubscriptions { ${SUBSCRIPTION_FIELDS} } }`);
  assert.equal(response.errors, undefined, JSON.stringify(response.errors));
  return response.data.webhookSubscriptions;
}

/** Registers a physical PoP with one redundant rack (usable 5.5936 kW) at `at`. */
export async function physicalPop(app: TestApp, popId: string, at: string): Promise<void> {
  for (const [name, input] of physicalPopSetup(popId, at)) await run(app, name, input);
}

export { EUR };

/** A device drawing `watts` (of the rack's usable 5,593.6 W) in U `position`. */
export function device(popId: string, deviceId: string, position: number, watts: number, effectiveAt?: string): Record<string, unknown> {
  return { popId, deviceId, rackId: 'r1', role: 'SERVER', positionU: position, heightU: 1, powerDrawWatts: watts, ...(effectiveAt ? { effectiveAt } : {}) };
}

/** Polls `read` until `done` holds (deadline generous: the machine may be busy). */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function subscription(app: TestApp, subscriptionId: string): Promise<Record<string, any>> {
  const found = (await subscriptions(app)).find((s) => s.subscriptionId === subscriptionId);
  assert.ok(found, `subscription ${subscriptionId}`);
  return found;
}
