import 'reflect-metadata';
import { Presets, SingleBar } from 'cli-progress';
import { createApp } from '../../app/app.factory';
import { generateSecret, hashSecret } from '../../platform/api/auth/api-key.util';
import { ConfigError, loadConfig, type AppConfig } from '../../platform/config/app.config';
import { openSqlClient } from '../../platform/database/open-sql-client.factory';
import { allMigrations } from '../../app/all-migrations.registry';
import { createEventStore } from '../../platform/event-store/event-store.factory';
import { POLICIES } from '../seed/catalog.seed';
import { NetworkGenerator } from '../seed/network-generator.seed';
import { parseSeedArgs, SeedArgsError, type SeedArgs } from '../seed/seed-args.util';
import { seedNetwork } from '../seed/seed-network.seed';
import { EventStoreSink, GraphqlSink, type StreamSink } from '../seed/stream-sinks.seed';

interface Target {
  sink: StreamSink;
  close(): Promise<void>;
}

/**
 * `npm run seed -- --pops N --years Y [--seed S] [--demo] [--via-commands]`: generates a realistic,
 * deterministic network and writes it straight into the event store in bulk (every event decided by
 * the domain in memory first), or with --via-commands through the GraphQL mutations of an in-process
 * service (slower; checks that the service accepts exactly what the domain decided).
 */
async function main(): Promise<void> {
  const args = parseSeedArgs(process.argv.slice(2));
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const generator = new NetworkGenerator({ ...args, provenance: { actor: 'seed', source: 'cli' } });
  const target = args.viaCommands ? await graphqlTarget(config, args) : await storeTarget(config, args);
  const expected = args.pops + 1 + POLICIES.length + (args.workloads ?? Math.round(args.pops * 1.25));
  const bar = new SingleBar({ format: 'seed [{bar}] {value}/{total} streams | {events} events | {duration}s', hideCursor: true }, Presets.shades_classic);
  const started = performance.now();
  bar.start(expected, 0, { events: 0 });
  try {
    await seedNetwork(generator, target.sink, () => bar.update(generator.stats.streams, { events: generator.stats.events }));
    bar.setTotal(generator.stats.streams);
  } finally {
    bar.stop();
    await target.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const { stats, period } = generator;
  console.log(
    [
      `Seeded ${stats.pops} PoPs (${stats.physical} physical, ${stats.virtual} virtual), ${stats.devices} devices, ${stats.workloads} workloads`,
      `${stats.events} events in ${stats.streams} streams, ${seconds.toFixed(1)} s (${Math.round(stats.events / seconds)} events/s) ${args.viaCommands ? 'through GraphQL' : 'appended directly'}`,
      `Effective times ${new Date(period.startMs).toISOString().slice(0, 10)} .. ${new Date(period.endMs).toISOString().slice(0, 10)} (seed ${args.seed})`,
      `Candidates the domain refused and the generator dropped: ${[...generator.rejections].map(([rule, n]) => `${rule} ${n}`).join(', ') || 'none'}`,
    ].join('\n'),
  );
}

async function storeTarget(config: AppConfig, args: SeedArgs): Promise<Target> {
  const sql = await openSqlClient(config, allMigrations(config));
  const store = await createEventStore(config, sql);
  return {
    sink: new EventStoreSink(store, args.concurrency ?? (sql.kind === 'pglite' ? 1 : 8)),
    close: async () => {
      await store.close();
      await sql.close();
    },
  };
}

/** An in-process service with a one-off admin key; requests are injected (no port is opened). */
async function graphqlTarget(config: AppConfig, args: SeedArgs): Promise<Target> {
  const secret = generateSecret();
  config.apiKeys = [{ name: 'seed', role: 'admin', secretHash: hashSecret(secret) }];
  const app = await createApp(config, () => undefined);
  const send = async (query: string, variables: Record<string, unknown>) => {
    const response = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ query, variables }),
    });
    return response.json() as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  };
  return { sink: new GraphqlSink(send, args.concurrency ?? 8), close: () => app.close() };
}

main().catch((error: unknown) => {
  const expected = error instanceof SeedArgsError || error instanceof ConfigError;
  console.error(expected ? (error as Error).message : `Seed failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(expected ? 2 : 1);
});
