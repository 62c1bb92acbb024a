import { parseArgs } from 'node:util';
import { startKurrentDbDouble } from './index';

/**
 * Runs the KurrentDB double on its own, for manual runs and other processes:
 *   node dist/test/support/kurrentdb-double/main.js [--port 2113] [--max-append-size 1048576] [--stats-period-ms 30000]
 * Prints the connection string, serves until SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '2113' },
      'max-append-size': { type: 'string' },
      'stats-period-ms': { type: 'string' },
    },
  });
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  const double = await startKurrentDbDouble({
    port: number(values.port),
    maxAppendSize: number(values['max-append-size']),
    statsPeriodMs: number(values['stats-period-ms']),
  });
  console.log(double.connectionString);
  const stop = () => void double.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
