import type { PopCommand } from '../src/domain/pop/pop.commands';
import { METROS } from '../src/seed/metros';
import type { NetworkGenerator } from '../src/seed/network-generator';
import type { PopSchedule } from '../src/seed/pop-schedule';
import { HOUR } from '../src/seed/seed-time';
import type { SeedStream } from '../src/seed/stream-builder';
import { slotPopSteps } from '../test/support/slot-pops';

/** A slot PoP (test/support/slot-pops.ts) decided in memory, ready to append: the benchmarks' load targets. */
export function benchPop(generator: NetworkGenerator, popId: string, racks: number, index: number, liveAt: number): SeedStream {
  return slotPopSchedule(generator, popId, racks, index, liveAt).builder.toStream();
}

/**
 * A slot PoP with one rack whose stream holds `events` events: the rack saw a long churn of
 * devices, one installed at U1 and removed half an hour later, every hour, all before `now`, so
 * that its state carries a long history like an old, busy PoP's.
 */
export function longStreamPop(generator: NetworkGenerator, popId: string, events: number, liveAt: number, now: number): SeedStream {
  const s = slotPopSchedule(generator, popId, 1, 0, liveAt);
  for (let k = 0; s.builder.events.length + 2 <= events; k++) {
    const at = liveAt + HOUR + k * HOUR;
    if (at + HOUR > now) throw new Error(`PoP ${popId}: ${events} events of churn do not fit before now`);
    must(s.decide('InstallDevice', { popId, deviceId: `churn${k}`, rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 300 }, at), s, 'InstallDevice');
    must(s.decide('RemoveDevice', { popId, deviceId: `churn${k}` }, at + HOUR / 2), s, 'RemoveDevice');
  }
  return s.builder.toStream();
}

function slotPopSchedule(generator: NetworkGenerator, popId: string, racks: number, index: number, liveAt: number): PopSchedule {
  const metro = METROS[index % METROS.length];
  const s = generator.schedule(popId, metro);
  for (const step of slotPopSteps(popId, racks, liveAt, metro)) {
    // The steps are the mutations' inputs, which are the commands' data (DESIGN section 8).
    must(s.builder.tryDecide(step as unknown as PopCommand, undefined), s, step.type);
  }
  return s;
}

function must(accepted: boolean, s: PopSchedule, command: string): void {
  if (!accepted) throw new Error(`The domain refused ${command} for bench PoP ${s.popId}`);
}
