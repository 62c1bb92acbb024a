import { Field, ID, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Length } from 'class-validator';
import { IsEntityId } from '../../platform/api/validation/field.validators';
import { OUTBOUND_EVENT_TYPES, OutboundEventType } from '../domain/outbound.enums';
import { OutboundEventTypeEnum } from '../outbound-enums.graphql';
import { IsWebhookUrl } from './webhook-url.validators';

@InputType()
export class CreateWebhookSubscriptionInput {
  @Field(() => ID) @IsEntityId() subscriptionId: string;

  @Field({ description: 'http:// or https:// URL the events are POSTed to (redirects are not followed)' })
  @IsWebhookUrl()
  url: string;

  @Field(() => [OutboundEventTypeEnum])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(OUTBOUND_EVENT_TYPES.length)
  @ArrayUnique({ message: 'eventTypes must not list a type twice' })
  @IsIn(OUTBOUND_EVENT_TYPES, { each: true })
  eventTypes: OutboundEventType[];

  @Field({ description: 'Key of the X-Signature HMAC (16-200 characters); kept for signing only, never answered' })
  @IsString()
  @Length(16, 200)
  secret: string;
}

@InputType()
export class DeleteWebhookSubscriptionInput {
  @Field(() => ID) @IsEntityId() subscriptionId: string;
}

@InputType()
export class RedeliverDeadLettersInput {
  @Field(() => ID) @IsEntityId() subscriptionId: string;
}
