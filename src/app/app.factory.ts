import fastifyRateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyService } from '../platform/api/auth/api-key.service';
import { useBindWithoutDeprecatedAccessor } from '../platform/api/http/async-resource-bind.util';
import { refuseAnonymousGraphql, resolvePrincipal } from '../platform/api/auth/request-principal.util';
import { clientErrorHandler } from '../platform/api/http/client-error.util';
import { keepAnswerBytes } from '../platform/api/http/kept-answer-bytes.util';
import { largeAnswerAsBuffer } from '../platform/api/http/large-answer.util';
import { rateLimitOptions } from '../platform/api/http/rate-limit.config';
import { webPageRouteHeaders } from '../platform/api/http/security-headers.config';
import { securityHeadersHook } from '../platform/api/http/security-headers.util';
import { serveWebPages } from '../platform/api/http/web-pages.util';
import { sendProblem } from '../platform/api/errors/problem-details.util';
import { toApiError } from '../platform/api/errors/to-api-error.util';
import { AppConfig } from '../platform/config/app.config';
import { GRAPHQL_PATH } from '../platform/api/graphql.config';
import { createLogger, PinoNestLogger } from '../platform/observability/logger.util';
import { traceRequests } from '../platform/observability/request-tracing.util';
import { tracingStarted } from '../platform/observability/tracing.util';
import { MetricsService } from '../platform/observability/metrics.service';
import { inputValidationPipe } from '../platform/api/validation/validation.pipe';
import { AppModule } from './app.module';

/** Largest request body: a 1,000-record procurement batch fits well below it (docs/api.md, "Procurement integration"). */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;
/** Largest request line plus headers (so also a GraphQL query sent with GET): Node's default, stated here. */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Builds the whole service (used by main.ts, the CLIs, the tests and the benchmarks); call `listen` to
 * serve. It installs no signal handler: main.ts closes it with `closeGracefully` on SIGTERM and SIGINT.
 */
export async function createApp(config: AppConfig, print: (line: string) => void = console.log): Promise<NestFastifyApplication> {
  // Fastify's body parser and Nest's interceptors bind a callback per request: without this, each request's
  // objects outlive the young collections (async-resource-bind.util.ts).
  useBindWithoutDeprecatedAccessor();
  const logger = createLogger(config.LOG_LEVEL);
  // During a graceful close a request that still arrives on an open keep-alive connection is served (its
  // answer closes the connection) rather than refused with a 503.
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES, http: { maxHeaderSize: MAX_HEADER_BYTES }, clientErrorHandler, logger: false, return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Keeps the request bytes as `request.rawBody`: the procurement webhook's HMAC signature covers them.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Errors Fastify raises before Nest sees a request (malformed JSON, oversize body) become problem
  // details too. Not through fastify.setErrorHandler: Nest sets the instance's error handler itself in
  // init(), and a second handler in the same scope is what Fastify warns about (FSTWRN004); besides,
  // Nest's comes after its routes are registered, and a route keeps the handler of its registration.
  // So each route gets ours as its own, unless its scope has one (Mercurius answers GraphQL errors).
  const unhandled = fastify.errorHandler;
  const problemDetails = (error: Error, _request: FastifyRequest, reply: FastifyReply) => {
    const apiError = toApiError(error);
    if (apiError.code === 'INTERNAL_SERVER_ERROR') logger.error({ err: error }, 'request failed');
    sendProblem(reply, apiError);
  };
  fastify.addHook('onRoute', function (route) {
    if (route.errorHandler === undefined && this.errorHandler === unhandled) route.errorHandler = problemDetails;
  });
  // Graceful close (closeGracefully): once it begins, every answer closes its keep-alive connection, so
  // the HTTP server is drained when the requests in flight are answered. Large answers go as bytes.
  let closing = false;
  keepAnswerBytes(fastify, app.get(MetricsService));
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, largeAnswerAsBuffer(payload));
  });
  if (tracingStarted()) traceRequests(fastify, GRAPHQL_PATH);
  // Security headers on every answer; the console and GraphiQL pages get a policy that lets them load
  // their own scripts and styles (all served from here, no other host) and call the API.
  fastify.addHook('onRoute', webPageRouteHeaders);
  fastify.addHook('onRequest', securityHeadersHook());
  await serveWebPages(fastify);
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
  await apiKeys.load(print);
  await app.init();
  return app;
}

/**
 * Closes the service without losing acknowledged work (docs/operations.md, "Shutdown"). First the HTTP
 * server: it stops accepting connections, and every request in flight runs to its answer (a command to
 * its append and its read-your-writes wait, while the projections still run). Then Nest's shutdown: the
 * projection runner finishes the batch it is applying and stops, the event store and database close.
 */
export async function closeGracefully(app: NestFastifyApplication): Promise<void> {
  await app.getHttpAdapter().close();
  await app.close();
}
