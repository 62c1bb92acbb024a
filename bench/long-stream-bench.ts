import { mutationDocument } from '../test/support/service-client';
import { GraphqlClient } from './graphql-client';
import { percentile } from './latency';

const INSTALL = mutationDocument('installDevice', 'revision');
const REMOVE = mutationDocument('removeDevice', 'revision');
const RESERVE = mutationDocument('reserveCapacity', 'revision');

const SECOND = 1_000;

interface Ratio {
  longP50: number;
  freshP50: number;
  ratio: number;
}

/** One command's variables for a PoP, by sequence number. */
type CommandOf = (popId: string, k: number) => { query: string; input: Record<string, unknown> };

/**
 * Command latency on a PoP with a long history against a fresh PoP with the same layout, over one
 * kept-alive connection (the lean client), one command at a time, alternating the two PoPs so that
 * drift hits both. The first `warmup` commands per PoP (which load each stream) are not measured.
 */
async function compare(url: string, secret: string, longPop: string, freshPop: string, commands: number, warmup: number, commandOf: CommandOf): Promise<Ratio> {
  const client = new GraphqlClient(url, secret);
  const samples = new Map<string, number[]>([[longPop, []], [freshPop, []]]);
  try {
    for (let k = 0; k < commands + warmup; k++) {
      for (const popId of [longPop, freshPop]) {
        const { query, input } = commandOf(popId, k);
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

/**
 * Commands at the end of a long stream: a server installed at U2 of rack r1, then removed, and so on,
 * effective now, on both PoPs.
 */
export function measureLongStream(url: string, secret: string, longPop: string, freshPop: string, commands: number, warmup: number): Promise<Ratio> {
  return compare(url, secret, longPop, freshPop, commands, warmup, (popId, k) => {
    const deviceId = `lsb${Math.floor(k / 2)}`;
    return k % 2 === 0
      ? { query: INSTALL, input: { popId, deviceId, rackId: 'r1', role: 'SERVER', positionU: 2, heightU: 1, powerDrawWatts: 100 } }
      : { query: REMOVE, input: { popId, deviceId } };
  });
}

/**
 * Commands effective before every later change of the long PoP (its history starts after `backdatedAt`),
 * against the same commands effective now on the fresh PoP. In turn: a delivery (a server installed at
 * U2 of rack r2), its removal a second later, and an open-ended reservation of 0.001 U; on the long PoP
 * each is effective `backdatedAt` plus two seconds a round, so each changes the PoP's totals from then on.
 */
export function measureBackdated(url: string, secret: string, longPop: string, freshPop: string, backdatedAt: number, commands: number, warmup: number): Promise<Ratio> {
  return compare(url, secret, longPop, freshPop, commands, warmup, (popId, k) => {
    const round = Math.floor(k / 3);
    const at = popId === longPop ? new Date(backdatedAt + round * 2 * SECOND + (k % 3 === 1 ? SECOND : 0)).toISOString() : undefined;
    const effective = at ? { effectiveAt: at } : {};
    const deviceId = `bdd${round}`;
    if (k % 3 === 0) return { query: INSTALL, input: { popId, deviceId, rackId: 'r2', role: 'SERVER', positionU: 2, heightU: 1, powerDrawWatts: 100, ...effective } };
    if (k % 3 === 1) return { query: REMOVE, input: { popId, deviceId, ...effective } };
    const from = at ?? new Date().toISOString();
    return { query: RESERVE, input: { popId, reservationId: `bdr${round}`, resource: 'SPACE_U', amount: 0.001, from } };
  });
}
