import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, ConfigError, loadConfig } from './platform/config/app.config';
import { createLogger } from './platform/observability/logger.util';
import { startTracing, Tracing } from './platform/observability/tracing-sdk.factory';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // Tracing starts before the application is loaded: the pg instrumentation patches `pg` when it is
  // first required, and the application's modules require it. Nothing is loaded without an endpoint.
  const logger = createLogger(config.LOG_LEVEL);
  const tracing = startTracing({ endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT, warn: (message) => logger.warn({ component: 'tracing' }, message) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createApp, closeGracefully } = require('./app/app.factory') as typeof import('./app/app.factory');
  const app = await createApp(config);
  exitGracefullyOnSignals(app, tracing, closeGracefully);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  console.log(`PoP Ledger listening: GraphQL and GraphiQL at http://localhost:${config.PORT}/graphiql (endpoint /graphql)`);
}

/** How long the last spans may take to export at shutdown (an unreachable collector must not hold the exit). */
const TRACING_SHUTDOWN_MS = 3_000;

/**
 * SIGTERM or SIGINT: close gracefully (docs/operations.md, "Shutdown"), export the last spans, exit 0.
 * A second signal during the close exits at once with 1.
 */
function exitGracefullyOnSignals(app: NestFastifyApplication, tracing: Tracing | undefined, close: (app: NestFastifyApplication) => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      console.error(`PoP Ledger: ${signal} again, exiting without finishing the shutdown`);
      process.exit(1);
    }
    closing = true;
    console.log(`PoP Ledger: ${signal} received, shutting down (new connections refused, requests in flight finish)`);
    close(app)
      .then(() => tracing && withinMs(tracing.shutdown(), TRACING_SHUTDOWN_MS))
      .then(
        () => {
          console.log('PoP Ledger stopped');
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`PoP Ledger: shutdown failed: ${(error as Error).stack ?? String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

function withinMs(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

main().catch((error: unknown) => {
  console.error(`PoP Ledger failed to start: ${(error as Error).message}`);
  process.exit(1);
});
