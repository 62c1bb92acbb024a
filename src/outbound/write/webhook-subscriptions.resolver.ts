import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { RuleViolationError } from '../../kernel/domain.errors';
import { ApiError } from '../../platform/api/errors/api-error.types';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import { Principal } from '../../platform/api/auth/roles.types';
import { SQL_CLIENT, SqlClient } from '../../platform/database/sql-client.port';
import { OutboundSignals } from '../outbound-signals.service';
import { WebhookSubscriptionNode } from '../read/webhook-subscription.types';
import { readWebhookSubscriptions } from '../read/webhook-subscriptions.reader';
import { CreateWebhookSubscriptionInput, DeleteWebhookSubscriptionInput, RedeliverDeadLettersInput } from './webhook-subscription.input';
import { deleteSubscription, insertSubscription, queueRedelivery } from './webhook-subscriptions.sql';

/** Webhook subscriptions (docs/outbound-events.md): admin only. Each answers the subscription as it stands. */
@Resolver()
@Access('adminOnly')
export class WebhookSubscriptionsResolver {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    private readonly signals: OutboundSignals,
  ) {}

  @Mutation(() => WebhookSubscriptionNode, { description: 'Subscribes a URL to events recorded from now on' })
  async createWebhookSubscription(
    @Args('input') input: CreateWebhookSubscriptionInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookSubscriptionNode> {
    const created = await insertSubscription(this.sql, { ...input, createdBy: principal.name });
    if (!created) throw new RuleViolationError('DUPLICATE_ID', `webhook subscription ${input.subscriptionId} already exists`);
    this.signals.subscriptionsChanged();
    return this.one(input.subscriptionId);
  }

  @Mutation(() => WebhookSubscriptionNode, { description: 'Stops deliveries and forgets the subscription, its secret and its dead letters; answers it as it was' })
  async deleteWebhookSubscription(@Args('input') input: DeleteWebhookSubscriptionInput): Promise<WebhookSubscriptionNode> {
    const subscription = await this.one(input.subscriptionId);
    await deleteSubscription(this.sql, input.subscriptionId);
    this.signals.subscriptionsChanged();
    return subscription;
  }

  @Mutation(() => WebhookSubscriptionNode, { description: 'Delivers the dead-lettered events again, oldest first, before the ones that follow' })
  async redeliverDeadLetters(@Args('input') input: RedeliverDeadLettersInput): Promise<WebhookSubscriptionNode> {
    if (!(await this.sql.transaction((tx) => queueRedelivery(tx, input.subscriptionId)))) throw notFound(input.subscriptionId);
    this.signals.subscriptionsChanged();
    return this.one(input.subscriptionId);
  }

  private async one(subscriptionId: string): Promise<WebhookSubscriptionNode> {
    const [subscription] = await readWebhookSubscriptions(this.sql, subscriptionId);
    if (!subscription) throw notFound(subscriptionId);
    return subscription;
  }
}

function notFound(subscriptionId: string): ApiError {
  return new ApiError('NOT_FOUND', `webhook subscription ${subscriptionId} does not exist`);
}
