import { randomUUID } from 'node:crypto';
import { EventStore, NewEvent } from '../../src/event-store/event-store.port';

/**
 * A synthetic inventory of many PoPs for benchmarks (not a test): events built by hand, consistent
 * with the rules (each rack fed A+B, 5.5936 kW usable, devices within it; distinct positions), and
 * appended straight to the store, one PoP stream at a time. `churn` adds device install/remove
 * pairs to lengthen the log.
 */
export interface DatasetShape {
  pops: number;
  racksPerPop: number;
  devicesPerPop: number;
  circuitsPerPop: number;
  churnPerPop: number;
}

export const BENCH_SHAPE: DatasetShape = { pops: 2000, racksPerPop: 20, devicesPerPop: 50, circuitsPerPop: 3, churnPerPop: 0 };

const COUNTRIES = ['DE', 'FR', 'NL', 'GB', 'US', 'CH', 'JP', 'BR', 'SE', 'PL'];
const REGIONS = ['EMEA', 'AMER', 'APAC'];
const START = Date.parse('2025-01-01T00:00:00Z');
const HOUR = 3_600_000;

export function popId(index: number): string {
  return `bench-${String(index).padStart(5, '0')}`;
}

/** The events of PoP `index` in stream order. */
export function popEvents(index: number, shape: DatasetShape): NewEvent[] {
  const id = popId(index);
  const events: NewEvent[] = [];
  let clock = START + index * 60_000;
  const add = (type: string, data: Record<string, unknown>, hours = 1) => {
    clock += hours * HOUR;
    events.push({
      eventId: randomUUID(),
      type,
      data: { popId: id, ...data },
      metadata: { effectiveAt: new Date(clock).toISOString(), actor: 'bench', source: 'import', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
    });
  };
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  add('PopRegistered', {
    code: `B${index}`, name: `Bench ${index}`, kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: COUNTRIES[index % COUNTRIES.length],
    city: `City ${index % 97}`, region: REGIONS[index % REGIONS.length], latitude: null, longitude: null, provider: null, cloudRegion: null, monthlyCost: null,
  });
  add('SiteLeased', {
    leaseId: 'l1', lessor: 'Lessor', startsOn: '2025-01-01', endsOn: null, monthlyCost: eur('10000'), oneOffCost: null,
    contractedPowerKw: index % 4 === 0 ? 80 : null, maxRacks: null,
  });
  add('BuildOutStarted', {});
  const feed = (feedId: string, rackId: string, side: 'A' | 'B') => ({
    feedId, rackId, side, phase: 'SINGLE', voltage: 230, amperage: 32, deratingPercent: 80, powerFactor: 0.95, monthlyCost: eur('300'), oneOffCost: null,
  });
  for (let r = 0; r < shape.racksPerPop; r++) {
    add('RackInstalled', { rackId: `r${r}`, name: null, heightU: 42, maxPowerKw: null });
    add('PowerFeedAdded', feed(`r${r}-a`, `r${r}`, 'A'));
    add('PowerFeedAdded', feed(`r${r}-b`, `r${r}`, 'B'));
  }
  const device = (deviceId: string, slot: number, watts: number) => ({
    deviceId, rackId: `r${slot % shape.racksPerPop}`, name: null, role: 'SERVER', positionU: 1 + 2 * Math.floor(slot / shape.racksPerPop), heightU: 2,
    powerDrawWatts: watts, purchaseCost: null,
  });
  for (let d = 0; d < shape.devicesPerPop; d++) add('DeviceInstalled', device(`d${d}`, d, 500 + ((index + d) % 10) * 100));
  for (let c = 0; c < shape.circuitsPerPop; c++) {
    add('CarrierConnected', {
      circuitId: `c${c}`, carrier: 'Carrier', type: ['TRANSIT', 'IX_PEERING', 'ETHERNET'][c % 3], bandwidthMbps: 1000 * (c + 1), monthlyCost: eur('900'), oneOffCost: null, termMonths: null,
    });
  }
  add('PopActivated', {});
  add('CapacityReserved', { reservationId: 's1', resource: 'SPACE_U', amount: 4, from: new Date(clock).toISOString(), until: null, note: null });
  add('CapacityReserved', { reservationId: 'p1', resource: 'POWER_KW', amount: 1.5, from: new Date(clock).toISOString(), until: new Date(clock + 2000 * HOUR).toISOString(), note: null });
  // Churn in a slot no permanent device uses (the top of each rack).
  for (let k = 0; k < shape.churnPerPop; k++) {
    const slot = { deviceId: `x${k}`, rackId: `r${k % shape.racksPerPop}`, name: null, role: 'OTHER', positionU: 41, heightU: 1, powerDrawWatts: 100, purchaseCost: null };
    add('DeviceInstalled', slot);
    add('DeviceRemoved', { deviceId: `x${k}` });
  }
  return events;
}

/** Appends the dataset, `concurrency` streams at a time; returns the number of events. */
export async function appendDataset(store: EventStore, shape: DatasetShape, concurrency = 8): Promise<number> {
  let total = 0;
  for (let first = 0; first < shape.pops; first += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, shape.pops - first) }, (_, offset) => first + offset);
    await Promise.all(
      batch.map(async (index) => {
        const events = popEvents(index, shape);
        for (let from = 0; from < events.length; from += 1000) await store.append(`pop-${popId(index)}`, events.slice(from, from + 1000), 'any');
        total += events.length;
      }),
    );
  }
  return total;
}
