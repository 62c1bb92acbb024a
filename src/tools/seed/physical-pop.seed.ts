import { feedKw, round4 } from '../../inventory';
import type { CapacityResource, CircuitType, FeedPhase, OperatorModel } from '../../inventory';
import { CARRIER_HOTEL_LESSORS, CARRIERS, CIRCUIT_SPEEDS, DEVICE_MODELS, LESSORS, type DeviceModel } from './catalog.seed';
import type { PopSchedule } from './pop-schedule.seed';
import { DAY, HOUR, YEAR, seedDateOf, dayStartOf, type SeedPeriod } from './seed-time.util';

const OPERATOR_MODELS: ReadonlyArray<[OperatorModel, number]> = [['COLOCATION', 6], ['CARRIER_HOTEL', 2], ['OWNED', 2]];
const RACK_HEIGHTS: ReadonlyArray<[number, number]> = [[42, 8], [45, 1], [48, 1]];
const CIRCUIT_TYPES: readonly CircuitType[] = ['TRANSIT', 'IX_PEERING', 'DARK_FIBER', 'ETHERNET', 'WAVELENGTH', 'CLOUD_ONRAMP'];
const RESOURCES: readonly CapacityResource[] = ['SPACE_U', 'POWER_KW', 'BANDWIDTH_MBPS'];
const RESERVATION_NOTES = ['Customer expansion', 'Planned CDN cache', 'Tenant trial', 'Migration buffer', 'Peering router refresh'];
/** Devices stop being added when a rack's draw would pass this share of its usable power. */
const RACK_POWER_TARGET = 0.9;

/** A rack as the generator sees it: which U is busy until when, and the draw of its devices over time. */
class RackPlan {
  usableKw = 0;
  private readonly busyUntil: number[];
  private readonly devices: Array<{ drawKw: number; until: number }> = [];

  constructor(
    readonly rackId: string,
    readonly heightU: number,
    readonly maxPowerKw: number | null,
  ) {
    this.busyUntil = new Array<number>(heightU).fill(-Infinity);
  }

  /** Lowest position where `heightU` units are free from `at` on. */
  freePosition(heightU: number, at: number): number | null {
    for (let position = 1; position + heightU - 1 <= this.heightU; position++) {
      let free = true;
      for (let u = position; u < position + heightU && free; u++) free = this.busyUntil[u - 1] <= at;
      if (free) return position;
    }
    return null;
  }

  fitsPower(drawKw: number, at: number): boolean {
    const present = this.devices.reduce((sum, d) => (d.until > at ? sum + d.drawKw : sum), 0);
    return present + drawKw <= this.usableKw * RACK_POWER_TARGET;
  }

  occupy(position: number, heightU: number, drawKw: number, until: number): void {
    for (let u = position; u < position + heightU; u++) this.busyUntil[u - 1] = until;
    this.devices.push({ drawKw, until });
  }
}

/**
 * A physical PoP's life: registered, leased, built out with racks fed on A and B, activated, then
 * growing (racks, devices, circuits, reservations), with some removals; a few are decommissioned and
 * closed. Older PoPs are fuller. Effective times run from `registeredAt` to a little after "now".
 */
export function planPhysicalPop(s: PopSchedule, period: SeedPeriod, registeredAt: number, code: string, ordinal: number): void {
  const { prng: p, metro, popId } = s;
  const horizon = period.endMs + 60 * DAY;
  const size = Math.min(24, Math.round(2 + p.next() ** 2 * (4 + metro.weight * 1.2)));
  const phase: FeedPhase = p.chance(0.3) ? 'THREE' : 'SINGLE';
  const voltage = phase === 'THREE' ? 400 : 230;
  const sideKw = feedKw({ phase, voltage, amperage: 32, deratingPercent: 80, powerFactor: 0.95 });
  const operatorModel = p.weighted(OPERATOR_MODELS, ([, w]) => w)[0];

  s.at(registeredAt, () =>
    s.decide('RegisterPop', {
      popId,
      code,
      name: `${metro.city} ${ordinal}`,
      kind: 'PHYSICAL',
      operatorModel,
      countryCode: metro.countryCode,
      city: metro.city,
      region: metro.region,
      latitude: round4(metro.latitude + p.float(-0.08, 0.08)),
      longitude: round4(metro.longitude + p.float(-0.08, 0.08)),
    }, registeredAt),
  );

  const leaseAt = registeredAt + p.int(3, 30) * DAY + p.int(8, 17) * HOUR;
  const startsAt = dayStartOf(leaseAt + p.int(0, 21) * DAY);
  const lessor = operatorModel === 'OWNED' ? `${metro.city} facility (owned)` : p.pick(operatorModel === 'CARRIER_HOTEL' ? CARRIER_HOTEL_LESSORS : LESSORS);
  const lease = {
    popId,
    leaseId: `${popId}-l1`,
    lessor,
    startsOn: seedDateOf(startsAt),
    ...(p.chance(0.5) ? { endsOn: seedDateOf(startsAt + p.int(5, 10) * YEAR - DAY) } : {}),
    monthlyCost: s.local(operatorModel === 'OWNED' ? 800 : 1_500 + size * p.int(700, 1_200)),
    ...(p.chance(0.3) ? { oneOffCost: s.local(p.int(5, 25) * 1_000) } : {}),
    ...(p.chance(0.35) ? { contractedPowerKw: Math.round(size * sideKw * 0.75) } : {}),
    ...(p.chance(0.35) ? { maxRacks: size + p.int(0, 3) } : {}),
  };
  s.at(leaseAt, () => s.decide('LeaseSite', lease, leaseAt));

  const buildAt = Math.max(leaseAt, startsAt) + p.int(5, 40) * DAY + p.int(8, 17) * HOUR;
  const activateAt = buildAt + p.int(25, 90) * DAY;
  const decommissionAt = activateAt < period.endMs - 1.5 * YEAR && p.chance(0.05) ? p.float(activateAt + YEAR, period.endMs - 60 * DAY) : null;
  /** Nothing is added from the decommissioning on. */
  const addUntil = Math.min(horizon, decommissionAt ?? Infinity);
  if (buildAt < horizon) s.at(buildAt, () => s.decide('StartBuildOut', { popId }, buildAt));
  if (activateAt < horizon) s.at(activateAt, () => s.decide('ActivatePop', { popId }, activateAt));

  const present = { racks: new Set<string>(), feeds: new Set<string>(), devices: new Set<string>(), circuits: new Set<string>(), reservations: new Set<string>() };
  let devices = 0;

  const installRack = (number: number, at: number): void => {
    if (at >= addUntil) return;
    const rack = new RackPlan(`r${number}`, p.weighted(RACK_HEIGHTS, ([, w]) => w)[0], p.chance(0.2) ? Math.round(sideKw * 0.8 * 10) / 10 : null);
    const redundant = p.chance(0.92);
    const age = (period.endMs - at) / YEAR;
    const fill = Math.min(0.95, 0.45 + 0.3 * Math.max(age, 0)) * p.float(0.65, 1);
    // What a rack holds of the catalogue's average device (1.4 U, 0.42 kW), by space or by power.
    const capacity = Math.min(rack.heightU / 1.4, ((rack.maxPowerKw ?? sideKw) * RACK_POWER_TARGET) / 0.42);
    const deviceCount = Math.round(fill * capacity);
    s.at(at, () => {
      const data = { popId, rackId: rack.rackId, name: `${code} rack ${number}`, heightU: rack.heightU, ...(rack.maxPowerKw === null ? {} : { maxPowerKw: rack.maxPowerKw }) };
      if (!s.decide('InstallRack', data, at)) return;
      present.racks.add(rack.rackId);
      const feedAt = at + 2 * HOUR;
      for (const side of redundant ? (['A', 'B'] as const) : (['A'] as const)) {
        const feedId = `${rack.rackId}-${side.toLowerCase()}`;
        s.at(feedAt, () => {
          const feed = {
            popId,
            feedId,
            rackId: rack.rackId,
            side,
            phase,
            voltage,
            amperage: 32,
            monthlyCost: s.local(phase === 'THREE' ? 900 : 350),
            ...(p.chance(0.3) ? { oneOffCost: s.local(600) } : {}),
          };
          if (!s.decide('AddPowerFeed', feed, feedAt)) return;
          present.feeds.add(feedId);
          rack.usableKw = Math.min(sideKw, rack.maxPowerKw ?? Infinity);
        });
      }
      const from = Math.max(at + 3 * DAY, activateAt - 30 * DAY);
      for (let i = 0; i < deviceCount && from < addUntil; i++) {
        const installAt = p.float(from, addUntil);
        const model = p.weighted(DEVICE_MODELS, (d) => d.weight);
        const removalAt = p.chance(0.1) ? installAt + p.float(60, 1_000) * DAY : Infinity;
        const deviceId = `d${++devices}`;
        s.at(installAt, () => installDevice(rack, deviceId, model, installAt, removalAt < addUntil ? removalAt : Infinity));
      }
    });
  };

  const installDevice = (rack: RackPlan, deviceId: string, model: DeviceModel, at: number, removalAt: number): void => {
    const position = rack.freePosition(model.heightU, at);
    const drawKw = model.powerDrawWatts / 1000;
    if (position === null || !rack.fitsPower(drawKw, at)) return;
    const device = {
      popId,
      deviceId,
      rackId: rack.rackId,
      name: model.name,
      role: model.role,
      positionU: position,
      heightU: model.heightU,
      powerDrawWatts: model.powerDrawWatts,
      ...(p.chance(0.8) ? { purchaseCost: s.local(model.eurPrice) } : {}),
    };
    if (!s.decide('InstallDevice', device, at)) return;
    rack.occupy(position, model.heightU, drawKw, removalAt);
    present.devices.add(deviceId);
    if (removalAt !== Infinity) s.at(removalAt, () => s.decide('RemoveDevice', { popId, deviceId }, removalAt) && present.devices.delete(deviceId));
  };

  const initialRacks = Math.ceil(size * 0.5);
  for (let n = 1; n <= size; n++) {
    installRack(n, n <= initialRacks ? buildAt + p.int(1, 20) * DAY : p.float(activateAt, Math.max(activateAt, period.endMs)));
  }

  if (p.chance(0.15)) {
    const expansionAt = p.float(activateAt + 180 * DAY, period.endMs - 90 * DAY);
    if (expansionAt > activateAt && expansionAt < addUntil) {
      const expansionStarts = dayStartOf(expansionAt + 14 * DAY);
      const expansion = { popId, leaseId: `${popId}-l2`, lessor, startsOn: seedDateOf(expansionStarts), monthlyCost: s.local(p.int(3, 8) * 1_000) };
      s.at(expansionAt, () => s.decide('LeaseSite', expansion, expansionAt));
      const extra = p.int(2, 4);
      for (let n = 1; n <= extra; n++) installRack(size + n, expansionStarts + p.int(1, 60) * DAY);
    }
  }

  const circuits = p.int(2, 6);
  for (let n = 1; n <= circuits; n++) {
    const type: CircuitType = n === 1 ? 'TRANSIT' : n === 2 && p.chance(0.6) ? 'IX_PEERING' : p.pick(CIRCUIT_TYPES);
    const at = p.float(buildAt, Math.max(buildAt, Math.min(addUntil, period.endMs)));
    if (at >= addUntil) continue;
    const speed = p.pick(CIRCUIT_SPEEDS);
    const circuitId = `c${n}`;
    const circuit = {
      popId,
      circuitId,
      carrier: p.pick(CARRIERS[type]),
      type,
      bandwidthMbps: speed.mbps,
      monthlyCost: s.local(type === 'IX_PEERING' ? speed.eurMonthly * 0.4 : speed.eurMonthly),
      ...(p.chance(0.4) ? { oneOffCost: s.local(1_500) } : {}),
      ...(p.chance(0.7) ? { termMonths: p.pick([12, 24, 36]) } : {}),
    };
    const ceaseAt = p.chance(0.1) ? at + p.int(180, 900) * DAY : Infinity;
    s.at(at, () => {
      if (!s.decide('ConnectCarrier', circuit, at)) return;
      present.circuits.add(circuitId);
      if (ceaseAt < addUntil) s.at(ceaseAt, () => s.decide('DisconnectCarrier', { popId, circuitId }, ceaseAt) && present.circuits.delete(circuitId));
    });
  }

  const reservations = p.int(0, 3);
  for (let n = 1; n <= reservations; n++) {
    const reservedAt = p.float(activateAt - 30 * DAY, Math.max(activateAt, period.endMs));
    const from = reservedAt + p.int(0, 30) * DAY;
    if (from >= addUntil) continue;
    const resource = p.pick(RESOURCES);
    const reservationId = `res${n}`;
    const reservation = {
      popId,
      reservationId,
      resource,
      amount: resource === 'SPACE_U' ? p.int(2, 8) : resource === 'POWER_KW' ? p.int(1, 4) : p.pick([500, 1_000, 2_000, 5_000]),
      from: new Date(from).toISOString(),
      ...(p.chance(0.8) ? { until: new Date(from + p.int(60, 365) * DAY).toISOString() } : {}),
      note: p.pick(RESERVATION_NOTES),
    };
    const releaseAt = p.chance(0.3) ? from + p.int(10, 60) * DAY : Infinity;
    s.at(reservedAt, () => {
      if (!s.decide('ReserveCapacity', reservation, reservedAt)) return;
      present.reservations.add(reservationId);
      if (releaseAt < horizon) s.at(releaseAt, () => s.decide('ReleaseReservation', { popId, reservationId }, releaseAt) && present.reservations.delete(reservationId));
    });
  }

  if (decommissionAt !== null) planDecommission(s, period, decommissionAt, present);
}

/** Decommissioning strips the PoP (devices, circuits, reservations, then feeds, then racks), ends the lease and closes it. */
function planDecommission(
  s: PopSchedule,
  period: SeedPeriod,
  decommissionAt: number,
  present: Record<'racks' | 'feeds' | 'devices' | 'circuits' | 'reservations', Set<string>>,
): void {
  const { prng: p, popId } = s;
  const closeAt = decommissionAt + p.int(30, 90) * DAY;
  const stripAt = decommissionAt + 2 * DAY;
  s.at(decommissionAt, () => s.decide('StartDecommission', { popId }, decommissionAt));
  s.at(stripAt, () => {
    for (const deviceId of present.devices) s.decide('RemoveDevice', { popId, deviceId }, stripAt);
    for (const circuitId of present.circuits) s.decide('DisconnectCarrier', { popId, circuitId }, stripAt);
    for (const reservationId of present.reservations) s.decide('ReleaseReservation', { popId, reservationId }, stripAt);
  });
  s.at(stripAt + DAY, () => present.feeds.forEach((feedId) => s.decide('RemovePowerFeed', { popId, feedId }, stripAt + DAY)));
  s.at(stripAt + 2 * DAY, () => present.racks.forEach((rackId) => s.decide('RemoveRack', { popId, rackId }, stripAt + 2 * DAY)));
  const endsOn = seedDateOf(closeAt - DAY);
  s.at(stripAt + 3 * DAY, () => s.decide('TerminateLease', { popId, leaseId: `${popId}-l1`, endsOn }, stripAt + 3 * DAY));
  if (closeAt < period.endMs) s.at(closeAt, () => s.decide('ClosePop', { popId }, closeAt));
}
