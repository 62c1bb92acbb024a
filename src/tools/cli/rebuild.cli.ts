import 'reflect-metadata';
import { SingleBar, Presets } from 'cli-progress';
import { ConfigError, loadConfig } from '../../platform/config/app.config';
import { openSqlClient } from '../../platform/database/open-sql-client.factory';
import { createEventStore } from '../../platform/event-store/event-store.factory';
import { allMigrations } from '../../app/all-migrations.registry';
import { allProjections } from '../../app/all-projections.registry';
import { ProjectionEngine } from '../../platform/projections/projection.engine';

/**
 * `npm run rebuild [-- name ...]`: rebuilds read models into fresh tables and swaps them in. Against a
 * PostgreSQL server it can run beside live instances; the embedded PGlite directory must not be open
 * in a running service at the same time.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const sql = await openSqlClient(config, allMigrations(config));
  const store = await createEventStore(config, sql);
  const engine = new ProjectionEngine(sql, store, allProjections(config));
  const bar = new SingleBar({ format: 'rebuild [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left', etaBuffer: 50 }, Presets.shades_classic);
  let started = false;
  try {
    const result = await engine.rebuild(names.length ? names : undefined, {
      onProgress: ({ events, total }) => {
        if (!started) bar.start(Math.max(total, 1), 0);
        started = true;
        bar.setTotal(Math.max(total, events, 1));
        bar.update(events);
      },
    });
    bar.stop();
    const rate = result.durationMs > 0 ? Math.round((result.events / result.durationMs) * 1000) : result.events;
    console.log(`Rebuilt ${result.projections.join(', ') || 'nothing'}: ${result.events} events in ${(result.durationMs / 1000).toFixed(1)} s (${rate} events/s)`);
  } finally {
    bar.stop();
    await engine.stop();
    await store.close();
    await sql.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `Rebuild failed: ${(error as Error).message}`);
  process.exit(1);
});
