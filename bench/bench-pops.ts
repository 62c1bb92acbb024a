import { METROS } from '../src/tools/seed/metros.seed';
import type { SeedStream } from '../src/tools/seed/stream-builder.seed';
import { slotPopBuilder } from '../test/support/slot-pops';

const HOUR = 3_600_000;

/** A slot PoP (test/support/slot-pops.ts) in one of the seed's metros, decided in memory: a load target. */
export function benchPop(popId: string, racks: number, index: number, liveAt: number): SeedStream {
  return slotPopBuilder(popId, racks, liveAt, METROS[index % METROS.length]).toStream();
}

/**
 * A slot PoP with `racks` racks whose stream holds `events` events: rack r1 saw a long churn of
 * devices, one installed at U1 and removed half an hour later, every hour, all before `now`, so
 * that its state carries a long history like an old, busy PoP's.
 */
export function longStreamPop(popId: string, events: number, liveAt: number, now: number, racks = 1): SeedStream {
  const builder = slotPopBuilder(popId, racks, liveAt, METROS[0]);
  for (let k = 0; builder.events.length + 2 <= events; k++) {
    const at = liveAt + HOUR + k * HOUR;
    if (at + HOUR > now) throw new Error(`PoP ${popId}: ${events} events of churn do not fit before now`);
    const installed = builder.tryDecide({ type: 'InstallDevice', data: { popId, deviceId: `churn${k}`, rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 300 }, effectiveAt: new Date(at).toISOString() }, undefined);
    const removed = builder.tryDecide({ type: 'RemoveDevice', data: { popId, deviceId: `churn${k}` }, effectiveAt: new Date(at + HOUR / 2).toISOString() }, undefined);
    if (!installed || !removed) throw new Error(`The domain refused the churn of PoP ${popId} at ${k}`);
  }
  return builder.toStream();
}
