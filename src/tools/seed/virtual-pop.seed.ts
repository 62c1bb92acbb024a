import { round4 } from '../../inventory';
import type { CircuitType } from '../../inventory';
import { CARRIERS, CIRCUIT_SPEEDS } from './catalog.seed';
import type { CloudProvider } from './metros.seed';
import { seedMoney, type PopSchedule } from './pop-schedule.seed';
import { DAY, YEAR, type SeedPeriod } from './seed-time.util';

const ONRAMPS: Readonly<Record<CloudProvider, string>> = {
  AWS: 'AWS Direct Connect',
  GCP: 'Google Cloud Interconnect',
  Azure: 'Azure ExpressRoute',
};

/**
 * A cloud region used as a PoP: registered, activated (no lease, no racks), connected by cloud
 * on-ramps and transit, billed monthly in USD; a few are decommissioned.
 */
export function planVirtualPop(s: PopSchedule, period: SeedPeriod, registeredAt: number, code: string, provider: CloudProvider): void {
  const { prng: p, metro, popId } = s;
  const horizon = period.endMs + 60 * DAY;
  const cloudRegion = metro.cloud[provider] as string;
  s.at(registeredAt, () =>
    s.decide('RegisterPop', {
      popId,
      code,
      name: `${provider} ${cloudRegion} (${metro.city})`,
      kind: 'VIRTUAL',
      operatorModel: 'CLOUD',
      countryCode: metro.countryCode,
      city: metro.city,
      region: metro.region,
      latitude: round4(metro.latitude),
      longitude: round4(metro.longitude),
      provider,
      cloudRegion,
      monthlyCost: seedMoney(p.int(2, 40) * 1_000, 'USD'),
    }, registeredAt),
  );
  const activateAt = registeredAt + p.int(3, 45) * DAY;
  if (activateAt < horizon) s.at(activateAt, () => s.decide('ActivatePop', { popId }, activateAt));
  const decommissionAt = activateAt < period.endMs - 1.5 * YEAR && p.chance(0.03) ? p.float(activateAt + YEAR, period.endMs - 60 * DAY) : null;
  const addUntil = Math.min(horizon, decommissionAt ?? Infinity);

  const circuits = p.int(1, 3);
  const connected = new Set<string>();
  for (let n = 1; n <= circuits; n++) {
    const type: CircuitType = n === 1 ? 'CLOUD_ONRAMP' : p.pick(['TRANSIT', 'ETHERNET', 'CLOUD_ONRAMP'] as const);
    const at = p.float(registeredAt, Math.max(registeredAt, Math.min(addUntil, period.endMs)));
    if (at >= addUntil) continue;
    const speed = p.pick(CIRCUIT_SPEEDS.slice(0, 3));
    const circuitId = `c${n}`;
    const circuit = {
      popId,
      circuitId,
      carrier: type === 'CLOUD_ONRAMP' ? ONRAMPS[provider] : p.pick(CARRIERS[type]),
      type,
      bandwidthMbps: speed.mbps,
      monthlyCost: seedMoney(speed.eurMonthly * 1.1, 'USD'),
      ...(p.chance(0.5) ? { termMonths: 12 } : {}),
    };
    s.at(at, () => s.decide('ConnectCarrier', circuit, at) && connected.add(circuitId));
  }
  if (p.chance(0.3)) {
    const at = p.float(activateAt, Math.max(activateAt, period.endMs));
    const reservation = { popId, reservationId: 'res1', resource: 'BANDWIDTH_MBPS' as const, amount: p.pick([200, 500, 1_000]), from: new Date(at).toISOString(), note: 'Burst headroom for a migration' };
    if (at < addUntil) s.at(at, () => s.decide('ReserveCapacity', reservation, at));
  }
  if (decommissionAt !== null) {
    s.at(decommissionAt, () => s.decide('StartDecommission', { popId }, decommissionAt));
    const ceaseAt = decommissionAt + 7 * DAY;
    s.at(ceaseAt, () => connected.forEach((circuitId) => s.decide('DisconnectCarrier', { popId, circuitId }, ceaseAt)));
    const closeAt = decommissionAt + p.int(30, 60) * DAY;
    if (closeAt < period.endMs) s.at(closeAt, () => s.decide('ClosePop', { popId }, closeAt));
  }
}
