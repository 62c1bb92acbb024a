import { Field, ObjectType } from '@nestjs/graphql';
import { DateTimeScalar } from '../platform/api/scalars/date-time.scalar';
import { ApiKeyRoleEnum, ApiKeySourceEnum } from './access-enums.graphql';
import { ApiKeyRole, ApiKeySource } from './domain/api-key.enums';

/** An API key as `apiKeys` and `revokeApiKey` answer it: never its secret. */
@ObjectType('ApiKey')
export class ApiKeyNode {
  @Field() name: string;
  @Field(() => ApiKeyRoleEnum) role: ApiKeyRole;
  @Field(() => ApiKeySourceEnum) source: ApiKeySource;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When a stored key was created; null for a key from API_KEYS' })
  createdAt: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'After this instant the key is refused; null: never expires' })
  expiresAt: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'Last authenticated request (recorded at most once a second); null: never used' })
  lastUsedAt: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the key was revoked; null: not revoked' })
  revokedAt: string | null;
}

/** What `createApiKey` answers: the only time the secret is ever shown. */
@ObjectType('ApiKeyCreated')
export class ApiKeyCreatedNode {
  @Field() name: string;
  @Field(() => ApiKeyRoleEnum) role: ApiKeyRole;
  @Field(() => DateTimeScalar, { nullable: true, description: 'null: never expires' })
  expiresAt: string | null;
  @Field({ description: 'Send it as "Authorization: Bearer <secret>". Shown once: only its hash is stored' })
  secret: string;
}
