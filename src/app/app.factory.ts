import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyService } from '../platform/api/auth/api-key.service';
import { refuseAnonymousGraphql, resolvePrincipal } from '../platform/api/auth/request-principal.util';
import { clientErrorHandler } from '../platform/api/http/client-error.util';
import { rateLimitOptions } from '../platform/api/http/rate-limit.config';
import { graphiqlRouteHeaders, securityHeaders } from '../platform/api/http/security-headers.config';
import { sendProblem } from '../platform/api/errors/problem-details.util';
import { toApiError } from '../platform/api/errors/to-api-error.util';
import { AppConfig } from '../platform/config/app.config';
import { createLogger, PinoNestLogger } from '../platform/observability/logger.util';
import { MetricsService } from '../platform/observability/metrics.service';
import { inputValidationPipe } from '../platform/api/validation/validation.pipe';
import { AppModule } from './app.module';

/** Largest request body: a 1,000-record procurement batch fits well below it (docs/api.md, "Procurement integration"). */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/** Largest request line plus headers (so also a GraphQL query sent with GET): Node's default, stated here. */
export const MAX_HEADER_BYTES = 16 * 1024;

/** Builds the whole service (used by main.ts, the tests and the benchmarks); call `listen` to serve. */
export async function createApp(config: AppConfig, print: (line: string) => void = console.log): Promise<NestFastifyApplication> {
  const logger = createLogger(config.LOG_LEVEL);
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, http: { maxHeaderSize: MAX_HEADER_BYTES }, clientErrorHandler, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Keeps the request bytes as `request.rawBody`: the procurement webhook's HMAC signature covers them.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Errors Fastify raises before Nest sees a request (malformed JSON, oversize body) become problem
  // details too. Set before init() so the routes registered there inherit it (Nest's own comes later).
  fastify.setErrorHandler((error, _request, reply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'request failed');
    sendProblem(reply, apiError);
  });
  // Security headers on every answer; the GraphiQL page gets a policy that lets it load from its CDN.
  fastify.addHook('onRoute', graphiqlRouteHeaders);
  await app.register(fastifyHelmet, securityHeaders);
  // A browser opening the GraphQL endpoint gets the GraphiQL IDE.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && request.url === '/graphql' && (request.headers.accept ?? '').includes('text/html')) {
      await reply.redirect('/graphiql');
    }
  });
  // Per request: resolve the key once, limit the rate per key (route-level onRequest hooks run after
  // these), then refuse GraphQL without a key before its body is even read.
  const apiKeys = app.get(ApiKeyService);
  fastify.addHook('onRequest', resolvePrincipal(apiKeys));
  if (config.RATE_LIMIT_PER_SECOND > 0) {
    await app.register(fastifyRateLimit, rateLimitOptions(config.RATE_LIMIT_PER_SECOND, app.get(MetricsService)));
  }
  fastify.addHook('preParsing', refuseAnonymousGraphql);
  app.useGlobalPipes(inputValidationPipe);
  app.enableShutdownHooks();
  await apiKeys.load(print);
  await app.init();
  return app;
}
