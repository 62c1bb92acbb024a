import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Access } from '../../platform/api/auth/access.decorator';
import { CurrentPrincipal } from '../../platform/api/auth/principal.decorator';
import type { Principal } from '../../platform/api/auth/roles.types';
import { ApiKeyRoleEnum } from '../access-enums.graphql';
import type { ApiKeyRole } from '../domain/api-key.enums';

/** The key a request is made with: lets a client (the console) show what that key's role may see. */
@ObjectType('Caller')
export class CallerNode {
  @Field({ description: 'The key\'s name, recorded as the actor of the events it causes' }) name: string;
  @Field(() => ApiKeyRoleEnum) role: ApiKeyRole;
}

@Resolver()
@Access('planningRead')
export class MeResolver {
  @Query(() => CallerNode, { description: 'The API key of this request: its name and role (any role may ask)' })
  me(@CurrentPrincipal() principal: Principal): CallerNode {
    return { name: principal.name, role: principal.role };
  }
}
