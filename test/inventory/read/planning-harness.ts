import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../src/platform/config/app.config';
import { SqlClient } from '../../../src/platform/database/sql-client.port';
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { CapacityResource } from '../../../src/inventory/domain/pop.enums';
import { PopEvent } from '../../../src/inventory/domain/pop.events';
import { PopAggregate as PopState } from '../../../src/inventory/domain/pop.state';
import { NewEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { GetCapacityForecastHandler, GetCapacityForecastQuery } from '../../../src/inventory/read/capacity-forecast.query';
import { CapacityNeed, FindCapacityHandler, FindCapacityQuery } from '../../../src/inventory/read/find-capacity.query';
import { CapacityDetails, GetCapacityHandler, GetCapacityQuery } from '../../../src/inventory/read/get-capacity.query';
import { GetPopHandler, GetPopQuery } from '../../../src/inventory/read/get-pop.query';
import { ListPopsHandler, ListPopsQuery, PopCursor, PopListFilter } from '../../../src/inventory/read/list-pops.query';
import { inventoryProjections } from '../../../src/inventory/inventory.module';
import { ProjectionEngine } from '../../../src/platform/projections/projection.engine';
import { TestDatabaseFactory } from '../../support/test-databases';

/**
 * The planning read model on a real event store and projection engine: commands are decided by the
 * PoP aggregate (so every fact obeys the rules), appended, and projected; queries run through
 * their handlers as the QueryBus would call them.
 */
export interface PlanningHarness {
  sql: SqlClient;
  engine: ProjectionEngine;
  /** The aggregate's state per PoP, as the command side sees it. */
  states: Map<string, PopState>;
  /** Decides and appends one command (throws the domain's error when rejected). */
  run(command: PopCommand): Promise<PopEvent[]>;
  /** Waits until the projections processed everything appended. */
  sync(): Promise<void>;
  capacity(popId: string, asOf: string, details?: CapacityDetails): ReturnType<GetCapacityHandler['execute']>;
  findCapacity(need: CapacityNeed, asOf: string, details?: CapacityDetails): ReturnType<FindCapacityHandler['execute']>;
  pop(popId: string, asOf: string): ReturnType<GetPopHandler['execute']>;
  pops(filter: PopListFilter, first: number, after: PopCursor | null, asOf: string): ReturnType<ListPopsHandler['execute']>;
  forecast(popId: string, resource: CapacityResource, now: string): ReturnType<GetCapacityForecastHandler['execute']>;
}

export const config = loadConfig({});

export async function withPlanning(database: TestDatabaseFactory, run: (h: PlanningHarness) => Promise<void>): Promise<void> {
  const { sql, dispose } = await database.create();
  const store = new PostgresEventStore(sql);
  const engine = new ProjectionEngine(sql, store, inventoryProjections, { leaderRetryMs: 50, retryDelayMs: 10, recheckMs: 200 });
  const states = new Map<string, PopState>();
  let last: string | null = null;
  const capacity = new GetCapacityHandler(sql, config, engine);
  const find = new FindCapacityHandler(sql, config, engine);
  const pop = new GetPopHandler(sql);
  const pops = new ListPopsHandler(sql);
  const forecast = new GetCapacityForecastHandler(sql, config);
  try {
    await engine.start();
    await run({
      sql,
      engine,
      states,
      async run(command) {
        const popId = command.data.popId;
        let state = states.get(popId) ?? popDecider.initialState();
        const events = popDecider.decide(command, state);
        const appended = await store.append(`pop-${popId}`, events.map(toNewEvent), 'any');
        last = appended.position;
        for (const event of events) state = popDecider.evolve(state, structuredClone(event));
        states.set(popId, state as PopState);
        return events;
      },
      async sync() {
        if (last !== null && !(await engine.waitFor(last, 30_000))) throw new Error('projections did not catch up');
      },
      capacity: (popId, asOf, details) => capacity.execute(new GetCapacityQuery(popId, asOf, details)),
      findCapacity: (need, asOf, details) => find.execute(new FindCapacityQuery(need, asOf, details)),
      pop: (popId, asOf) => pop.execute(new GetPopQuery(popId, asOf)),
      pops: (filter, first, after, asOf) => pops.execute(new ListPopsQuery(filter, first, after, asOf)),
      forecast: (popId, resource, now) => forecast.execute(new GetCapacityForecastQuery(popId, resource, now)),
    });
  } finally {
    await engine.stop();
    await store.close();
    await dispose();
  }
}

function toNewEvent(event: PopEvent): NewEvent {
  return {
    eventId: randomUUID(),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { effectiveAt: event.effectiveAt, actor: 'test', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
  };
}

type CommandOf<T extends PopCommand['type']> = Extract<PopCommand, { type: T }>;

/** A command as the GraphQL layer hands it over: input fields (defaults left to the domain) and effectiveAt. */
function command<T extends PopCommand['type']>(type: T, data: CommandOf<T>['data'], effectiveAt: string): CommandOf<T> {
  return { type, data, effectiveAt } as CommandOf<T>;
}

const EUR = (amount: string) => ({ amount, currency: 'EUR' });

/** Commands for one PoP, with the fields a test does not care about filled in. */
export function popCommands(popId: string) {
  return {
    register: (at: string, data: Partial<CommandOf<'RegisterPop'>['data']> = {}) =>
      command('RegisterPop', { popId, code: popId.toUpperCase(), name: `PoP ${popId}`, kind: 'PHYSICAL', operatorModel: 'COLOCATION', countryCode: 'DE', ...data }, at),
    lease: (at: string, leaseId: string, data: Partial<CommandOf<'LeaseSite'>['data']> = {}) =>
      command('LeaseSite', { popId, leaseId, lessor: 'Equinix', startsOn: at.slice(0, 10), monthlyCost: EUR('1000'), ...data }, at),
    terminateLease: (at: string, leaseId: string, endsOn: string) => command('TerminateLease', { popId, leaseId, endsOn }, at),
    startBuildOut: (at: string) => command('StartBuildOut', { popId }, at),
    activate: (at: string) => command('ActivatePop', { popId }, at),
    startDecommission: (at: string) => command('StartDecommission', { popId }, at),
    close: (at: string) => command('ClosePop', { popId }, at),
    rack: (at: string, rackId: string, data: Partial<CommandOf<'InstallRack'>['data']> = {}) => command('InstallRack', { popId, rackId, ...data }, at),
    removeRack: (at: string, rackId: string) => command('RemoveRack', { popId, rackId }, at),
    /** Default: single phase 230 V × 32 A, derating and power factor left to the defaults (5.5936 kW). */
    feed: (at: string, feedId: string, rackId: string, side: 'A' | 'B', data: Partial<CommandOf<'AddPowerFeed'>['data']> = {}) =>
      command('AddPowerFeed', { popId, feedId, rackId, side, phase: 'SINGLE', voltage: 230, amperage: 32, ...data }, at),
    removeFeed: (at: string, feedId: string) => command('RemovePowerFeed', { popId, feedId }, at),
    device: (at: string, deviceId: string, rackId: string, positionU: number, heightU: number, powerDrawWatts: number) =>
      command('InstallDevice', { popId, deviceId, rackId, role: 'SERVER', positionU, heightU, powerDrawWatts }, at),
    removeDevice: (at: string, deviceId: string) => command('RemoveDevice', { popId, deviceId }, at),
    circuit: (at: string, circuitId: string, bandwidthMbps: number, type: CommandOf<'ConnectCarrier'>['data']['type'] = 'TRANSIT') =>
      command('ConnectCarrier', { popId, circuitId, carrier: 'Lumen', type, bandwidthMbps, monthlyCost: EUR('800') }, at),
    disconnect: (at: string, circuitId: string) => command('DisconnectCarrier', { popId, circuitId }, at),
    reserve: (at: string, reservationId: string, resource: CapacityResource, amount: number, from: string | null = null, until: string | null = null) =>
      command('ReserveCapacity', { popId, reservationId, resource, amount, from, until }, at),
    release: (at: string, reservationId: string) => command('ReleaseReservation', { popId, reservationId }, at),
  };
}

/** `at('2026-03-01')` → 2026-03-01T00:00:00.000Z. */
export function at(date: string, time = '00:00'): string {
  return `${date}T${time}:00.000Z`;
}
