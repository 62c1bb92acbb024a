import type { PopCommand } from '../../src/domain/pop/pop.commands';
import { graphql } from './service-client';

/**
 * "Slot PoPs": LIVE physical PoPs, leased without limits, with `racks` empty 42 U racks fed A+B
 * (230 V / 32 A, 5.59 kW usable each) and one 100 Gbit/s transit circuit. Every slot and every
 * Mbps is known, so load generators (benchmarks, reliability tests) can send only commands the
 * service will accept. The benchmarks decide these commands in memory and append the events; the
 * tests send them as mutations.
 */
export const SLOT_RACK_U = 42;
export const SLOT_CIRCUIT_MBPS = 100_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SlotPopStep {
  type: PopCommand['type'];
  data: Record<string, unknown>;
  effectiveAt: string;
}

export interface SlotPopPlace {
  countryCode: string;
  city: string;
  region: string;
}

const DEFAULT_PLACE: SlotPopPlace = { countryCode: 'DE', city: 'Frankfurt', region: 'EMEA' };

/** The commands that set up one slot PoP, LIVE from `liveAtMs` (built in the 30 days before). */
export function slotPopSteps(popId: string, racks: number, liveAtMs: number, place: SlotPopPlace = DEFAULT_PLACE): SlotPopStep[] {
  const at = liveAtMs - 30 * DAY;
  const step = (type: PopCommand['type'], data: Record<string, unknown>, ms: number): SlotPopStep => ({ type, data: { popId, ...data }, effectiveAt: new Date(ms).toISOString() });
  const steps = [
    step('RegisterPop', { code: popId.toUpperCase(), name: `Slot PoP ${popId}`, kind: 'PHYSICAL', operatorModel: 'COLOCATION', ...place }, at),
    step('LeaseSite', { leaseId: 'l1', lessor: 'Slot Colo', startsOn: new Date(at).toISOString().slice(0, 10), monthlyCost: { amount: '5000.00', currency: 'EUR' } }, at + HOUR),
    step('StartBuildOut', {}, at + 2 * HOUR),
  ];
  for (let r = 1; r <= racks; r++) {
    steps.push(step('InstallRack', { rackId: `r${r}` }, at + 3 * HOUR));
    for (const side of ['A', 'B']) steps.push(step('AddPowerFeed', { feedId: `r${r}-${side}`, rackId: `r${r}`, side, phase: 'SINGLE', voltage: 230, amperage: 32 }, at + 4 * HOUR));
  }
  steps.push(step('ConnectCarrier', { circuitId: 'c1', carrier: 'Arelion', type: 'TRANSIT', bandwidthMbps: SLOT_CIRCUIT_MBPS, monthlyCost: { amount: '6500.00', currency: 'EUR' } }, at + 5 * HOUR));
  steps.push(step('ActivatePop', {}, liveAtMs));
  return steps;
}

/** Sets slot PoPs up through the GraphQL mutations (PoPs in parallel, each one's steps in order). */
export async function createSlotPops(url: string, secret: string, popIds: readonly string[], racks: number, liveAtMs = Date.now() - 60 * DAY): Promise<void> {
  await Promise.all(
    popIds.map(async (popId) => {
      for (const { type, data, effectiveAt } of slotPopSteps(popId, racks, liveAtMs)) {
        const name = `${type[0].toLowerCase()}${type.slice(1)}`;
        const answer = await graphql(url, secret, `mutation($input: ${type}Input!) { ${name}(input: $input) { revision } }`, { input: { ...data, effectiveAt } });
        if (answer.errors?.length) throw new Error(`${popId} ${name}: ${JSON.stringify(answer.errors)}`);
      }
    }),
  );
}
