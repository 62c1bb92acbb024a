import 'reflect-metadata';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { writeFile } from 'node:fs/promises';
import { createApp } from '../../app/app.factory';
import { loadConfig } from '../../platform/config/app.config';

/** The SDL of the code-first schema, types and fields sorted, so that a diff shows only real changes. */
export async function buildSchemaSdl(): Promise<string> {
  const config = loadConfig({ LOG_LEVEL: 'error', DATA_DIR: 'memory://', API_KEYS: 'schema:admin:schema-printer-0123456789' });
  const app = await createApp(config, () => undefined);
  try {
    return printSchema(lexicographicSortSchema(app.get(GraphQLSchemaHost).schema)) + '\n';
  } finally {
    await app.close();
  }
}

/** `npm run schema [-- <path>]`: writes the SDL (default schema.graphql at the repository root). */
async function main(): Promise<void> {
  const path = process.argv[2] ?? 'schema.graphql';
  await writeFile(path, await buildSchemaSdl());
  console.log(`wrote ${path}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`schema: ${(error as Error).message}`);
    process.exit(1);
  });
}
