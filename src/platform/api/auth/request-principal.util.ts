import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.types';
import { GRAPHQL_PATH } from '../graphql.config';
import type { ApiKeyService } from './api-key.service';
import type { AuthenticatedRequest } from './auth.guard';

/** Routes that need no key (docs/api.md, "Access"): /health and its variants. The GraphiQL page needs none either, but its queries do. */
export function isPublicRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions.url;
  return url === '/health' || (url?.startsWith('/health/') ?? false);
}

/**
 * An `onRequest` hook: resolves the bearer key once per request, before the rate limit (which is keyed
 * by it) and the guards (which reuse it). An invalid key is not refused here: each route decides.
 */
export function resolvePrincipal(keys: ApiKeyService) {
  return async (request: FastifyRequest): Promise<void> => {
    if (isPublicRoute(request)) return;
    const principal = keys.authenticate(request.headers.authorization);
    if (principal) (request as AuthenticatedRequest).principal = principal;
  };
}

/**
 * A `preParsing` hook (after the rate limit, before the body is read): every GraphQL operation needs a
 * valid key, introspection and `__typename` included, so the endpoint reveals nothing without one. The
 * error goes through Mercurius's handler: a GraphQL body with `extensions.code` UNAUTHENTICATED, HTTP 401.
 */
export async function refuseAnonymousGraphql(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (request.routeOptions.url === GRAPHQL_PATH && !(request as AuthenticatedRequest).principal) throw ApiError.unauthenticated();
}
