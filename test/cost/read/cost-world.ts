import { randomUUID } from 'node:crypto';
import { QueryBus } from '@nestjs/cqrs';
import { SqlClient } from '../../../src/platform/database/sql-client.port';
import { GetCostSummaryHandler, GetCostSummaryQuery } from '../../../src/cost/read/cost-summary.query';
import { costProjections } from '../../../src/cost/cost.module';
import { GetPopCostHandler, GetPopCostQuery } from '../../../src/cost/read/get-pop-cost.query';
import { CostGroupBy } from '../../../src/cost/domain/cost.enums';
import { fxDecider } from '../../../src/cost/domain/fx.decider';
import { PopCommand } from '../../../src/inventory/domain/pop.commands';
import { popDecider } from '../../../src/inventory/domain/pop.decider';
import { PopState } from '../../../src/inventory/domain/pop.state';
import { FX_STREAM } from '../../../src/cost/domain/fx.streams';
import { popStream } from '../../../src/inventory/domain/pop.streams';
import { EventStore, NewEvent } from '../../../src/platform/event-store/event-store.port';
import { PostgresEventStore } from '../../../src/platform/event-store/postgres-event-store.adapter';
import { ProjectionEngine } from '../../../src/platform/projections/projection.engine';

type CommandOf<T extends PopCommand['type']> = Extract<PopCommand, { type: T }>;

/** Capacity denominators the cost query asks the planning side for (GetCapacityQuery). */
export interface CapacityStub {
  space: { totalU: number };
  power: { usableKw: number };
  network: { capacityMbps: number };
}

/**
 * Real event store and projection engine on a test database: commands are decided by the PoP decider
 * (so every event is one the service would append), appended with their effective time, then
 * projected. The cost queries run through their handlers; the planning side's capacity is a table.
 */
export class CostWorld {
  readonly store: EventStore;
  readonly capacities = new Map<string, CapacityStub>();
  private readonly states = new Map<string, PopState>();
  private engine?: ProjectionEngine;
  /** One handler for the world's life, so that its answers are kept between calls as in the service. */
  private summaries?: GetCostSummaryHandler;
  private last: string | null = null;

  constructor(readonly sql: SqlClient) {
    this.store = new PostgresEventStore(sql);
  }

  pop<T extends PopCommand['type']>(type: T, data: CommandOf<T>['data'], effectiveAt: string): Promise<void> {
    const command = { type, data, effectiveAt } as PopCommand;
    const streamId = popStream(command.data.popId);
    let state = this.states.get(streamId) ?? popDecider.initialState();
    const events = popDecider.decide(command, state);
    for (const event of events) state = popDecider.evolve(state, event);
    this.states.set(streamId, state);
    return this.append(streamId, events);
  }

  rates(effectiveAt: string, base: string, rates: Record<string, string>): Promise<void> {
    const command = { type: 'SetExchangeRates' as const, data: { base, rates: Object.entries(rates).map(([currency, toBase]) => ({ currency, toBase })) }, effectiveAt };
    return this.append(FX_STREAM, fxDecider.decide(command, null));
  }

  /** Starts the engine on the first call (catching up on everything so far in large batches), then waits for it. */
  async settle(): Promise<void> {
    if (!this.engine) {
      this.engine = new ProjectionEngine(this.sql, this.store, costProjections, { leaderRetryMs: 50, heartbeatMs: 500, retryDelayMs: 10, recheckMs: 200 });
      await this.engine.start();
    }
    if (this.last !== null && !(await this.engine.waitFor(this.last, 30_000))) throw new Error('cost projections did not catch up');
  }

  rebuild(): Promise<unknown> {
    // The answers kept would hide the rebuilt tables (same positions).
    this.summaries = undefined;
    return (this.engine as ProjectionEngine).rebuild();
  }

  cost(popId: string, asOf: string, currency: string | null = null) {
    const capacities = this.capacities;
    const queries = { execute: async (query: { popId: string }) => capacities.get(query.popId) ?? null } as unknown as QueryBus;
    return new GetPopCostHandler(this.sql, queries).execute(new GetPopCostQuery(popId, asOf, currency));
  }

  summary(groupBy: CostGroupBy, asOf: string, currency: string | null = null) {
    if (!this.engine) throw new Error('settle() the world before asking for a summary');
    this.summaries ??= new GetCostSummaryHandler(this.sql, this.engine);
    return this.summaries.execute(new GetCostSummaryQuery(groupBy, asOf, currency));
  }

  async close(): Promise<void> {
    await this.engine?.stop();
    await this.store.close();
  }

  private async append(streamId: string, events: Array<{ type: string; data: object; effectiveAt: string }>): Promise<void> {
    const recorded: NewEvent[] = events.map(({ type, data, effectiveAt }) => ({
      eventId: randomUUID(),
      type,
      data: data as Record<string, unknown>,
      metadata: { effectiveAt, actor: 'test', source: 'cli', commandId: randomUUID(), correlationId: randomUUID(), schemaVersion: 1 },
    }));
    this.last = (await this.store.append(streamId, recorded, 'any')).position;
  }
}
