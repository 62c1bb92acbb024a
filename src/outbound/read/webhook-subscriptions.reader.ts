import { SqlQueryable } from '../../platform/database/sql-client.port';
import type { OutboundEventType } from '../domain/outbound.enums';
import { WebhookSubscriptionNode } from './webhook-subscription.types';

interface SubscriptionRow {
  subscription_id: string;
  url: string;
  event_types: OutboundEventType[] | string;
  created_at: Date | string;
  delivered_count: string | number;
  failing_since: Date | string | null;
  last_error: string | null;
  dead_lettered: string | number;
  pending: string | number;
}

const INT_MAX = 2_147_483_647;
const count = (value: string | number) => Math.min(Number(value), INT_MAX);
const iso = (value: Date | string) => new Date(value).toISOString();

/** Subscriptions with their counters, ordered by id (all of them, or one). */
export async function readWebhookSubscriptions(q: SqlQueryable, subscriptionId?: string): Promise<WebhookSubscriptionNode[]> {
  const { rows } = await q.query<SubscriptionRow>(
    `SELECT s.subscription_id, s.url, s.event_types, s.created_at, s.delivered_count, s.failing_since, s.last_error,
            (SELECT count(*) FROM webhook_dead_letters d WHERE d.subscription_id = s.subscription_id AND NOT d.redeliver) AS dead_lettered,
            (SELECT count(*) FROM outbox_events e WHERE e.seq > s.cursor AND e.type = ANY(s.event_types))
              + (SELECT count(*) FROM webhook_dead_letters d WHERE d.subscription_id = s.subscription_id AND d.redeliver) AS pending
       FROM webhook_subscriptions s
      WHERE $1::text IS NULL OR s.subscription_id = $1::text
      ORDER BY s.subscription_id`,
    [subscriptionId ?? null],
  );
  return rows.map((row) => ({
    subscriptionId: row.subscription_id,
    url: row.url,
    eventTypes: parseTextArray(row.event_types) as OutboundEventType[],
    createdAt: iso(row.created_at),
    deliveredCount: count(row.delivered_count),
    failingSince: row.failing_since === null ? null : iso(row.failing_since),
    deadLettered: count(row.dead_lettered),
    pending: count(row.pending),
    lastError: row.last_error,
  }));
}

/** text[] arrives as an array, or as its `{a,b}` literal where a driver does not parse arrays. */
export function parseTextArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((item) => item.replace(/^"|"$/g, ''));
}
