import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import type { OutboundEventType } from '../domain/outbound.enums';
import { OutboundEventTypeEnum } from '../outbound-enums.graphql';

/** A webhook subscription (docs/outbound-events.md); its secret is never answered. */
@ObjectType('WebhookSubscription')
export class WebhookSubscriptionNode {
  @Field(() => ID) subscriptionId: string;
  @Field({ description: 'Where the events are POSTed (http or https)' }) url: string;
  @Field(() => [OutboundEventTypeEnum]) eventTypes: OutboundEventType[];
  @Field(() => DateTimeScalar) createdAt: string;
  @Field(() => Int, { description: 'Events delivered (any 2xx answer), redeliveries included' }) deliveredCount: number;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Since when deliveries fail (null: the last attempt succeeded or none failed)' })
  failingSince: string | null;
  @Field(() => Int, { description: 'Events given up on after OUTBOX_MAX_ATTEMPTS attempts and not redelivered yet' }) deadLettered: number;
  @Field(() => Int, { description: 'Events waiting for delivery (redeliveries included)' }) pending: number;
  @Field(() => String, { nullable: true, description: 'Why the last failed attempt failed' }) lastError: string | null;
}
