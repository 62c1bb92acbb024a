import { mutationDocument } from './service-client';
import { SLOT_RACK_U } from './slot-pops';

const INSTALL = mutationDocument('installDevice', 'streamId revision eventIds projected');
const RESERVE = mutationDocument('reserveCapacity', 'streamId revision eventIds projected');

/**
 * The next command of a load on slot PoPs (slot-pops.ts), always one the service accepts: three in
 * four install a 1 U, 50 W server into the next free slot, one in four reserves 1 Mbps of the PoP's
 * circuit. Consecutive commands go to different PoPs, so concurrent clients rarely share a stream.
 * `reservedFrom` is when reservations start: a fixed instant (each reservation then lies under every
 * install since, and costs more the longer the load runs: whole-timeline checks), or a function of
 * the moment of sending (each costs the same).
 */
export class CommandMix {
  private sent = 0;
  private readonly devices = new Map<string, number>();

  constructor(
    private readonly pops: readonly string[],
    private readonly racksPerPop: number,
    private readonly tag: string,
    private readonly reservedFrom: string | (() => string),
  ) {}

  /** Slots left on the PoP that has the fewest (negative: commands were sent to racks that do not exist). */
  get slotsLeft(): number {
    return Math.min(...this.pops.map((p) => this.racksPerPop * SLOT_RACK_U - (this.devices.get(p) ?? 0)));
  }

  /** The next request body (a GraphQL document with its variables, as JSON). */
  next(): string {
    const k = this.sent++;
    const popId = this.pops[k % this.pops.length];
    if (Math.floor(k / this.pops.length) % 4 === 3) {
      const from = typeof this.reservedFrom === 'string' ? this.reservedFrom : this.reservedFrom();
      const input = { popId, reservationId: `${this.tag}-${k}`, resource: 'BANDWIDTH_MBPS', amount: 1, from };
      return JSON.stringify({ query: RESERVE, variables: { input } });
    }
    const slot = this.devices.get(popId) ?? 0;
    this.devices.set(popId, slot + 1);
    const input = { popId, deviceId: `${this.tag}-${k}`, rackId: `r${Math.floor(slot / SLOT_RACK_U) + 1}`, role: 'SERVER', positionU: (slot % SLOT_RACK_U) + 1, heightU: 1, powerDrawWatts: 50 };
    return JSON.stringify({ query: INSTALL, variables: { input } });
  }
}

/** Racks each slot PoP needs so that `pops` PoPs absorb `rate` commands/s for `seconds` (3 in 4 take a slot). */
export function racksFor(pops: number, rate: number, seconds: number): number {
  return Math.ceil((rate * seconds * 0.75) / pops / SLOT_RACK_U) + 1;
}

/** Why a GraphQL answer is not a success (null when it is one): an error, a non-200, or no data. */
export function graphqlFailure(status: number, body: string): string | null {
  let parsed: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string; rule?: string } }> };
  try {
    parsed = JSON.parse(body);
  } catch {
    return `HTTP ${status}: not JSON`;
  }
  if (parsed.errors?.length) {
    const [first] = parsed.errors;
    return `HTTP ${status} ${first.extensions?.code ?? ''} ${first.extensions?.rule ?? ''}: ${first.message}`;
  }
  if (status !== 200 || !Object.values(parsed.data ?? {}).some((value) => value !== null)) return `HTTP ${status}: no data`;
  return null;
}
