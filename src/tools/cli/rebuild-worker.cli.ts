import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError, loadConfig } from '../../platform/config/app.config';
import { openSqlClient } from '../../platform/database/open-sql-client.factory';
import { createEventStore } from '../../platform/event-store/event-store.factory';
import { allMigrations } from '../../app/all-migrations.registry';
import { allProjections } from '../../app/all-projections.registry';
import { ProjectionEngine } from '../../platform/projections/projection.engine';
import type { RebuildProgress, RebuildResult } from '../../platform/projections/projection.rebuild';

/** What the rebuild's worker tells the CLI's main thread (rebuild.cli.ts), which shows it. */
export type RebuildReport = { progress: RebuildProgress } | { rebuilt: RebuildResult } | { failed: string };

/** The rebuild itself, in the worker thread that rebuild.cli.ts starts with its larger young generation. */
async function rebuild(names: string[], report: (message: RebuildReport) => void): Promise<void> {
  const config = loadConfig();
  const sql = await openSqlClient(config, allMigrations(config));
  const store = await createEventStore(config, sql);
  const engine = new ProjectionEngine(sql, store, allProjections(config));
  try {
    const result = await engine.rebuild(names.length ? names : undefined, { onProgress: (progress) => report({ progress }) });
    report({ rebuilt: result });
  } finally {
    await engine.stop();
    await store.close();
    await sql.close();
  }
}

if (parentPort) {
  const port = parentPort;
  const report = (message: RebuildReport) => port.postMessage(message);
  rebuild(workerData as string[], report).catch((error: unknown) =>
    report({ failed: error instanceof ConfigError ? error.message : `Rebuild failed: ${(error as Error).message}` }),
  );
}
