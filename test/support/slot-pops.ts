import type { PopCommand } from '../../src/inventory/domain/pop.commands';
import { popDecider } from '../../src/inventory/domain/pop.decider';
import type { PopEvent } from '../../src/inventory/domain/pop.events';
import type { PopState } from '../../src/inventory/domain/pop.state';
import { popStream } from '../../src/inventory/domain/pop.streams';
import { Prng } from '../../src/tools/seed/prng.util';
import { StreamBuilder } from '../../src/tools/seed/stream-builder.seed';

/**
 * "Slot PoPs": LIVE physical PoPs, leased without limits, with `racks` empty 42 U racks fed A+B
 * (230 V / 32 A, 5.59 kW usable each) and one 100 Gbit/s transit circuit. Every slot and every
 * Mbps is known, so load generators (benchmarks, reliability tests) can send only commands the
 * service will accept. They are decided in memory and appended before the service starts (fast,
 * whatever the size).
 */
export const SLOT_RACK_U = 42;
export const SLOT_CIRCUIT_MBPS = 100_000;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface SlotPopStep {
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
function slotPopSteps(popId: string, racks: number, liveAtMs: number, place: SlotPopPlace = DEFAULT_PLACE): SlotPopStep[] {
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

/** A slot PoP decided in memory by the PoP decider; keep deciding on the builder to give it a history. */
export function slotPopBuilder(popId: string, racks: number, liveAtMs: number, place: SlotPopPlace = DEFAULT_PLACE): StreamBuilder<PopCommand, PopState, PopEvent> {
  const builder = new StreamBuilder(popStream(popId), popDecider, Prng.derive(0, `slot:${popId}`), { actor: 'setup', source: 'cli' }, new Map());
  for (const step of slotPopSteps(popId, racks, liveAtMs, place)) {
    // The steps are the mutations' inputs, which are the commands' data (docs/api.md, "GraphQL overview").
    if (!builder.tryDecide(step as unknown as PopCommand, undefined)) throw new Error(`The domain refused ${step.type} for slot PoP ${popId}`);
  }
  return builder;
}
