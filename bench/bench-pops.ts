import { METROS } from '../src/seed/metros';
import type { NetworkGenerator } from '../src/seed/network-generator';
import type { PopSchedule } from '../src/seed/pop-schedule';
import { DAY, HOUR, dateOf } from '../src/seed/seed-time';
import type { SeedStream } from '../src/seed/stream-builder';

/**
 * Purpose-built PoPs the benchmarks write to: LIVE, leased without limits, with `racks` empty 42 U
 * racks fed A+B (230 V / 32 A: 5.59 kW usable each) and one 100 Gbit/s transit circuit. Every slot
 * and every Mbps is known, so a load generator can send only commands that will be accepted.
 */
export const BENCH_RACK_U = 42;
export const BENCH_CIRCUIT_MBPS = 100_000;

export function benchPop(generator: NetworkGenerator, popId: string, racks: number, index: number, liveAt: number): SeedStream {
  return benchPopSchedule(generator, popId, racks, index, liveAt).builder.toStream();
}

/**
 * A bench PoP with one rack whose stream holds `events` events: the rack saw a long churn of
 * devices, one installed at U1 and removed half an hour later, every hour (all before `liveAt`'s
 * "now"), so that its state carries a long history like a real, old PoP's.
 */
export function longStreamPop(generator: NetworkGenerator, popId: string, events: number, liveAt: number, now: number): SeedStream {
  const s = benchPopSchedule(generator, popId, 1, 0, liveAt);
  const start = liveAt + HOUR;
  for (let k = 0; s.builder.events.length + 2 <= events; k++) {
    const at = start + k * HOUR;
    if (at + HOUR > now) throw new Error(`bench PoP ${popId}: ${events} events of churn do not fit before now`);
    must(s.decide('InstallDevice', { popId, deviceId: `churn${k}`, rackId: 'r1', role: 'SERVER', positionU: 1, heightU: 1, powerDrawWatts: 300 }, at), s, 'InstallDevice');
    must(s.decide('RemoveDevice', { popId, deviceId: `churn${k}` }, at + HOUR / 2), s, 'RemoveDevice');
  }
  return s.builder.toStream();
}

function benchPopSchedule(generator: NetworkGenerator, popId: string, racks: number, index: number, liveAt: number): PopSchedule {
  const s = generator.schedule(popId, METROS[index % METROS.length]);
  const at = liveAt - 30 * DAY;
  const { metro } = s;
  must(s.decide('RegisterPop', { popId, code: popId.toUpperCase(), name: `Bench ${popId}`, kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: metro.countryCode, city: metro.city, region: metro.region }, at), s, 'RegisterPop');
  must(s.decide('LeaseSite', { popId, leaseId: 'l1', lessor: 'Bench Colo', startsOn: dateOf(at), monthlyCost: s.local(5_000) }, at + HOUR), s, 'LeaseSite');
  must(s.decide('StartBuildOut', { popId }, at + 2 * HOUR), s, 'StartBuildOut');
  for (let r = 1; r <= racks; r++) {
    must(s.decide('InstallRack', { popId, rackId: `r${r}` }, at + 3 * HOUR), s, 'InstallRack');
    for (const side of ['A', 'B'] as const) {
      must(s.decide('AddPowerFeed', { popId, feedId: `r${r}-${side}`, rackId: `r${r}`, side, phase: 'SINGLE', voltage: 230, amperage: 32 }, at + 4 * HOUR), s, 'AddPowerFeed');
    }
  }
  must(s.decide('ConnectCarrier', { popId, circuitId: 'c1', carrier: 'Arelion', type: 'TRANSIT', bandwidthMbps: BENCH_CIRCUIT_MBPS, monthlyCost: s.local(6_500) }, at + 5 * HOUR), s, 'ConnectCarrier');
  must(s.decide('ActivatePop', { popId }, liveAt), s, 'ActivatePop');
  return s;
}

function must(accepted: boolean, s: PopSchedule, command: string): void {
  if (!accepted) throw new Error(`The domain refused ${command} for bench PoP ${s.popId}`);
}
