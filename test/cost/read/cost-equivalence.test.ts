import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { QueryBus } from '@nestjs/cqrs';
import { popCostAt } from '../../../src/cost/domain/pop-cost-at.math';
import { costProjections } from '../../../src/cost/cost.module';
import { GetPopCostHandler, GetPopCostQuery } from '../../../src/cost/read/get-pop-cost.query';
import { popCapacityAnswer } from '../../../src/inventory/domain/pop-capacity-at.math';
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { CIRCUIT_TYPES } from '../../../src/inventory/domain/pop.enums';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { PopAggregate, PopState } from '../../../src/inventory/domain/pop.state';
import { inventoryProjections } from '../../../src/inventory/inventory.module';
import { GetCapacityHandler, GetCapacityQuery, thresholdsOf } from '../../../src/inventory/read/get-capacity.query';
import { InvalidInputError, NotFoundError, RuleViolationError } from '../../../src/kernel/domain.errors';
import { Money } from '../../../src/kernel/money.types';
import { loadConfig } from '../../../src/platform/config/app.config';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { ProjectionEngine } from '../../../src/platform/projections/projection.engine';
import { allDevices } from '../../support/pop-brute-force';
import { testDatabases } from '../../support/test-databases';
import { seededRandom } from '../../support/seeded-random';

/**
 * Random PoP histories with costs in two currencies (zero amounts included), decided by the aggregate
 * (rejected commands skipped) at random effective times: at every instant where a cost starts or ends,
 * and around month boundaries (one-off costs), `cost` must answer exactly what the domain's `popCostAt`
 * computes from the aggregate's state (unit costs from `popCapacityAnswer`), live and after a rebuild.
 * This is what lets a scenario compute a plan's cost without the read model.
 */

const SEEDS = [11, 12];
const POPS = 4;
const COMMANDS_PER_POP = 70;
const INSTANTS = 40;
const START = Date.parse('2026-01-01T00:00:00Z');
const HOURS = 500 * 24;
const config = loadConfig({});
const iso = (ms: number) => new Date(ms).toISOString();

function generator(next: () => number, currencies: readonly string[] = ['EUR', 'USD']) {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[int(0, values.length - 1)];
  const maybe = <T>(value: () => T): T | null => (next() < 0.5 ? value() : null);
  const money = (): Money => ({ amount: next() < 0.1 ? '0' : `${int(0, 20_000)}.${String(int(0, 9999)).padStart(4, '0')}`, currency: pick(currencies) });
  const instant = () => new Date(START + int(0, HOURS) * 3_600_000).toISOString();
  return { int, pick, maybe, money, instant };
}

type Gen = ReturnType<typeof generator>;
type Issued = Record<string, Array<{ id: string; at: string }>>;

function command<T extends PopCommand['type']>(type: T, data: Extract<PopCommand, { type: T }>['data'], effectiveAt: string): PopCommand {
  return { type, data, effectiveAt } as PopCommand;
}

/** One random command on `popId`, referring to ids issued before (mostly at earlier times). */
function randomCommand(popId: string, kind: 'PHYSICAL' | 'VIRTUAL', g: Gen, issued: Issued): PopCommand {
  const t = g.instant();
  const later = (days: number, from = t) => new Date(Date.parse(from) + days * 86_400_000).toISOString();
  const issue = (prefix: string, at = t) => {
    const id = `${prefix}${(issued[prefix] ??= []).length + 1}`;
    issued[prefix].push({ id, at });
    return id;
  };
  const item = (prefix: string) => g.pick(issued[prefix]?.length ? issued[prefix] : [{ id: 'none', at: t }]);
  const known = (prefix: string) => item(prefix).id;
  /** A removal of an item issued earlier, some days after it was added. */
  const removal = (prefix: string, make: (id: string, at: string) => PopCommand) => {
    const { id, at } = item(prefix);
    return make(id, later(g.int(1, 150), at));
  };
  const feed = (monthlyCost: Money | null) => {
    const rack = item('r');
    const at = later(g.int(0, 60), rack.at);
    return command('AddPowerFeed', { popId, feedId: issue('f', at), rackId: rack.id, side: g.pick(['A', 'B'] as const), phase: 'SINGLE', voltage: 230, amperage: 32, monthlyCost, oneOffCost: g.maybe(g.money) }, at);
  };
  const circuit = () => command('ConnectCarrier', { popId, circuitId: issue('c'), carrier: 'Lumen', type: g.pick(CIRCUIT_TYPES), bandwidthMbps: g.pick([100, 1000, 10000]), monthlyCost: g.money(), oneOffCost: g.maybe(g.money) }, t);
  if (kind === 'VIRTUAL') {
    return g.pick([
      circuit,
      () => removal('c', (circuitId, at) => command('DisconnectCarrier', { popId, circuitId }, at)),
      () => command(g.pick(['ActivatePop', 'StartDecommission', 'ClosePop'] as const), { popId }, t),
    ])();
  }
  return g.pick([
    () => command('LeaseSite', { popId, leaseId: issue('l'), lessor: 'Equinix', startsOn: later(-g.int(0, 40)).slice(0, 10), endsOn: g.maybe(() => later(g.int(20, 300)).slice(0, 10)), monthlyCost: g.money(), oneOffCost: g.maybe(g.money) }, t),
    () => command('TerminateLease', { popId, leaseId: known('l'), endsOn: later(g.int(0, 200)).slice(0, 10) }, later(g.int(0, 30))),
    () => command('InstallRack', { popId, rackId: issue('r') }, t),
    () => command('InstallRack', { popId, rackId: issue('r') }, t),
    () => command('ConnectCarrier', { popId, circuitId: issue('c'), carrier: 'Lumen', type: 'TRANSIT', bandwidthMbps: 1000, monthlyCost: { amount: '0', currency: 'GBP' } }, t),
    () => feed(g.maybe(g.money)),
    () => feed(g.money()),
    () => removal('f', (feedId, at) => command('RemovePowerFeed', { popId, feedId }, at)),
    () => removal('f', (feedId, at) => command('RemovePowerFeed', { popId, feedId }, at)),
    () => command('InstallDevice', { popId, deviceId: issue('d'), rackId: known('r'), role: 'SERVER', positionU: g.int(1, 40), heightU: 1, powerDrawWatts: 10, purchaseCost: g.maybe(g.money) }, later(g.int(0, 60))),
    () => removal('d', (deviceId, at) => command('RemoveDevice', { popId, deviceId }, at)),
    circuit,
    () => removal('c', (circuitId, at) => command('DisconnectCarrier', { popId, circuitId }, at)),
  ])();
}

/** Where a cost starts or ends, the instant before, and month starts (one-offs): an even sample. */
function instantsOf(pops: PopAggregate[], count: number): string[] {
  const bounds = new Set<number>();
  for (const pop of pops) {
    bounds.add(pop.registeredAt);
    for (const { at } of pop.transitions) bounds.add(at).add(at - 1);
    for (const records of [Object.values(pop.leases), Object.values(pop.feeds), Object.values(pop.circuits), allDevices(pop)]) {
      for (const item of records) {
        for (const bound of [item.from, 'to' in item ? item.to : null]) {
          if (bound === null) continue;
          const month = new Date(bound);
          bounds.add(bound).add(bound - 1).add(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)).add(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - 1);
        }
      }
    }
  }
  const sorted = [...bounds].sort((a, b) => a - b);
  const step = Math.max(1, sorted.length / count);
  return Array.from({ length: Math.min(count, sorted.length) }, (_, index) => new Date(sorted[Math.floor(index * step)]).toISOString());
}

function reference(pop: PopAggregate, asOf: string) {
  const capacity = popCapacityAnswer(pop, asOf, thresholdsOf(config));
  return popCostAt(pop, asOf, { usableKw: capacity.power.usableKw, totalU: capacity.space.totalU, capacityMbps: capacity.network.capacityMbps });
}

for (const database of testDatabases()) {
  describe(`cost equals popCostAt on random histories (${database.name})`, () => {
    for (const seed of SEEDS) {
      test(`seed ${seed}`, async () => {
        const { sql, dispose } = await database.create();
        const store = new PostgresEventStore(sql);
        const engine = new ProjectionEngine(sql, store, [...inventoryProjections, ...costProjections], { leaderRetryMs: 50, retryDelayMs: 10, recheckMs: 200 });
        const capacity = new GetCapacityHandler(sql, config, engine);
        const queries = { execute: (query: GetCapacityQuery) => capacity.execute(query) } as unknown as QueryBus;
        const cost = new GetPopCostHandler(sql, queries);
        try {
          await engine.start();
          const g = generator(seededRandom(seed));
          const states = new Map<string, PopState>();
          let last: string | null = null;
          let accepted = 0;
          const run = async (command: PopCommand) => {
            let state = states.get(command.data.popId) ?? popDecider.initialState();
            let events: PopEvent[];
            try {
              events = popDecider.decide(command, state);
            } catch (error) {
              if (error instanceof RuleViolationError || error instanceof InvalidInputError || error instanceof NotFoundError) return;
              throw error;
            }
            const metadata = { actor: 'test', source: 'cli' as const, commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 };
            last = (await store.append(`pop-${command.data.popId}`, events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as unknown as Record<string, unknown>, metadata: { ...metadata, effectiveAt: e.effectiveAt } })), 'any')).position;
            for (const event of events) state = popDecider.evolve(state, structuredClone(event));
            states.set(command.data.popId, state);
            accepted++;
          };
          const popIds: string[] = [];
          for (let index = 0; index < POPS; index++) {
            const popId = `s${seed}-p${index}`;
            const kind = index % 2 === 0 ? 'PHYSICAL' : 'VIRTUAL';
            popIds.push(popId);
            await run(command('RegisterPop', {
              popId, code: popId.toUpperCase(), name: popId, kind, operatorModel: kind === 'VIRTUAL' ? 'CLOUD' : 'COLOCATION', countryCode: 'DE',
              monthlyCost: kind === 'VIRTUAL' ? g.money() : null,
            }, new Date(START + g.int(0, 60) * 86_400_000).toISOString()));
            const issued: Issued = { l: [{ id: 'l0', at: iso(START) }] };
            // A long first lease, so that racks (and then feeds and devices) find one.
            if (kind === 'PHYSICAL') await run(command('LeaseSite', { popId, leaseId: 'l0', lessor: 'Equinix', startsOn: '2025-12-01', monthlyCost: g.money(), oneOffCost: g.money() }, iso(START)));
            // PoP 2 has costs in one currency only: unit costs apply.
            const gen = index === 2 ? generator(seededRandom(seed * 100 + index), ['EUR']) : g;
            for (let n = 0; n < COMMANDS_PER_POP; n++) await run(randomCommand(popId, kind, gen, issued));
            // A cloud region's cost ends when it closes.
            if (kind === 'VIRTUAL') for (const type of ['ActivatePop', 'StartDecommission', 'ClosePop'] as const) await run(command(type, { popId }, iso(START + (560 + g.int(0, 30)) * 86_400_000)));
          }
          assert.ok(accepted > POPS * 20, `only ${accepted} commands were accepted`);
          if (last !== null) assert.ok(await engine.waitFor(last, 30_000), 'projections did not catch up');
          const pops = popIds.map((popId) => states.get(popId) as PopAggregate);
          const instants = instantsOf(pops, INSTANTS);
          const check = async (when: string) => {
            for (const asOf of instants) {
              for (const pop of pops) assert.deepEqual(await cost.execute(new GetPopCostQuery(pop.popId, asOf, null)), reference(pop, asOf), `cost of ${pop.popId} at ${asOf} (${when})`);
            }
          };
          await check('live');
          await engine.rebuild();
          await check('rebuilt');
        } finally {
          await engine.stop();
          await store.close();
          await dispose();
        }
      });
    }
  });
}
