import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.types';
import { ACCESS_KEY, PUBLIC_KEY } from './access.decorator';
import { ApiKeyService } from './api-key.service';
import { ACCESS, AccessRule, Principal } from './roles.types';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Global guard: every resolver and route needs a valid key, except those marked @Public.
 * A handler without an @Access rule is refused to everyone, so a forgotten declaration fails closed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = requestOf(context);
    const principal = request.principal ?? this.keys.authenticate(request.headers.authorization);
    if (!principal) throw ApiError.unauthenticated();
    request.principal = principal;
    const rule = this.reflector.getAllAndOverride<AccessRule>(ACCESS_KEY, targets);
    const allowed: readonly string[] = rule ? ACCESS[rule] : [];
    if (!allowed.includes(principal.role)) throw ApiError.forbidden(principal.role, allowed);
    return true;
  }
}

export function requestOf(context: ExecutionContext): AuthenticatedRequest {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}
