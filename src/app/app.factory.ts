import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiKeyService } from '../platform/api/auth/api-key.service';
import { sendProblem } from '../platform/api/errors/problem-details.util';
import { toApiError } from '../platform/api/errors/to-api-error.util';
import { AppConfig } from '../platform/config/app.config';
import { createLogger, PinoNestLogger } from '../platform/observability/logger.util';
import { inputValidationPipe } from '../platform/api/validation/validation.pipe';
import { AppModule } from './app.module';

/** Largest request body: a 1,000-record procurement batch fits well below it (docs/api.md, "Procurement integration"). */
export const BODY_LIMIT_BYTES = 5 * 1024 * 1024;

/** Builds the whole service (used by main.ts, the tests and the benchmarks); call `listen` to serve. */
export async function createApp(config: AppConfig, print: (line: string) => void = console.log): Promise<NestFastifyApplication> {
  const logger = createLogger(config.LOG_LEVEL);
  const adapter = new FastifyAdapter({ bodyLimit: BODY_LIMIT_BYTES, logger: false });
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
  // A browser opening the GraphQL endpoint gets the GraphiQL IDE.
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method === 'GET' && request.url === '/graphql' && (request.headers.accept ?? '').includes('text/html')) {
      await reply.redirect('/graphiql');
    }
  });
  app.useGlobalPipes(inputValidationPipe);
  app.enableShutdownHooks();
  await app.get(ApiKeyService).load(print);
  await app.init();
  return app;
}
