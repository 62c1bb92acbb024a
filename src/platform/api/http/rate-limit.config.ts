import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { MetricsService } from '../../observability/metrics.service';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ApiError } from '../errors/api-error.types';
import { isPublicRoute } from '../auth/request-principal.util';
import { SlidingWindowStore } from './sliding-window-store.adapter';

/** Label of requests limited without a valid key (per client address, which is not put in a metric). */
const ANONYMOUS = 'anonymous';

/**
 * @fastify/rate-limit per API key: at most `perSecond` requests in any one second per key name (a
 * sliding window; per client address when the request has no valid key, the principal being resolved
 * in an earlier onRequest hook). /health is not counted. Past the limit: 429 with Retry-After, as problem
 * details (REST) or a GraphQL error with `extensions.code` RATE_LIMITED; both through the routes' error
 * handlers. The counters are per instance.
 */
export function rateLimitOptions(perSecond: number, metrics: MetricsService): RateLimitPluginOptions {
  return {
    global: true,
    max: perSecond,
    timeWindow: 1000,
    hook: 'onRequest',
    store: SlidingWindowStore,
    keyGenerator: (request: FastifyRequest) => {
      const principal = (request as AuthenticatedRequest).principal;
      return principal ? `key:${principal.name}` : `ip:${request.ip}`;
    },
    allowList: (request: FastifyRequest) => isPublicRoute(request),
    onExceeded: (request: FastifyRequest) => {
      metrics.rateLimited.inc({ key: (request as AuthenticatedRequest).principal?.name ?? ANONYMOUS });
    },
    errorResponseBuilder: (_request, context) => ApiError.rateLimited(perSecond, Math.max(1, Math.ceil(context.ttl / 1000))),
  };
}
