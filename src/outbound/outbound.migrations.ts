import { Migration } from '../platform/database/migrations.runner';

/**
 * The outbox and its consumers (docs/outbound-events.md). These tables are not a projection's: a rebuild
 * of the read models never drops or refills them, so nothing recorded is ever recorded (or sent) again.
 *
 * - outbox_state: one row. `state_position`: the last ledger event whose effect the detection state below
 *   includes; `emit_position`: the last one whose integration events are in the outbox; `next_seq`: the
 *   next outbox sequence number. Locked by every transaction that records, so outbox rows commit in
 *   sequence order.
 * - outbox_events: the integration events in delivery order (`seq`), with the exact body sent.
 * - outbox_capacity_status / outbox_residency_state: what was announced, to compare the next facts with.
 * - webhook_subscriptions: each with its own cursor (the last seq it is done with), the failures of the
 *   event at its head, and counters. The secret is kept for signing only and never answered.
 * - webhook_dead_letters: events given up on after OUTBOX_MAX_ATTEMPTS, with their body, until redelivered.
 * - outbox_publishers: the cursor of each broker publisher (NATS).
 */
export const outboundMigrations: Migration[] = [
  {
    id: '0300-outbox',
    sql: `
      CREATE TABLE IF NOT EXISTS outbox_state (
        id int PRIMARY KEY CHECK (id = 1),
        state_position text COLLATE "C",
        emit_position text COLLATE "C",
        next_seq bigint NOT NULL
      );
      CREATE TABLE IF NOT EXISTS outbox_events (
        seq bigint PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        pop_id text NOT NULL,
        body text NOT NULL,
        source_position text COLLATE "C" NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE IF NOT EXISTS outbox_capacity_status (
        pop_id text COLLATE "C" NOT NULL,
        resource text NOT NULL,
        at timestamptz NOT NULL,
        status text NOT NULL,
        PRIMARY KEY (pop_id, resource, at)
      );
      CREATE TABLE IF NOT EXISTS outbox_residency_state (
        placement_key text COLLATE "C" NOT NULL,
        data_category text NOT NULL,
        policy_id text COLLATE "C" NOT NULL,
        changes jsonb NOT NULL,
        PRIMARY KEY (placement_key, data_category, policy_id)
      );
      CREATE TABLE IF NOT EXISTS webhook_subscriptions (
        subscription_id text COLLATE "C" PRIMARY KEY,
        url text NOT NULL,
        event_types text[] NOT NULL,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        cursor bigint NOT NULL,
        delivered_count bigint NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        failing_since timestamptz,
        last_error text
      );
      CREATE TABLE IF NOT EXISTS webhook_dead_letters (
        subscription_id text COLLATE "C" NOT NULL REFERENCES webhook_subscriptions ON DELETE CASCADE,
        seq bigint NOT NULL,
        event_id text NOT NULL,
        type text NOT NULL,
        body text NOT NULL,
        recorded_at timestamptz NOT NULL,
        attempts int NOT NULL,
        last_error text,
        dead_at timestamptz NOT NULL DEFAULT now(),
        redeliver boolean NOT NULL DEFAULT false,
        PRIMARY KEY (subscription_id, seq)
      );
      CREATE TABLE IF NOT EXISTS outbox_publishers (
        name text PRIMARY KEY,
        cursor bigint NOT NULL
      )`,
  },
];
