import 'reflect-metadata';
import { createApp } from './app/app.factory';
import { ConfigError, loadConfig } from './platform/config/app.config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: '0.0.0.0' });
  console.log(`PoP Ledger listening: GraphQL and GraphiQL at http://localhost:${config.PORT}/graphiql (endpoint /graphql)`);
}

main().catch((error: unknown) => {
  console.error(`PoP Ledger failed to start: ${(error as Error).message}`);
  process.exit(1);
});
