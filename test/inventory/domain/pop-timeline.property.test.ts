import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { InvalidInputError, NotFoundError, RuleCode, RuleViolationError } from '../../../src/kernel/domain.errors';
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { PopAggregate, PopState } from '../../../src/inventory/domain/pop.state';
import { bruteForceViolations, indexMismatches } from '../../support/pop-brute-force';
import { eur, POP, popEvents } from '../../support/pop-builders';

/**
 * The incremental checks (indexes kept by evolve, only the changed intervals re-checked) against
 * a brute-force check of every instant from the records, on random command sequences with
 * back-dated and planned effective times:
 * - sound: every accepted command leaves a state where no instant breaks a rule;
 * - complete: a command rejected by a timeline rule would, if forced in, break one;
 * - the indexes equal the totals recomputed from the records.
 * Any other exception from `decide` (a TypeError, say) fails the property. The seed changes from run
 * to run and is printed; PROPERTY_SEED=<seed> replays a run (fast-check also prints the failing path).
 */

const SEED = process.env.PROPERTY_SEED ? Number(process.env.PROPERTY_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;

const DAY = 86_400_000;
const START = Date.UTC(2027, 0, 1);
const TIMELINE_RULES = new Set<RuleCode>(['SPACE_OVERLAP', 'POWER_EXCEEDED', 'SPACE_EXCEEDED', 'BANDWIDTH_EXCEEDED', 'RACK_LIMIT', 'RESERVATION_EXCEEDED']);

const EVENT_OF = {
  LeaseSite: 'SiteLeased',
  TerminateLease: 'LeaseTerminated',
  InstallRack: 'RackInstalled',
  RemoveRack: 'RackRemoved',
  AddPowerFeed: 'PowerFeedAdded',
  RemovePowerFeed: 'PowerFeedRemoved',
  InstallDevice: 'DeviceInstalled',
  RemoveDevice: 'DeviceRemoved',
  ConnectCarrier: 'CarrierConnected',
  DisconnectCarrier: 'CarrierDisconnected',
  ReserveCapacity: 'CapacityReserved',
  ReleaseReservation: 'ReservationReleased',
} as const;

const instant = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom(0, 12)).map(([day, hour]) => new Date(START + day * DAY + hour * 3_600_000).toISOString());
const date = fc.integer({ min: 0, max: 60 }).map((day) => new Date(START + day * DAY).toISOString().slice(0, 10));
const id = (prefix: string, count: number) => fc.integer({ min: 1, max: count }).map((n) => `${prefix}${n}`);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

/** Commands with every field given explicitly, so that the event they would produce is known. */
const data = {
  LeaseSite: fc.record({
    leaseId: id('l', 3),
    lessor: fc.constant('X'),
    startsOn: date,
    endsOn: maybe(date),
    monthlyCost: fc.constant(eur('1')),
    oneOffCost: fc.constant(null),
    contractedPowerKw: maybe(fc.constantFrom(5, 10, 20, 40)),
    maxRacks: maybe(fc.integer({ min: 1, max: 3 })),
  }),
  TerminateLease: fc.record({ leaseId: id('l', 3), endsOn: date }),
  InstallRack: fc.record({ rackId: id('r', 3), name: fc.constant(null), heightU: fc.constantFrom(6, 10), maxPowerKw: maybe(fc.constantFrom(4, 8)) }),
  RemoveRack: fc.record({ rackId: id('r', 3) }),
  AddPowerFeed: fc.record({
    feedId: id('f', 8),
    rackId: id('r', 3),
    side: fc.constantFrom('A' as const, 'B' as const),
    phase: fc.constantFrom('SINGLE' as const, 'THREE' as const),
    voltage: fc.constantFrom(230, 400),
    amperage: fc.constantFrom(16, 32),
    deratingPercent: fc.constant(80),
    powerFactor: fc.constant(0.95),
    monthlyCost: fc.constant(null),
    oneOffCost: fc.constant(null),
  }),
  RemovePowerFeed: fc.record({ feedId: id('f', 8) }),
  InstallDevice: fc.record({
    deviceId: id('d', 24),
    rackId: id('r', 3),
    name: fc.constant(null),
    role: fc.constant('SERVER' as const),
    positionU: fc.integer({ min: 1, max: 8 }),
    heightU: fc.integer({ min: 1, max: 3 }),
    powerDrawWatts: fc.integer({ min: 0, max: 6 }).map((n) => n * 500),
    purchaseCost: fc.constant(null),
  }),
  RemoveDevice: fc.record({ deviceId: id('d', 24) }),
  ConnectCarrier: fc.record({
    circuitId: id('c', 3),
    carrier: fc.constant('X'),
    type: fc.constant('TRANSIT' as const),
    bandwidthMbps: fc.constantFrom(100, 1000),
    monthlyCost: fc.constant(eur('1')),
    oneOffCost: fc.constant(null),
    termMonths: fc.constant(null),
  }),
  DisconnectCarrier: fc.record({ circuitId: id('c', 3) }),
  ReserveCapacity: fc
    .oneof(
      fc.record({ resource: fc.constant('SPACE_U' as const), amount: fc.constantFrom(2, 5, 8) }),
      fc.record({ resource: fc.constant('POWER_KW' as const), amount: fc.constantFrom(2, 5, 10) }),
      fc.record({ resource: fc.constant('BANDWIDTH_MBPS' as const), amount: fc.constantFrom(100, 300, 800) }),
    )
    .chain((held) => fc.record({ reservationId: id('s', 6), resource: fc.constant(held.resource), amount: fc.constant(held.amount), from: instant, until: maybe(instant), note: fc.constant(null) })),
  ReleaseReservation: fc.record({ reservationId: id('s', 6) }),
};

/** Additions weigh more than removals, so that states grow enough to clash. */
const WEIGHTS: Partial<Record<keyof typeof data, number>> = { InstallRack: 3, RemoveRack: 2, AddPowerFeed: 4, InstallDevice: 10, ConnectCarrier: 2, DisconnectCarrier: 2, ReserveCapacity: 5 };

const command: fc.Arbitrary<PopCommand> = fc.oneof(
  ...Object.entries(data).map(([type, arbitrary]) => ({
    weight: WEIGHTS[type as keyof typeof data] ?? 1,
    arbitrary: fc
      .tuple(arbitrary as fc.Arbitrary<object>, instant)
      .map(([fields, effectiveAt]) => ({ type, data: { popId: POP, ...fields }, effectiveAt }) as PopCommand),
  })),
);

/** Before the generated instants: an open lease without limits, a fed 10 U rack and a circuit (ids the commands also use). */
const BEFORE = '2026-12-01T00:00:00.000Z';
const base: PopEvent[] = [
  popEvents.registered(),
  popEvents.leased(BEFORE, { leaseId: 'l0' }),
  popEvents.rack(BEFORE, 'r1', { heightU: 10 }),
  popEvents.feed(BEFORE, 'f1', 'r1'),
  popEvents.circuit(BEFORE, 'c1', 1000),
];

/** What the domain throws to refuse a command; anything else is a bug. */
function isRejection(error: unknown): boolean {
  return error instanceof RuleViolationError || error instanceof InvalidInputError || error instanceof NotFoundError;
}

/** Accepted commands and timeline-rule rejections, to show that the generator exercises every rule. */
const tally = new Map<RuleCode | 'accepted', number>();

function run(commands: PopCommand[]): void {
  let state: PopState = popDecider.initialState();
  for (const event of base) state = popDecider.evolve(state, event);
  for (const cmd of commands) {
    let events: PopEvent[];
    try {
      events = popDecider.decide(cmd, state);
    } catch (error) {
      if (!isRejection(error)) throw error;
      if (error instanceof RuleViolationError && TIMELINE_RULES.has(error.rule)) {
        tally.set(error.rule, (tally.get(error.rule) ?? 0) + 1);
        const forced = popDecider.evolve(structuredClone(state), { type: EVENT_OF[cmd.type as keyof typeof EVENT_OF], data: cmd.data, effectiveAt: cmd.effectiveAt } as PopEvent) as PopAggregate;
        assert.notDeepEqual(bruteForceViolations(forced), [], `${error.rule} rejected ${JSON.stringify(cmd)} but forcing it breaks nothing: ${error.message}`);
      }
      continue;
    }
    tally.set('accepted', (tally.get('accepted') ?? 0) + 1);
    for (const event of events) state = popDecider.evolve(state, event);
    assert.deepEqual(bruteForceViolations(state as PopAggregate), [], `accepted ${JSON.stringify(cmd)}`);
    assert.deepEqual(indexMismatches(state as PopAggregate), [], `indexes after ${JSON.stringify(cmd)}`);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(state)), state, 'the state is plain JSON');
}

describe('effective-time invariants against a brute-force check', () => {
  it('accepts only valid timelines, rejects only invalid ones, and keeps its indexes exact', () => {
    assert.ok(Number.isSafeInteger(SEED), `PROPERTY_SEED must be an integer, not ${process.env.PROPERTY_SEED}`);
    console.log(`pop-timeline property seed: ${SEED} (PROPERTY_SEED=${SEED} reproduces this run)`);
    fc.assert(fc.property(fc.array(command, { minLength: 20, maxLength: 50 }), run), { numRuns: 250, seed: SEED });
    assert.ok((tally.get('accepted') ?? 0) > 1500, `only ${tally.get('accepted')} commands accepted (seed ${SEED})`);
    for (const rule of TIMELINE_RULES) assert.ok((tally.get(rule) ?? 0) >= 5, `${rule} rejected only ${tally.get(rule) ?? 0} times (seed ${SEED})`);
  });
});
