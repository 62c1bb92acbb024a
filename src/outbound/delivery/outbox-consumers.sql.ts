import { SqlClient, SqlQueryable } from '../../platform/database/sql-client.port';
import { parseTextArray } from '../read/webhook-subscriptions.reader';

/** The name of the NATS publisher's cursor row in outbox_publishers. */
export const NATS_PUBLISHER = 'nats';

/** What a delivery worker needs of its subscription. */
export interface SubscriptionHead {
  subscriptionId: string;
  url: string;
  secret: string;
  eventTypes: string[];
  cursor: number;
  /** Failed attempts of the event at the head. */
  attempts: number;
  nextAttemptAt: number | null;
}

/** An event to deliver: from the outbox after the cursor, or a dead letter queued for redelivery. */
export interface DeliveryItem {
  seq: number;
  eventId: string;
  type: string;
  body: string;
  recordedAt: string;
  redelivery: boolean;
}

export async function listSubscriptionIds(q: SqlQueryable): Promise<string[]> {
  const { rows } = await q.query<{ subscription_id: string }>('SELECT subscription_id FROM webhook_subscriptions ORDER BY subscription_id');
  return rows.map((row) => row.subscription_id);
}

interface ItemRow {
  seq: string | number;
  event_id: string;
  type: string;
  body: string;
  recorded_at: Date | string;
}

const toItem = (redelivery: boolean) => (row: ItemRow): DeliveryItem => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  type: row.type,
  body: row.body,
  recordedAt: new Date(row.recorded_at).toISOString(),
  redelivery,
});

interface JsonItem {
  seq: number | string;
  event_id: string;
  type: string;
  body: string;
  recorded_at: string;
}

/** What one step of a subscription's worker works on. */
export interface Step {
  head: SubscriptionHead;
  /** Queued redeliveries first (they are older), else the outbox events after the cursor, in order. */
  items: DeliveryItem[];
  /** With no item: the last outbox event it may skip (none of them is for it). */
  skipTo: number | null;
}

const jsonOf = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/**
 * The subscription and its next events, in one statement: one snapshot, so when it finds no event for
 * the subscription, none of those up to the last one it saw is (rows commit in sequence order).
 */
export async function readStep(q: SqlQueryable, subscriptionId: string, limit: number): Promise<Step | undefined> {
  const { rows } = await q.query<{
    url: string;
    secret: string;
    event_types: string[] | string;
    cursor: string | number;
    attempts: number;
    next_attempt_at: Date | string | null;
    last_seq: string | number | null;
    redeliveries: JsonItem[] | string;
    items: JsonItem[] | string;
  }>(
    `SELECT s.url, s.secret, s.event_types, s.cursor, s.attempts, s.next_attempt_at,
            (SELECT max(e.seq) FROM outbox_events e WHERE e.seq > s.cursor) AS last_seq,
            (SELECT coalesce(json_agg(r ORDER BY r.seq), '[]'::json) FROM (
               SELECT d.seq, d.event_id, d.type, d.body, d.recorded_at FROM webhook_dead_letters d
                WHERE d.subscription_id = s.subscription_id AND d.redeliver ORDER BY d.seq LIMIT $2) r) AS redeliveries,
            (SELECT coalesce(json_agg(o ORDER BY o.seq), '[]'::json) FROM (
               SELECT e.seq, e.event_id, e.type, e.body, e.recorded_at FROM outbox_events e
                WHERE e.seq > s.cursor AND e.type = ANY(s.event_types) ORDER BY e.seq LIMIT $2) o) AS items
       FROM webhook_subscriptions s WHERE s.subscription_id = $1`,
    [subscriptionId, limit],
  );
  const row = rows[0];
  if (!row) return undefined;
  const head: SubscriptionHead = {
    subscriptionId,
    url: row.url,
    secret: row.secret,
    eventTypes: parseTextArray(row.event_types),
    cursor: Number(row.cursor),
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at === null ? null : new Date(row.next_attempt_at).getTime(),
  };
  const fromJson = (redelivery: boolean) => (item: JsonItem): DeliveryItem => ({
    seq: Number(item.seq),
    eventId: item.event_id,
    type: item.type,
    body: item.body,
    recordedAt: new Date(item.recorded_at).toISOString(),
    redelivery,
  });
  const redeliveries = jsonOf(row.redeliveries).map(fromJson(true));
  if (redeliveries.length > 0) return { head, items: redeliveries, skipTo: null };
  const items = jsonOf(row.items).map(fromJson(false));
  return { head, items, skipTo: items.length === 0 && row.last_seq !== null ? Number(row.last_seq) : null };
}

/**
 * Nothing up to `seq` is for this subscription: it is done with those events (rows commit in sequence
 * order, so none can appear below one already seen), which lets them be pruned.
 */
export async function skipUnwanted(q: SqlQueryable, subscriptionId: string, seq: number): Promise<void> {
  await q.query('UPDATE webhook_subscriptions SET cursor = greatest(cursor, $2::bigint) WHERE subscription_id = $1', [subscriptionId, seq]);
}

/** Delivered: moves the cursor past them (outbox events) or drops them (redelivered dead letters), and clears the failure. One statement. */
export async function recordDelivered(q: SqlQueryable, subscriptionId: string, items: readonly DeliveryItem[]): Promise<void> {
  if (items.length === 0) return;
  const fromOutbox = items.filter((item) => !item.redelivery).map((item) => item.seq);
  const redelivered = items.filter((item) => item.redelivery).map((item) => item.seq);
  await q.query(
    `WITH dropped AS (DELETE FROM webhook_dead_letters WHERE subscription_id = $1 AND seq = ANY($4::bigint[]) RETURNING seq)
     UPDATE webhook_subscriptions
        SET cursor = greatest(cursor, $2::bigint), delivered_count = delivered_count + $3,
            attempts = 0, next_attempt_at = NULL, failing_since = NULL, last_error = NULL
      WHERE subscription_id = $1`,
    [subscriptionId, fromOutbox.length > 0 ? Math.max(...fromOutbox) : 0, items.length, redelivered],
  );
}

/** A failed attempt that will be retried at `nextAttemptAt`. */
export async function recordRetry(q: SqlQueryable, subscriptionId: string, attempts: number, nextAttemptAt: number, error: string, now: number): Promise<void> {
  await q.query(
    `UPDATE webhook_subscriptions SET attempts = $2, next_attempt_at = $3, failing_since = coalesce(failing_since, $4), last_error = $5
      WHERE subscription_id = $1`,
    [subscriptionId, attempts, new Date(nextAttemptAt).toISOString(), new Date(now).toISOString(), error],
  );
}

/** The last attempt failed too: the event becomes a dead letter and the subscription goes on with the next. */
export async function recordDeadLetter(sql: SqlClient, subscriptionId: string, item: DeliveryItem, attempts: number, error: string, now: number): Promise<void> {
  const at = new Date(now).toISOString();
  await sql.transaction(async (tx) => {
    if (item.redelivery) {
      await tx.query(
        `UPDATE webhook_dead_letters SET redeliver = false, attempts = $3, last_error = $4, dead_at = $5
          WHERE subscription_id = $1 AND seq = $2`,
        [subscriptionId, item.seq, attempts, error, at],
      );
    } else {
      await tx.query(
        `INSERT INTO webhook_dead_letters (subscription_id, seq, event_id, type, body, recorded_at, attempts, last_error, dead_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (subscription_id, seq) DO UPDATE SET redeliver = false, attempts = excluded.attempts, last_error = excluded.last_error, dead_at = excluded.dead_at`,
        [subscriptionId, item.seq, item.eventId, item.type, item.body, item.recordedAt, attempts, error, at],
      );
    }
    await tx.query(
      `UPDATE webhook_subscriptions
          SET cursor = greatest(cursor, $2::bigint), attempts = 0, next_attempt_at = NULL, failing_since = coalesce(failing_since, $3), last_error = $4
        WHERE subscription_id = $1`,
      [subscriptionId, item.redelivery ? 0 : item.seq, at, error],
    );
  });
}

/** The NATS publisher's cursor, created at the end of the outbox the first time (it publishes what comes after). */
export async function initPublisherCursor(q: SqlQueryable, name: string): Promise<void> {
  await q.query(
    `INSERT INTO outbox_publishers (name, cursor) VALUES ($1, coalesce((SELECT next_seq - 1 FROM outbox_state WHERE id = 1), 0))
     ON CONFLICT (name) DO NOTHING`,
    [name],
  );
}

export async function readPublisherBatch(q: SqlQueryable, name: string, limit: number): Promise<DeliveryItem[]> {
  const { rows } = await q.query<ItemRow>(
    `SELECT e.seq, e.event_id, e.type, e.body, e.recorded_at FROM outbox_events e
      WHERE e.seq > (SELECT cursor FROM outbox_publishers WHERE name = $1) ORDER BY e.seq LIMIT $2`,
    [name, limit],
  );
  return rows.map(toItem(false));
}

export async function advancePublisher(q: SqlQueryable, name: string, seq: number): Promise<void> {
  await q.query('UPDATE outbox_publishers SET cursor = greatest(cursor, $2::bigint) WHERE name = $1', [name, seq]);
}

/**
 * Drops outbox events every consumer is done with (the webhook subscriptions and, when NATS is on, its
 * publisher), at most `limit` at a time; new subscriptions start after them anyway.
 */
export async function pruneOutbox(q: SqlQueryable, withPublisher: string | null, limit: number): Promise<number> {
  const { rowCount } = await q.query(
    `DELETE FROM outbox_events WHERE seq IN (
       SELECT seq FROM outbox_events
        WHERE seq <= least(
          coalesce((SELECT min(cursor) FROM webhook_subscriptions), 9223372036854775807),
          coalesce((SELECT cursor FROM outbox_publishers WHERE name = $1), 9223372036854775807),
          coalesce((SELECT next_seq - 1 FROM outbox_state WHERE id = 1), 0))
        ORDER BY seq LIMIT $2)`,
    [withPublisher, limit],
  );
  return rowCount;
}
