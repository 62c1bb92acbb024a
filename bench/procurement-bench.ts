import { bearer } from '../test/support/service-client';
import { SLOT_RACK_U } from '../test/support/slot-pops';

/**
 * Month-end procurement: batches of 1,000 records over HTTP, one batch after the other, each record
 * valid and new. Seven in ten deliver a device into the next free slot of a bench PoP, two a circuit,
 * one a power feed; records of one batch spread over every bench PoP.
 */
export class ProcurementRecords {
  private sent = 0;
  private readonly counters = new Map<string, { devices: number; circuits: number; feeds: number }>();

  constructor(
    private readonly pops: readonly string[],
    private readonly tag: string,
    private readonly occurredAt: string,
  ) {}

  batch(size: number): Array<Record<string, unknown>> {
    return Array.from({ length: size }, () => this.record());
  }

  private record(): Record<string, unknown> {
    const n = this.sent++;
    const popId = this.pops[n % this.pops.length];
    const counter = this.counters.get(popId) ?? { devices: 0, circuits: 0, feeds: 0 };
    this.counters.set(popId, counter);
    const common = { externalId: `${this.tag}-${n}`, occurredAt: this.occurredAt, popId };
    const kind = Math.floor(n / this.pops.length) % 10;
    if (kind === 7 || kind === 8) {
      const circuit = counter.circuits++;
      return { ...common, kind: 'CIRCUIT_DELIVERED', circuitId: `${this.tag}-c${circuit}`, carrier: 'Cogent', type: 'TRANSIT', bandwidthMbps: 1_000, monthlyCost: { amount: '450.00', currency: 'EUR' } };
    }
    if (kind === 9) {
      const feed = counter.feeds++;
      return { ...common, kind: 'POWER_DELIVERED', feedId: `${this.tag}-f${feed}`, rackId: 'r1', side: feed % 2 === 0 ? 'A' : 'B', phase: 'SINGLE', voltage: 230, amperage: 16 };
    }
    const slot = counter.devices++;
    return {
      ...common,
      kind: 'DEVICE_DELIVERED',
      deviceId: `${this.tag}-d${slot}`,
      rackId: `r${Math.floor(slot / SLOT_RACK_U) + 1}`,
      role: 'SWITCH',
      positionU: (slot % SLOT_RACK_U) + 1,
      heightU: 1,
      powerDrawWatts: 50,
    };
  }
}

/** Sends `batches` batches (after one warm-up batch) and answers records accepted per second. */
export async function measureProcurement(url: string, secret: string, records: ProcurementRecords, batches: number, batchSize = 1_000): Promise<{ perS: number; accepted: number; problems: string[] }> {
  const problems: string[] = [];
  const send = async () => {
    const response = await fetch(`${url}/integrations/procurement/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(secret) },
      body: JSON.stringify({ records: records.batch(batchSize) }),
    });
    const body = (await response.json()) as { accepted?: number; results?: Array<{ status: string; code?: string; reason?: string }> };
    if (response.status !== 200 || body.accepted !== batchSize) {
      const rejected = body.results?.find((r) => r.status !== 'accepted');
      problems.push(`HTTP ${response.status}, accepted ${body.accepted}/${batchSize}${rejected ? `: ${rejected.code} ${rejected.reason}` : ''}`);
    }
    return body.accepted ?? 0;
  };
  await send();
  let accepted = 0;
  const started = performance.now();
  for (let b = 0; b < batches; b++) accepted += await send();
  return { perS: accepted / ((performance.now() - started) / 1000), accepted, problems };
}

/** Racks each bench PoP needs for `records` procurement records (7 in 10 are devices). */
export function procurementRacksFor(pops: number, records: number): number {
  return Math.ceil((records * 0.7) / pops / SLOT_RACK_U) + 1;
}
