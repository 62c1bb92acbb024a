import { QueryBus } from '@nestjs/cqrs';
import { Query, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { ApiKeyNode } from '../api-key.graphql';
import { ListApiKeysQuery } from './list-api-keys.query';

@Resolver()
@Access('adminOnly')
export class ApiKeysResolver {
  constructor(private readonly queries: QueryBus) {}

  @Query(() => [ApiKeyNode], { description: 'Every API key, from API_KEYS and stored (revoked ones too); never a secret' })
  apiKeys(): Promise<ApiKeyNode[]> {
    return this.queries.execute(new ListApiKeysQuery());
  }
}
