import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { APP_CONFIG, AppConfig } from '../../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { MetricsService } from '../../platform/observability/metrics.service';
import { NATS_PUBLISHER } from './outbox-consumers.sql';

export type Sink = 'webhook' | 'nats';

/**
 * Outbound metrics on /metrics (docs/outbound-events.md, "Metrics"), labelled by sink (`webhook`, `nats`)
 * and subscription (the webhook subscription's id; `nats` for the NATS publisher). Depth and dead letters are
 * read from the database at each scrape, the rest counted by the delivery workers of this instance.
 */
@Injectable()
export class OutboundMetrics {
  readonly latency: Histogram<'sink' | 'subscription'>;
  readonly delivered: Counter<'sink' | 'subscription'>;
  readonly failures: Counter<'sink' | 'subscription'>;
  readonly deadLettered: Counter<'subscription'>;

  constructor(
    metrics: MetricsService,
    @Inject(SQL_CLIENT) sql: SqlClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const registers = [metrics.registry];
    this.latency = new Histogram({
      name: 'popledger_outbound_delivery_latency_seconds',
      help: 'From an integration event entering the outbox to its delivery (a 2xx answer, a JetStream ack)',
      labelNames: ['sink', 'subscription'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
      registers,
    });
    this.delivered = new Counter({
      name: 'popledger_outbound_delivered_total',
      help: 'Integration events delivered',
      labelNames: ['sink', 'subscription'] as const,
      registers,
    });
    this.failures = new Counter({
      name: 'popledger_outbound_delivery_failures_total',
      help: 'Failed delivery attempts (non-2xx, timeout, connection error; for NATS, failed publishes)',
      labelNames: ['sink', 'subscription'] as const,
      registers,
    });
    this.deadLettered = new Counter({
      name: 'popledger_outbound_dead_lettered_total',
      help: 'Webhook deliveries given up on after OUTBOX_MAX_ATTEMPTS attempts',
      labelNames: ['subscription'] as const,
      registers,
    });
    const natsEnabled = config.NATS_URL !== undefined;
    new Gauge({
      name: 'popledger_outbox_depth',
      help: 'Integration events in the outbox not yet delivered, per subscription (redeliveries included)',
      labelNames: ['sink', 'subscription'] as const,
      registers,
      async collect() {
        this.reset();
        const { rows } = await sql.query<{ sink: Sink; subscription: string; depth: string | number }>(
          `SELECT 'webhook' AS sink, s.subscription_id AS subscription,
                  (SELECT count(*) FROM outbox_events e WHERE e.seq > s.cursor AND e.type = ANY(s.event_types))
                    + (SELECT count(*) FROM webhook_dead_letters d WHERE d.subscription_id = s.subscription_id AND d.redeliver) AS depth
             FROM webhook_subscriptions s
           UNION ALL
           SELECT 'nats', p.name, (SELECT count(*) FROM outbox_events e WHERE e.seq > p.cursor)
             FROM outbox_publishers p WHERE p.name = $1 AND $2::boolean`,
          [NATS_PUBLISHER, natsEnabled],
        );
        for (const row of rows) this.set({ sink: row.sink, subscription: row.subscription }, Number(row.depth));
      },
    });
    new Gauge({
      name: 'popledger_outbound_dead_letters',
      help: 'Webhook deliveries dead-lettered and not redelivered yet, per subscription',
      labelNames: ['subscription'] as const,
      registers,
      async collect() {
        this.reset();
        const { rows } = await sql.query<{ subscription: string; dead: string | number }>(
          `SELECT s.subscription_id AS subscription, count(d.seq) FILTER (WHERE NOT d.redeliver) AS dead
             FROM webhook_subscriptions s LEFT JOIN webhook_dead_letters d ON d.subscription_id = s.subscription_id
            GROUP BY s.subscription_id`,
        );
        for (const row of rows) this.set({ subscription: row.subscription }, Number(row.dead));
      },
    });
  }
}
