import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { OutboundEventType } from '../domain/outbound.enums';

/**
 * Writes of the webhook subscriptions. A new subscription starts at the end of the outbox: it gets the
 * events recorded after it exists.
 */
export async function insertSubscription(
  q: SqlQueryable,
  subscription: { subscriptionId: string; url: string; eventTypes: OutboundEventType[]; secret: string; createdBy: string },
): Promise<boolean> {
  const { rowCount } = await q.query(
    `INSERT INTO webhook_subscriptions (subscription_id, url, event_types, secret, created_by, cursor)
     VALUES ($1, $2, $3::text[], $4, $5, coalesce((SELECT next_seq - 1 FROM outbox_state WHERE id = 1), 0))
     ON CONFLICT (subscription_id) DO NOTHING`,
    [subscription.subscriptionId, subscription.url, subscription.eventTypes, subscription.secret, subscription.createdBy],
  );
  return rowCount > 0;
}

/** Deletes the subscription with its dead letters; false when there was none. */
export async function deleteSubscription(q: SqlQueryable, subscriptionId: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId]);
  return rowCount > 0;
}

/**
 * Queues the dead letters for delivery again, before the events that follow, with fresh attempts; the
 * subscription tries at once. False when the subscription does not exist.
 */
export async function queueRedelivery(q: SqlQueryable, subscriptionId: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE webhook_subscriptions SET attempts = 0, next_attempt_at = NULL WHERE subscription_id = $1',
    [subscriptionId],
  );
  if (rowCount === 0) return false;
  await q.query('UPDATE webhook_dead_letters SET redeliver = true, attempts = 0 WHERE subscription_id = $1 AND NOT redeliver', [subscriptionId]);
  return true;
}
