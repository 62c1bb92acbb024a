import { BeforeApplicationShutdown, Global, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { PROJECTION_WAITER } from '../commands/projection-waiter.port';
import { SQL_CLIENT, SqlClient } from '../database/sql-client.port';
import { EVENT_STORE, EventStore } from '../event-store/event-store.port';
import { LOGGER } from '../observability/logger.util';
import { MetricsService } from '../observability/metrics.service';
import { ProjectionEngine } from './projection.engine';
import { Projection } from './projection.port';
import { ProjectionsResolver } from './projections.resolver';

/** Every read model of the service; the composition root provides them (src/app). */
export const PROJECTIONS = Symbol('PROJECTIONS');

/** Runs the read models' projections (leader only) and offers read-your-writes to every instance. */
@Global()
@Module({
  providers: [
    {
      provide: ProjectionEngine,
      inject: [SQL_CLIENT, EVENT_STORE, LOGGER, MetricsService, PROJECTIONS],
      useFactory: (sql: SqlClient, store: EventStore, logger: Logger, metrics: MetricsService, projections: Projection[]) => {
        const engine = new ProjectionEngine(sql, store, projections, { logger: logger.child({ component: 'projections' }) });
        metrics.setProjectionSource(async () =>
          (await engine.status()).map((s) => ({ name: s.name, lagEvents: s.lagEvents, failed: s.status === 'FAILED' })),
        );
        return engine;
      },
    },
    { provide: PROJECTION_WAITER, useExisting: ProjectionEngine },
    ProjectionsResolver,
  ],
  exports: [ProjectionEngine, PROJECTION_WAITER],
})
export class ProjectionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(ProjectionEngine) private readonly engine: ProjectionEngine) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.start();
  }

  /** Before the stores close, so no batch is cut off mid-transaction. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}
