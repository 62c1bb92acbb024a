import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { WebhookSubscriptionNode } from './webhook-subscription.types';
import { readWebhookSubscriptions } from './webhook-subscriptions.reader';

@Resolver()
@Access('adminOnly')
export class WebhookSubscriptionsQueryResolver {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  @Query(() => [WebhookSubscriptionNode], { description: 'Webhook subscriptions with their delivery counters (admin only)' })
  webhookSubscriptions(): Promise<WebhookSubscriptionNode[]> {
    return readWebhookSubscriptions(this.sql);
  }
}
