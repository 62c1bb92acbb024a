import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../platform/config/app.config';
import { SQL_CLIENT, SqlClient } from '../platform/database/sql-client.port';
import { EVENT_STORE, EventStore } from '../platform/event-store/event-store.port';
import { ProjectionEngine } from '../platform/projections/projection.engine';
import { Projection } from '../platform/projections/projection.port';
import { NatsPublisherService } from './delivery/nats-publisher.service';
import { OutboundMetrics } from './delivery/outbound-metrics.service';
import { initPublisherCursor, NATS_PUBLISHER } from './delivery/outbox-consumers.sql';
import { WebhookDeliveryService } from './delivery/webhook-delivery.service';
import { OutboundSignals } from './outbound-signals.service';
import { outboxProjection } from './read/outbox.projection';
import { initOutboxState } from './read/outbox.sql';
import { WebhookSubscriptionsQueryResolver } from './read/webhook-subscriptions.resolver';
import { WebhookSubscriptionsResolver } from './write/webhook-subscriptions.resolver';

/** The outbox projection, with the capacity thresholds its status changes are judged on. */
export function outboundProjections(config: Pick<AppConfig, 'CAPACITY_WARN_PERCENT' | 'CAPACITY_CRITICAL_PERCENT'>): Projection[] {
  return [outboxProjection({ thresholds: { warnPercent: config.CAPACITY_WARN_PERCENT, criticalPercent: config.CAPACITY_CRITICAL_PERCENT } })];
}

/**
 * Outbound events (docs/outbound-events.md): the outbox projection, webhook subscriptions (admin), and the
 * delivery workers (webhooks; NATS JetStream when NATS_URL is set) that run in the leader instance.
 */
@Module({
  providers: [OutboundSignals, OutboundMetrics, WebhookDeliveryService, NatsPublisherService, WebhookSubscriptionsResolver, WebhookSubscriptionsQueryResolver],
})
export class OutboundModule implements OnModuleInit {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly engine: ProjectionEngine,
    private readonly webhooks: WebhookDeliveryService,
    private readonly nats: NatsPublisherService,
  ) {}

  /** Before the projections start: where announcing begins, and the workers to run while leading. */
  async onModuleInit(): Promise<void> {
    await initOutboxState(this.sql, await this.store.headPosition());
    if (this.config.NATS_URL) await initPublisherCursor(this.sql, NATS_PUBLISHER);
    this.engine.runWhileLeading(this.webhooks);
    this.engine.runWhileLeading(this.nats);
    this.engine.onBatchCommitted(() => {
      this.webhooks.eventsRecorded();
      this.nats.eventsRecorded();
    });
  }
}
