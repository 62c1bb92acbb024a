import { mutationDocument } from '../test/support/service-client';
import { GraphqlClient } from './graphql-client';
import { percentile } from './latency';

const INSTALL = mutationDocument('installDevice', 'revision');
const REMOVE = mutationDocument('removeDevice', 'revision');

/**
 * Command latency on a PoP whose stream holds a long history against a fresh PoP with the same
 * layout, over HTTP with the lean client (one kept-alive connection), one command at a time,
 * alternating the two PoPs so that drift hits both: a server installed at U2 of rack r1, then
 * removed, and so on. The first commands (which load each stream) are a warm-up.
 */
export async function measureLongStream(url: string, secret: string, longPop: string, freshPop: string, commands: number, warmup: number): Promise<{ longP50: number; freshP50: number; ratio: number }> {
  const samples = new Map<string, number[]>([[longPop, []], [freshPop, []]]);
  const client = new GraphqlClient(url, secret);
  try {
    for (let k = 0; k < commands + warmup; k++) {
      for (const popId of [longPop, freshPop]) {
        const deviceId = `lsb${Math.floor(k / 2)}`;
        const [query, input] = k % 2 === 0
          ? [INSTALL, { popId, deviceId, rackId: 'r1', role: 'SERVER', positionU: 2, heightU: 1, powerDrawWatts: 100 }]
          : [REMOVE, { popId, deviceId }];
        const started = performance.now();
        const answer = await client.query(query, { input });
        const ms = performance.now() - started;
        if (answer.errors?.length) throw new Error(`${popId}: ${JSON.stringify(answer.errors).slice(0, 300)}`);
        if (k >= warmup) samples.get(popId)?.push(ms);
      }
    }
  } finally {
    client.close();
  }
  const longP50 = percentile(samples.get(longPop) as number[], 0.5);
  const freshP50 = percentile(samples.get(freshPop) as number[], 0.5);
  return { longP50, freshP50, ratio: longP50 / freshP50 };
}
