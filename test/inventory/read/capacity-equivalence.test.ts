import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { popCapacityAnswer } from '../../../src/inventory/domain/pop-capacity-at.math';
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { CapacityResource, CIRCUIT_TYPES } from '../../../src/inventory/domain/pop.enums';
import { PopAggregate, Presence } from '../../../src/inventory/domain/pop.state';
import { InvalidInputError, NotFoundError, RuleViolationError } from '../../../src/kernel/domain.errors';
import { allDevices, allReservations } from '../../support/pop-brute-force';
import { testDatabases } from '../../support/test-databases';
import { thresholdsOf } from '../../../src/inventory/read/get-capacity.query';
import { at, config, PlanningHarness, popCommands, withPlanning } from './planning-harness';
import { seededRandom } from '../../support/seeded-random';

/**
 * Random command sequences, decided by the aggregate (rejected ones skipped), at random effective
 * times (so most facts arrive back-dated or planned): at every instant where anything changes,
 * `capacity` (with and without its racks) and `findCapacity` must answer exactly what the reference `popCapacityAt` computes
 * from the aggregate's state, live and again after a full rebuild of the projection.
 */

const SEEDS = [1, 2, 3];
const POPS = 4;
const COMMANDS_PER_POP = 80;
/** How many instants to compare at (a sample of the change points). */
const INSTANTS = 40;
const START = Date.parse('2026-01-01T00:00:00Z');
const HOURS = 365 * 24;

function generator(next: () => number) {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)];
  const instant = () => new Date(START + int(0, HOURS) * 3_600_000).toISOString();
  const maybe = <T>(value: () => T): T | null => (next() < 0.5 ? value() : null);
  return { int, pick, instant, maybe };
}

/** Ids issued per kind, with the effective time of the command that added each (and a feed's rack). */
type Issued = Record<string, Array<{ id: string; at: number; rackId?: string }>>;

/** One random command on PoP `popId`; what it refers to was added before its effective time, mostly. */
function randomCommand(popId: string, g: ReturnType<typeof generator>, issued: Issued): PopCommand {
  const c = popCommands(popId);
  const iso = (ms: number) => new Date(ms).toISOString();
  const later = (ms: number) => iso(ms + g.int(0, 24 * 120) * 3_600_000);
  const known = (kind: string) => g.pick(issued[kind]?.length ? issued[kind] : [{ id: 'none', at: START }]);
  const issue = (kind: string, at: string, rackId?: string) => {
    const id = `${kind}${(issued[kind] ??= []).length + 1}`;
    issued[kind].push({ id, at: Date.parse(at), rackId });
    return id;
  };
  const t = g.instant();
  const date = (offsetDays: number) => iso(Date.parse(t) + offsetDays * 86_400_000).slice(0, 10);
  switch (g.pick(['lease', 'terminate', 'rack', 'rack', 'removeRack', 'feed', 'feed', 'feed', 'removeFeed', 'device', 'device', 'device', 'device',
    'device', 'device', 'removeDevice', 'removeDevice', 'circuit', 'disconnect', 'reserve', 'reserve', 'release', 'release', 'lifecycle'] as const)) {
    case 'lease':
      return c.lease(t, issue('l', t), {
        startsOn: date(-g.int(0, 60)),
        endsOn: g.maybe(() => date(g.int(30, 300))),
        contractedPowerKw: g.maybe(() => g.int(5, 60)),
        maxRacks: g.maybe(() => g.int(2, 6)),
      });
    case 'terminate': {
      const lease = known('l');
      return c.terminateLease(later(lease.at), lease.id, date(g.int(0, 120)));
    }
    case 'rack':
      return c.rack(t, issue('r', t), { heightU: g.pick([10, 42, 48]), maxPowerKw: g.maybe(() => g.int(3, 15)) });
    case 'removeRack': {
      const rack = known('r');
      return c.removeRack(later(rack.at), rack.id);
    }
    case 'feed': {
      const rack = known('r');
      const at = later(rack.at);
      return c.feed(at, issue('f', at, rack.id), rack.id, g.pick(['A', 'B'] as const), {
        phase: g.pick(['SINGLE', 'THREE'] as const),
        voltage: g.pick([120, 208, 230, 400]),
        amperage: g.pick([16, 20, 30, 32]),
        ...(g.maybe(() => true) ? { deratingPercent: g.pick([80, 90, 100]), powerFactor: g.pick([0.9, 0.95, 1]) } : {}),
      });
    }
    case 'removeFeed': {
      const feed = known('f');
      return c.removeFeed(later(feed.at), feed.id);
    }
    case 'device': {
      // In a fed rack, after its feed: a rack without power takes no draw.
      const feed = known('f');
      const at = later(feed.at);
      return c.device(at, issue('d', at), feed.rackId ?? 'none', g.int(1, 40), g.int(1, 2), g.int(1, 10) * 100);
    }
    case 'removeDevice': {
      const device = known('d');
      return c.removeDevice(later(device.at), device.id);
    }
    case 'circuit':
      return c.circuit(t, issue('c', t), g.pick([100, 1000, 10000]), g.pick(CIRCUIT_TYPES));
    case 'disconnect': {
      const circuit = known('c');
      return c.disconnect(later(circuit.at), circuit.id);
    }
    case 'reserve': {
      const resource = g.pick<CapacityResource>(['SPACE_U', 'POWER_KW', 'BANDWIDTH_MBPS']);
      const amount = { SPACE_U: g.int(1, 10), POWER_KW: g.int(1, 10) / 2, BANDWIDTH_MBPS: g.int(1, 20) * 100 }[resource];
      const from = g.maybe(() => later(Date.parse(t)));
      const until = g.maybe(() => later(Date.parse(from ?? t) + 3_600_000));
      return c.reserve(t, issue('s', t), resource, amount, from, until);
    }
    case 'release': {
      const reservation = known('s');
      return c.release(later(reservation.at), reservation.id);
    }
    case 'lifecycle':
      return g.pick([c.startBuildOut(t), c.activate(t), c.activate(t), c.startDecommission(t)]);
  }
}

function isRejection(error: unknown): boolean {
  return error instanceof RuleViolationError || error instanceof InvalidInputError || error instanceof NotFoundError;
}

/** What `capacity` must answer, from the aggregate's state (the function scenarios compute plans with). */
function reference(pop: PopAggregate, asOf: string) {
  return popCapacityAnswer(pop, asOf, thresholdsOf(config));
}

/** Instants where something starts or ends, or the instant just before: an even sample of `count`. */
function instantsOf(pops: PopAggregate[], count: number): string[] {
  const bounds = new Set<number>();
  for (const pop of pops) {
    const records: Presence[] = [...allDevices(pop), ...allReservations(pop)];
    for (const index of [pop.leases, pop.racks, pop.feeds, pop.circuits]) records.push(...Object.values(index));
    for (const { from, to } of records) for (const bound of [from, to]) if (bound !== null) bounds.add(bound).add(bound - 1);
  }
  const sorted = [...bounds].sort((a, b) => a - b);
  const step = Math.max(1, sorted.length / count);
  return Array.from({ length: Math.min(count, sorted.length) }, (_, index) => new Date(sorted[Math.floor(index * step)]).toISOString());
}

async function assertMatchesReference(h: PlanningHarness, pops: PopAggregate[], instants: string[], when: string): Promise<void> {
  for (const asOf of instants) {
    const found = await h.findCapacity({}, asOf);
    assert.deepEqual(found, pops.map((pop) => reference(pop, asOf)), `findCapacity at ${asOf} (${when})`);
    for (const pop of pops) {
      const expected = reference(pop, asOf);
      assert.deepEqual(await h.capacity(pop.popId, asOf), expected, `capacity of ${pop.popId} at ${asOf} (${when})`);
      // Without the racks, the totals come from the capacity steps: the same figures.
      const withoutRacks = { ...expected, space: { ...expected.space, racks: [] } };
      assert.deepEqual(await h.capacity(pop.popId, asOf, { racks: false, byType: true }), withoutRacks, `capacity of ${pop.popId} at ${asOf} without racks (${when})`);
    }
  }
}

for (const database of testDatabases()) {
  describe(`capacity equals popCapacityAt on random histories (${database.name})`, () => {
    for (const seed of SEEDS) {
      test(`seed ${seed}`, () =>
        withPlanning(database, async (h) => {
          const g = generator(seededRandom(seed));
          const popIds = Array.from({ length: POPS }, (_, index) => `s${seed}-p${index}`);
          let accepted = 0;
          for (const popId of popIds) {
            const issued: Issued = { l: [{ id: 'l0', at: START }] };
            await h.run(popCommands(popId).register(at('2026-01-01'), { countryCode: g.pick(['DE', 'FR', 'US']) }));
            await h.run(popCommands(popId).lease(at('2026-01-01'), 'l0', { endsOn: g.maybe(() => '2026-09-30') }));
            for (let index = 0; index < COMMANDS_PER_POP; index++) {
              try {
                await h.run(randomCommand(popId, g, issued));
                accepted++;
              } catch (error) {
                if (!isRejection(error)) throw error;
              }
            }
          }
          assert.ok(accepted > POPS * 30, `only ${accepted} commands were accepted`);
          await h.sync();
          const pops = popIds.map((popId) => h.states.get(popId) as PopAggregate);
          const instants = instantsOf(pops, INSTANTS);
          await assertMatchesReference(h, pops, instants, 'live');
          await h.engine.rebuild();
          await assertMatchesReference(h, pops, instants, 'rebuilt');
        }));
    }
  });
}
