import { openEmmett, runOn, type StoreSizes } from './event-store-bench';

/**
 * `node emmett-probe.js <databaseUrl> <schema> <sizes JSON>`: the Emmett side of the event-store
 * comparison, alone in its process; prints its rates as one JSON line.
 */
async function main(): Promise<void> {
  const [databaseUrl, schema, sizes] = process.argv.slice(2);
  const rates = await runOn(openEmmett(databaseUrl, schema), JSON.parse(sizes) as StoreSizes);
  console.log(JSON.stringify(rates));
}

main().catch((error: unknown) => {
  console.error(`Emmett probe failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
