import { Field, InputType } from '@nestjs/graphql';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DateTimeScalar } from '../../platform/api/scalars/date-time.scalar';
import { ApiKeyRoleEnum } from '../access-enums.graphql';
import { API_KEY_ROLES, ApiKeyRole } from '../domain/api-key.enums';
import { API_KEY_NAME_PATTERN } from '../domain/api-key.rules';

/**
 * Key inputs carry no commandId, effectiveAt or expectedRevision: a key is created and revoked now, and a
 * repeated creation could not show the secret again.
 */
@InputType()
export class CreateApiKeyInput {
  @Field({ description: '1-64 of a-z 0-9 -, unique among all keys (API_KEYS included); becomes the actor of the events the key causes' })
  @Matches(API_KEY_NAME_PATTERN, { message: 'name must be 1-64 characters of a-z 0-9 -' })
  name: string;

  @Field(() => ApiKeyRoleEnum) @IsIn(API_KEY_ROLES) role: ApiKeyRole;

  @Field(() => DateTimeScalar, { nullable: true, description: 'After this instant the key is refused (must be in the future); absent: never expires' })
  @IsOptional()
  expiresAt?: string;
}

@InputType()
export class RevokeApiKeyInput {
  /** Wider than a stored key's name, so that revoking a key of API_KEYS says why it cannot be done. */
  @Field()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'name must be 1-64 characters of A-Z a-z 0-9 . _ -' })
  name: string;
}
